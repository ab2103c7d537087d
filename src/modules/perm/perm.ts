/** perm: owner, group and mode of files and globs, re-applied on a loop under a run gate (docs/modules/perm.md). */
import { createHash } from "node:crypto";
import type { HostModule } from "../module.js";
import { bool, oneOf, scalarOf, type RecordSchema, type Reporter, type ScalarSchema } from "../schema.js";
import { scalar, sortedEntries, text } from "../../ir/tree.js";
import type { MapNode } from "../../ir/ir.js";
import { didYouMean } from "../../diagnostics/suggest.js";
import { MAX_SECONDS } from "../exec/exec-schema.js";
import { about } from "./about.js";

export interface PermEntry {
  /** An absolute path or a shell glob (`/etc/ssl/private/*.key`). */
  readonly path: string;
  /** Absent fields are left alone on the node. */
  readonly owner?: string;
  readonly group?: string;
  /** Exactly as written: `0640`, `755`, `u=rw,go=r`. */
  readonly mode?: string;
  /** Matched symbolic links stand for their targets; without it they are skipped. */
  readonly followSymlinks: boolean;
}

export type RerunPolicy = "always" | "never" | "once_successfully";

export interface PermSettings {
  readonly entries: readonly PermEntry[];
  readonly rerunPolicy: RerunPolicy;
  /** Seconds, or `infinity`: no interval, so `always` re-applies on every loop of the pod (Divingbell's default). */
  readonly rerunInterval: string;
}

export const RERUN_POLICIES: readonly RerunPolicy[] = ["always", "never", "once_successfully"];

/** One symbolic chmod clause, GNU chmod(1): `[ugoa]*([-+=]([rwxXst]*|[ugo]))+` or `[-+=][0-7]+`. */
const SYMBOLIC_CLAUSE = String.raw`(?:[ugoa]*(?:[-+=](?:[rwxXst]*|[ugo]))+|[-+=][0-7]+)`;
const SYMBOLIC = new RegExp(`^${SYMBOLIC_CLAUSE}(?:,${SYMBOLIC_CLAUSE})*$`);
/** Up to four octal digits; a fifth leading 0 (`00755`) clears a directory's set-id bits. */
const OCTAL = /^0?[0-7]{1,4}$/;
const ACCOUNT = /^[A-Za-z_][A-Za-z0-9_.-]*\$?$/;
const MAX_ID = 4294967294n;

export function isMode(mode: string): boolean {
  return OCTAL.test(mode) || SYMBOLIC.test(mode);
}

/** A user or group name, or a numeric id (chown takes either). */
export function isAccount(name: string): boolean {
  if (/^[0-9]+$/.test(name)) return BigInt(name) <= MAX_ID;
  return ACCOUNT.test(name) && name.length <= 32;
}

function account(what: "user" | "group"): ScalarSchema {
  return scalarOf(`a ${what} name or numeric id`, (n, r) => {
    if (!isAccount(n.text)) {
      r.report("DB2502", n.origin, `\`${n.text}\` is not a valid ${what} name or id`, {
        help: `a ${what} name starts with a letter or \`_\` and has letters, digits, \`_\`, \`.\`, \`-\` (up to 32), or is a number`,
      });
    }
  });
}

/** `rerun_interval`: seconds (at least 60) or `infinity`. Shared shape with exec's intervals. */
export function intervalSchema(doc: string): ScalarSchema {
  return scalarOf(doc, (n, r) => {
    if (n.text === "infinity") return;
    if (!/^[0-9]+$/.test(n.text)) {
      const help = didYouMean(n.text, ["infinity"]) ?? "write a number of seconds (60 or more) or `infinity`";
      return r.report("DB2006", n.origin, `expected a number of seconds or \`infinity\`, found \`${n.text}\``, { help });
    }
    if (BigInt(n.text) < 60n) r.report("DB2504", n.origin, `an interval of \`${n.text}\` seconds is below the minimum of 60`, { help: "the pod runs at most once a minute" });
    // The node adds the interval to a timestamp in bash arithmetic (64-bit): a larger value would wrap and be ignored.
    else if (BigInt(n.text) > BigInt(MAX_SECONDS)) r.report("DB2504", n.origin, `an interval of \`${n.text}\` seconds is above the maximum of ${MAX_SECONDS}`, { help: "for no reruns at all, use `rerun_policy = once_successfully`" });
  });
}

