/** Translations of perm (`paths` list → path keys) and exec (`data` → `script`; docs/import.md). */
import { dlist, dmap, scalar, type DNode } from "../../syntax/print-values.js";
import type { ModuleImport } from "../module-import.js";
import { asMap, asSeq, boolValue, isNull, keyName, knownFields, nullValue, startEntry, textList, textValue, type Translation } from "../reader.js";
import { field, type YMap } from "../yaml-tree.js";
import { goText, resolve } from "../yaml11.js";
import { BLOCKING_POLICIES, intervalProblem, refuse, RERUN_POLICIES } from "./refusals.js";

const PERM_FIELDS: Readonly<Record<string, string>> = { owner: "owner", group: "group", permissions: "mode" };

/** One `paths` entry: Divingbell word-split and globbed `path`, so one entry can name several paths. */
function permEntry(t: Translation, m: YMap, where: string, seen: Map<string, string>): void {
  const pathEntry = field(m, "path");
  const path = pathEntry && !isNull(pathEntry.value) ? textValue(t, pathEntry.value, `${where}.path`, { singleQuoted: true }) : undefined;
  if (!pathEntry || path === undefined || path.trim() === "") {
    t.cx.error(pathEntry?.value.span ?? m.span, `\`${where}\` has no \`path\`; dropped`);
    return;
  }
  const block = dmap();
  for (const f of knownFields(t, m, ["path", ...Object.keys(PERM_FIELDS)], where, "Divingbell reads only path, owner, group and permissions")) {
    if (f.key.text === "path") continue;
    if (nullValue(t, f.value, [], `${where}.${f.key.text}`)) continue;
    const v = textValue(t, f.value, `${where}.${f.key.text}`, { singleQuoted: true });
    if (v !== undefined) block.entries.set(PERM_FIELDS[f.key.text]!, scalar(v));
  }
  const words = path.split(/[ \t\n]+/).filter((w) => w !== "");
  if (words.length > 1) t.cx.warn(pathEntry.value.span, `Divingbell split \`${where}.path\` at spaces into ${words.length} paths; the policy lists them one by one`);
  for (const p of words) {
    if (!p.startsWith("/")) {
      t.cx.error(pathEntry.value.span, `perm path \`${p}\` is not absolute: Divingbell resolved it against the script's working directory; dropped`, "write the absolute path");
      continue;
    }
    const before = seen.get(p);
    if (before !== undefined) t.cx.warn(pathEntry.value.span, `\`${p}\` is also listed at \`${before}\`: Divingbell applied both in order, so this later entry wins`);
    seen.set(p, where);
    t.out.set([p], block);
  }
}

export const permImport: ModuleImport = {
  divingbell: "perm",
  name: "perm",
  blockAt: (path) => path.length === 1 && path[0]!.startsWith("/"),
  translate(conf, t) {
    for (const f of knownFields(t, conf, ["paths", "rerun_policy", "rerun_interval"], "perm", "Divingbell reads only paths, rerun_policy and rerun_interval")) {
      const key = f.key.text;
      if (key !== "paths") {
        if (nullValue(t, f.value, [key], `perm.${key}`)) continue;
        const v = textValue(t, f.value, `perm.${key}`);
        if (v === undefined) continue;
        const problem = permProblem(key, v, effectivePolicy(t, conf, []));
        if (problem) refuse(t, f.value.span, `perm.${key}`, problem);
        else t.out.set([key], scalar(v));
        continue;
      }
      // `paths` is a list, so an override replaces it whole: the root's paths go first.
      if (t.mode === "override") for (const k of t.root.entries.keys()) if (k.startsWith("/")) t.out.unset([k]);
      const seq = asSeq(t, f.value, "perm.paths");
      const seen = new Map<string, string>();
      const items = { ...t, mode: "root" as const };
      seq?.items.forEach((item, i) => {
        const m = asMap(t, item, `perm.paths[${i}]`);
        if (m) permEntry(items, m, `perm.paths[${i}]`, seen);
      });
    }
  },
};

/** Why Divingbell's perm template failed on this value (docs/modules/perm.md), if it did. */
function permProblem(key: string, v: string, policy: string): string | undefined {
  if (key === "rerun_policy" && !RERUN_POLICIES.includes(v)) return `BAD 'rerun_policy' Got '${v}', but expected 'always', 'never', or 'once_successfully'`;
  if (key !== "rerun_interval") return undefined;
  const bad = intervalProblem(key, v);
  if (bad) return bad;
  // Divingbell's own message names retry_interval here.
  if (v !== "infinity" && policy !== "always") return `BAD COMBINATION: Must use 'rerun_policy' of 'always' when defining a finite 'retry_interval'. Got 'rerun_policy' of '${policy}' and 'retry_interval' of '${v}'`;
  return undefined;
}

const EXEC_TEXT = ["rerun_policy", "blocking_policy", "timeout", "rerun_interval", "retry_interval", "rerun_max_count", "retry_max_count"];
const EXEC_BOOL = ["rerun_interval_persist", "retry_interval_persist"];
const NOT_IMPLEMENTED = new Set(["rerun_interval_persist", "rerun_max_count", "retry_interval_persist", "retry_max_count"]);
const EXEC_FIELDS = ["data", "env", "args", ...EXEC_TEXT, ...EXEC_BOOL];

