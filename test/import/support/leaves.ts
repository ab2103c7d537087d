/**
 * Both sides of the import's semantic test as comparable leaves (path → text or list of texts): a Divingbell module
 * conf, with its field names mapped to dbellc's, and a dbellc variant's configuration.
 */
import type { MapNode } from "../../../src/ir/ir.js";
import { leaves } from "../../../src/ir/tree.js";
import { isMap, type Json } from "./divingbell-reference.js";

export type Leaves = Map<string, string | string[]>;

export function policyLeaves(config: MapNode): Leaves {
  const out: Leaves = new Map();
  for (const l of leaves(config)) {
    const n = l.node;
    out.set(l.path.join(" "), n.kind === "Scalar" ? n.text : n.kind === "List" ? n.items.map((i) => i.text) : "{}");
  }
  return out;
}

const entries = (v: Json | undefined): [string, Json][] => (isMap(v) ? Object.entries(v) : []);
const items = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : []);

/** Leaves of a Divingbell module conf, named as the policy names them. */
export function divingbellLeaves(module: string, conf: Json): Leaves {
  const out: Leaves = new Map();
  const put = (path: readonly string[], v: Json | undefined): void => {
    if (v === null || v === undefined) return;
    if (typeof v === "string") out.set(path.join(" "), v);
    else if (Array.isArray(v)) out.set(path.join(" "), v.filter((x): x is string => typeof x === "string"));
    else if (Object.keys(v).length === 0) out.set(path.join(" "), "{}");
    else for (const [k, x] of Object.entries(v)) put([...path, k], x);
  };
  const rename = (m: Json | undefined, names: Record<string, string>, path: readonly string[]): void => {
    for (const [k, v] of entries(m)) put([...path, names[k] ?? k], v);
  };
  const c = isMap(conf) ? conf : {};
  switch (module) {
    case "sysctl":
    case "ethtool":
    case "limits":
      put([], c);
      break;
    case "mounts":
      for (const [name, m] of entries(c)) rename(m, { mnt_tgt: "target" }, [name]);
      break;
    case "perm":
      for (const [k, v] of entries(c)) {
        if (k !== "paths") put([k], v);
        else for (const p of items(v)) if (isMap(p)) rename({ owner: p["owner"] ?? null, group: p["group"] ?? null, mode: p["permissions"] ?? null }, {}, [String(p["path"])]);
      }
      break;
    case "exec":
      for (const [name, m] of entries(c)) rename(m, { data: "script" }, [name]);
      break;
    case "apt":
      for (const [k, v] of entries(c)) {
        if (k === "packages") {
          const groups = Array.isArray(v) ? [v] : entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([, g]) => items(g));
          for (const p of groups.flat()) {
            if (!isMap(p)) continue;
            const path = ["package", String(p["name"])];
            if (p["version"] === undefined && p["debconf"] === undefined) out.set(path.join(" "), "{}");
            put([...path, "version"], p["version"]);
            for (const q of items(p["debconf"])) if (isMap(q)) rename({ type: q["question_type"]!, answer: q["answer"]! }, {}, [...path, "debconf", String(q["question"])]);
          }
        } else if (k === "repositories") {
          for (const [name, r] of entries(v)) put(["repository", name], r);
        } else put([k === "whitelistpkgs" ? "whitelist" : k === "blacklistpkgs" ? "blacklist" : k], v);
      }
      break;
    case "uamlite":
      for (const [k, v] of entries(c)) {
        if (k !== "users") put([k], v);
        else for (const u of items(v)) if (isMap(u)) rename({ ...u, user_name: null }, { user_sudo: "sudo", user_crypt_passwd: "password", user_sshkeys: "ssh_keys" }, ["user", String(u["user_name"])]);
      }
      break;
    case "apparmor":
      rename(c, { profiles: "profile" }, []);
      break;
    default:
      throw new Error(`no leaves for ${module}`);
  }
  return out;
}