/** Trees root must never chown or chmod: the kernel's live views, and the state dbellc reverts from. */
const FORBIDDEN_TREES = ["/proc", "/sys", "/var/divingbell"];
/** A glob character, which makes a path part match many names. */
const GLOB = /[*?[]/;

/** Why a perm path (absolute) is one root must not change, if it is. */
export function permPathDanger(path: string): string | undefined {
  const parts = path.split("/").filter((p) => p !== "");
  if (parts.some((p) => p === ".." || p === ".")) return "has a `.` or `..` part: write the path it stands for";
  if (parts.length === 0) return "is the root directory";
  if (GLOB.test(parts[0]!)) return "matches directories at the top of the file system, such as /etc and /usr";
  const normal = `/${parts.join("/")}`;
  const tree = FORBIDDEN_TREES.find((t) => normal === t || normal.startsWith(`${t}/`));
  if (tree === "/var/divingbell") return "is dbellc's own state, from which the originals are restored";
  if (tree) return `is in \`${tree}\`, the kernel's live view, not files`;
  return undefined;
}

const entry: RecordSchema = {
  kind: "Record",
  doc: "What to set on the matching files; fields left out are left alone.",
  fields: {
    owner: { doc: "user name or numeric uid", schema: account("user") },
    group: { doc: "group name or numeric gid", schema: account("group") },
    mode: {
      doc: "octal (`0640`, `755`) or symbolic (`\"u=rw,go=r\"`), as chmod takes it",
      schema: scalarOf("a chmod mode", (n, r) => {
        if (!isMode(n.text)) {
          r.report("DB2501", n.origin, `\`${n.text}\` is not a chmod mode`, { help: "write an octal mode like `0640` or a symbolic one like `\"u=rw,g=r,o=\"`" });
        }
      }),
    },
    follow_symlinks: {
      doc: "`true`: a matched symbolic link stands for its target (default `false`: links are skipped with a warning, so a link planted in a shared folder cannot turn root's chown on another file)",
      schema: bool("change the targets of matched symbolic links"),
    },
  },
};

const schema: RecordSchema = {
  kind: "Record",
  doc: "File ownership and modes: `set perm /etc/shadow { owner = root  group = shadow  mode = 0640 }`.",
  fields: {
    rerun_policy: { doc: "`always` (default), `never` or `once_successfully`", schema: oneOf("when to apply again", RERUN_POLICIES) },
    rerun_interval: { doc: "seconds between applications (60 or more) with `always`, or `infinity` (default: every loop)", schema: intervalSchema("seconds between runs") },
  },
  rest: {
    doc: "an absolute path or glob (`/etc/ssl/private/*.key`)",
    // Anything path-like is a path (so `etc/shadow` gets "not absolute"); other words are fields (so typos get "did you mean").
    matches: (key) => /[/*?[]/.test(key),
    key: (key, span, r) => {
      if (/[\u0000-\u001f\u007f]/.test(key)) r.report("DB2008", span, "a perm path contains a newline or control character");
      else if (!key.startsWith("/")) r.report("DB2503", span, `\`${key}\` is not an absolute path`, { help: `write the full path: \`/${key.replace(/^[./]+/, "")}\`` });
      else {
        const why = permPathDanger(key);
        if (why) r.report("DB2505", span, `\`perm ${key}\` ${why}`, { help: "name the files themselves, below a directory of their own" });
      }
    },
    value: entry,
  },
};

function checkEntries(config: MapNode, r: Reporter): void {
  for (const e of config.entries.values()) {
    if (Object.hasOwn(schema.fields, e.key) || e.value.kind !== "Map") continue;
    const fields = e.value.entries;
    if (!["owner", "group", "mode"].some((k) => fields.has(k))) r.report("DB2003", e.value.origin, `\`perm ${e.key}\` sets none of \`owner\`, \`group\`, \`mode\``, { help: "set at least one, or remove the path" });
  }
}

/** Divingbell's BAD COMBINATION, with the right field name: an interval only means something when the policy reruns. */
function checkInterval(config: MapNode, r: Reporter): void {
  const interval = scalar(config, "rerun_interval");
  if (!interval || !/^[0-9]+$/.test(interval.text)) return;
  const policy = scalar(config, "rerun_policy");
  if (!policy || policy.text === "always" || !(RERUN_POLICIES as readonly string[]).includes(policy.text)) return;
  r.report("DB2504", interval.origin, `a finite \`rerun_interval\` needs \`rerun_policy = always\`, but the policy is \`${policy.text}\``, {
    related: [{ message: "rerun policy set here", span: policy.origin }],
    help: "remove `rerun_interval` (or set it to `infinity`), or set `rerun_policy = always`",
  });
}

/** The run gate's key: any change to the configuration gives a new hash, so `never` and `once_successfully` apply it. */
export function permConfigHash(s: PermSettings): string {
  // follow_symlinks only when set, so the hashes of configurations written before it existed stay the same.
  const entry = (e: PermEntry) => [e.path, e.owner ?? null, e.group ?? null, e.mode ?? null, ...(e.followSymlinks ? ["follow"] : [])];
  const canonical = JSON.stringify({ entries: s.entries.map(entry), policy: s.rerunPolicy, interval: s.rerunInterval });
  return createHash("sha256").update(canonical).digest("hex");
}

export const perm: HostModule<PermSettings> = {
  name: "perm",
  summary: "owner, group and mode of files (globs allowed), re-applied every minute under a run gate",
  schema,
  check(config, r) {
    checkEntries(config, r);
    checkInterval(config, r);
  },
  settings(config) {
    const entries: PermEntry[] = [];
    for (const e of sortedEntries(config)) {
      if (Object.hasOwn(schema.fields, e.key) || e.value.kind !== "Map") continue;
      const m = e.value;
      entries.push({ path: e.key, owner: text(m, "owner"), group: text(m, "group"), mode: text(m, "mode"), followSymlinks: text(m, "follow_symlinks") === "true" });
    }
    return { entries, rerunPolicy: (text(config, "rerun_policy") ?? "always") as RerunPolicy, rerunInterval: text(config, "rerun_interval") ?? "infinity" };
  },
  bashCalls(s) {
    return [
      { fn: "perm_begin", args: [permConfigHash(s), s.rerunPolicy, s.rerunInterval] },
      ...s.entries.map((e) => ({ fn: "perm_path", args: [e.path, e.owner ?? "", e.group ?? "", e.mode ?? "", ...(e.followSymlinks ? ["follow"] : [])] })),
      { fn: "perm_finish", args: [] },
    ];
  },
  about,
  pod: {
    hostScript: "perm_host.sh",
    runner: "chroot",
    loopSeconds: 60,
    // chown/chmod of files root does not own need CHOWN and FOWNER, keeping set-uid/set-gid bits through a chown needs
    // FSETID, and reaching files in directories closed to root's owner bits needs DAC_OVERRIDE (every other
    // capability is dropped; the chroot runner adds SYS_CHROOT).
    capabilities: ["CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID"],
    readOnlyRootFilesystem: true,
    hostNetwork: false,
    hostPID: false,
    settingsIn: "ConfigMap",
  },
};