function execEntry(t: Translation, name: string, m: YMap): void {
  const where = `exec.${name}`;
  startEntry(t, [name]);
  const scriptTimeout = field(m, "script_timeout");
  if (scriptTimeout) {
    t.cx.warn(scriptTimeout.key.span, "Divingbell ignores `script_timeout` (the docs' name for `timeout`), so the script kept the 1800 s default; dropped", "to use another timeout, set `timeout`");
  }
  const fields = knownFields(t, { ...m, entries: m.entries.filter((e) => e.key.text !== "script_timeout") }, EXEC_FIELDS, where, "Divingbell ignores it");
  const policy = effectivePolicy(t, m, [name]);
  for (const f of fields) {
    const key = f.key.text;
    const at = `${where}.${key}`;
    const to = key === "data" ? "script" : key;
    if (nullValue(t, f.value, [name, to], at)) continue;
    if (key === "env") {
      const env = asMap(t, f.value, at);
      if (!env) continue;
      startEntry(t, [name, "env"]);
      for (const v of env.entries) {
        const var_ = keyName(t, v.key, at);
        if (nullValue(t, v.value, [name, "env", var_], `${at}.${var_}`)) continue;
        const text = textValue(t, v.value, `${at}.${var_}`, { singleQuoted: true });
        if (text !== undefined) t.out.set([name, "env", var_], scalar(text));
      }
      continue;
    }
    if (key === "args") {
      const args = textList(t, f.value, at, { singleQuoted: true });
      if (args) t.out.set([name, "args"], dlist(args));
      continue;
    }
    const v = EXEC_BOOL.includes(key) ? boolValue(t, f.value, at, "truthy") : textValue(t, f.value, at);
    if (v === undefined) continue;
    const problem = execProblem(key, v, name, policy);
    if (problem) {
      refuse(t, f.value.span, at, problem, problem.startsWith("BAD COMBINATION") ? "use `rerun_policy: always`, or no finite interval" : problem.includes("expected >= '60'") ? "write a number of seconds of at least 60, or `infinity`" : undefined);
      continue;
    }
    t.out.set([name, to], scalar(v));
  }
}

/** Why Divingbell's exec template failed on this value (docs/modules/exec.md), if it did. `policy` is the entry's rerun_policy. */
function execProblem(key: string, v: string, name: string, policy: string): string | undefined {
  if (NOT_IMPLEMENTED.has(key) || (key === "blocking_policy" && v === "background")) return `NOT IMPLEMENTED: '${key}' FOR '${name}'`;
  if (key === "timeout" && v === "infinite") return `BAD 'timeout' FOR '${name}': 'infinite' timeouts not supported`;
  if (key === "rerun_policy" && !RERUN_POLICIES.includes(v)) return `BAD 'rerun_policy' FOR '${name}': Got '${v}', but expected 'always', 'never', or 'once_successfully'`;
  if (key === "blocking_policy" && !BLOCKING_POLICIES.includes(v)) return `BAD 'blocking_policy' FOR '${name}': Got '${v}', but expected 'foreground', 'background', or 'foreground_halt_pod_on_failure'`;
  if (key === "rerun_interval" || key === "retry_interval") {
    const bad = intervalProblem(key, v);
    if (bad) return bad.replace(`'${key}'`, `'${key}' FOR '${name}'`);
    if (v === "infinity") return undefined;
    if (key === "rerun_interval" && policy !== "always") return `BAD COMBINATION: Must use 'rerun_policy' of 'always' when defining a finite 'rerun_interval'. Got 'rerun_policy' of '${policy}' and 'rerun_interval' of '${v}' for '${name}'`;
    if (key === "retry_interval" && policy === "never") return `BAD COMBINATION: Must use 'rerun_policy' of 'always' or 'once_successfully' when defining a finite 'retry_interval'. Got 'rerun_policy' of '${policy}' and 'retry_interval' of '${v}' for '${name}'`;
  }
  return undefined;
}

/** The rerun policy Divingbell validated an entry with: its own, else (in an override) the root's, else `always`. */
function effectivePolicy(t: Translation, m: YMap, path: readonly string[]): string {
  const own = field(m, "rerun_policy")?.value;
  if (own?.kind === "scalar" && !isNull(own)) return goText(resolve(own));
  let cur: DNode | undefined = t.root;
  for (const k of [...path, "rerun_policy"]) cur = cur?.kind === "map" ? cur.entries.get(k) : undefined;
  return cur?.kind === "scalar" ? cur.text : "always";
}

export const execImport: ModuleImport = {
  divingbell: "exec",
  name: "exec",
  blockAt: (path) => path.length === 1,
  translate(conf, t) {
    for (const e of conf.entries) {
      const name = keyName(t, e.key, "exec");
      if (nullValue(t, e.value, [name], `exec.${name}`)) continue;
      const m = asMap(t, e.value, `exec.${name}`);
      if (m) execEntry(t, name, m);
    }
  },
};
