/**
 * Translation of apt (docs/modules/apt.md): `packages` (a list, or a map of lists concatenated in group order) becomes
 * `package NAME { ... }`, `whitelistpkgs`/`blacklistpkgs` become `whitelist`/`blacklist`, `repositories` become
 * `repository NAME { ... }`.
 */
import { dlist, dmap, scalar, type DMap, type DNode } from "../../syntax/print-values.js";
import { aptNameProblem } from "../../modules/apt/apt-schema.js";
import type { ModuleImport } from "../module-import.js";
import { asMap, asSeq, boolValue, isNull, keyName, knownFields, nullValue, startEntry, textList, textValue, type Translation } from "../reader.js";
import { field, type YMap, type YNode } from "../yaml-tree.js";

/** Divingbell's deep merge of an override onto the root: maps merge key by key, anything else is replaced. */
function mergeY(base: YNode, over: YNode): YNode {
  if (base.kind !== "map" || over.kind !== "map") return over;
  const entries = [...base.entries];
  for (const e of over.entries) {
    const i = entries.findIndex((b) => b.key.text === e.key.text);
    if (i < 0) entries.push(e);
    else entries[i] = { key: e.key, value: mergeY(entries[i]!.value, e.value) };
  }
  return { ...over, entries };
}

function same(a: DNode, b: DNode): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "scalar") return a.text === (b as typeof a).text;
  if (a.kind === "list") return a.items.length === (b as typeof a).items.length && a.items.every((x, i) => x.text === (b as typeof a).items[i]!.text);
  const bm = b as DMap;
  return a.entries.size === bm.entries.size && [...a.entries].every(([k, v]) => bm.entries.has(k) && same(v, bm.entries.get(k)!));
}

/** The package entries in Divingbell's install order: a list, or map groups in sorted group order. */
function packageItems(t: Translation, n: YNode): { item: YNode; where: string }[] {
  if (n.kind === "seq") return n.items.map((item, i) => ({ item, where: `apt.packages[${i}]` }));
  const groups = asMap(t, n, "apt.packages");
  if (!groups) return [];
  const sorted = [...groups.entries].sort((a, b) => (a.key.text < b.key.text ? -1 : a.key.text > b.key.text ? 1 : 0));
  return sorted.flatMap((g) => (isNull(g.value) ? [] : (asSeq(t, g.value, `apt.packages.${g.key.text}`)?.items ?? []).map((item, i) => ({ item, where: `apt.packages.${g.key.text}[${i}]` }))));
}

function packageEntry(t: Translation, m: YMap, where: string): { name: string; block: DMap } | undefined {
  const nameEntry = field(m, "name");
  const name = nameEntry && !isNull(nameEntry.value) ? textValue(t, nameEntry.value, `${where}.name`) : undefined;
  if (!name) {
    t.cx.error(nameEntry?.value.span ?? m.span, `\`${where}\` has no \`name\`; dropped`);
    return undefined;
  }
  // Divingbell passed the name to apt-get as it was; one apt-get reads as a removal or a pattern is reported with the
  // check's own codes, and left out of the policy.
  const problem = aptNameProblem(name);
  if (problem) {
    const help = problem.severity === "error" ? "write the package's exact name" : "the host script refuses the name unless a package has exactly this name";
    t.cx.bag.report(problem.severity === "error" ? "DB2707" : "DB2708", nameEntry!.value.span, `\`${where}.name\`: ${problem.message}${problem.severity === "error" ? "; dropped" : ""}`, { help });
    if (problem.severity === "error") return undefined;
  }
  const block = dmap();
  for (const f of knownFields(t, m, ["name", "version", "debconf", "repo", "allow_downgrade"], where, "Divingbell reads only name, version and debconf")) {
    const key = f.key.text;
    if (key === "repo" || key === "allow_downgrade") {
      t.cx.warn(f.key.span, `per-package \`${key}\` has had no effect since Divingbell installs all packages in one command; dropped`, key === "allow_downgrade" ? "set `apt allow_downgrade` for all packages" : undefined);
      continue;
    }
    if (key === "name" || nullValue(t, f.value, [], `${where}.${key}`)) continue;
    if (key === "version") {
      const v = textValue(t, f.value, `${where}.version`);
      if (v !== undefined) block.entries.set("version", scalar(v));
      continue;
    }
    const questions = dmap();
    asSeq(t, f.value, `${where}.debconf`)?.items.forEach((q, i) => {
      const at = `${where}.debconf[${i}]`;
      const qm = asMap(t, q, at);
      if (!qm) return;
      const get = (k: string) => {
        const e = field(qm, k);
        return e && !isNull(e.value) ? textValue(t, e.value, `${at}.${k}`) : undefined;
      };
      const [question, type, answer] = [get("question"), get("question_type"), get("answer")];
      knownFields(t, qm, ["question", "question_type", "answer"], at, "Divingbell reads only question, question_type and answer");
      if (question === undefined || type === undefined || answer === undefined) {
        t.cx.error(qm.span, `\`${at}\` needs \`question\`, \`question_type\` and \`answer\`; dropped`);
        return;
      }
      if (questions.entries.has(question)) t.cx.warn(qm.span, `debconf question \`${question}\` of \`${name}\` is answered twice; the later answer wins`);
      questions.entries.set(question, dmap([["type", scalar(type)], ["answer", scalar(answer)]]));
    });
    block.entries.set("debconf", questions);
  }
  return { name, block };
}

function packages(t: Translation, node: YNode): void {
  let n = node;
  if (t.mode === "override") {
    // A list is replaced whole; map groups merge group by group. Either way the override states the full set.
    if (t.root.entries.has("package")) t.out.unset(["package"]);
    const rootPackages = t.rootYaml && field(t.rootYaml, "packages")?.value;
    if (rootPackages) n = mergeY(rootPackages, node);
  }
  const items = { ...t, mode: "root" as const };
  const seen = new Map<string, DMap>();
  for (const { item, where } of isNull(n) ? [] : packageItems(items, n)) {
    const m = asMap(items, item, where);
    const p = m && packageEntry(items, m, where);
    if (!p) continue;
    const before = seen.get(p.name);
    if (before && !same(before, p.block)) t.cx.warn(item.span, `package \`${p.name}\` is listed again with other settings: Divingbell passed both to one apt-get install; the policy keeps this later one`);
    seen.set(p.name, p.block);
    t.out.set(["package", p.name], p.block);
  }
}

const REPO_TEXT = ["url", "gpgkey"];
const REPO_LISTS = ["distributions", "components", "subrepos"];

function repository(t: Translation, name: string, m: YMap, where: string): void {
  startEntry(t, ["repository", name]);
  for (const f of knownFields(t, m, [...REPO_TEXT, ...REPO_LISTS], where, "Divingbell reads only url, distributions, components, subrepos and gpgkey")) {
    const key = f.key.text;
    if (nullValue(t, f.value, ["repository", name, key], `${where}.${key}`)) continue;
    if (REPO_LISTS.includes(key)) {
      const l = textList(t, f.value, `${where}.${key}`);
      if (l) t.out.set(["repository", name, key], dlist(l));
    } else {
      const v = textValue(t, f.value, `${where}.${key}`);
      if (v !== undefined) t.out.set(["repository", name, key], scalar(v));
    }
  }
}

function repositories(t: Translation, node: YNode): void {
  const rootRepos = t.rootYaml && field(t.rootYaml, "repositories")?.value;
  let tt = t;
  if (t.mode === "override" && !(node.kind === "map" && rootRepos?.kind === "map")) {
    // Only two maps merge; a list on either side is replaced whole.
    if (t.root.entries.has("repository")) t.out.unset(["repository"]);
    tt = { ...t, mode: "root" };
  }
  if (node.kind === "seq") {
    // A list has no names; these keep Divingbell's order, as repositories are processed in name order.
    const width = Math.max(2, String(node.items.length).length);
    node.items.forEach((item, i) => {
      const m = asMap(tt, item, `apt.repositories[${i}]`);
      if (m) repository(tt, `repo-${String(i + 1).padStart(width, "0")}`, m, `apt.repositories[${i}]`);
    });
    return;
  }
  for (const e of asMap(tt, node, "apt.repositories")?.entries ?? []) {
    const name = keyName(tt, e.key, "apt.repositories");
    if (nullValue(tt, e.value, ["repository", name], `apt.repositories.${name}`)) continue;
    const m = asMap(tt, e.value, `apt.repositories.${name}`);
    if (m) repository(tt, name, m, `apt.repositories.${name}`);
  }
}

export const aptImport: ModuleImport = {
  divingbell: "apt",
  name: "apt",
  blockAt: (path) => path.length === 2 && (path[0] === "package" || path[0] === "repository"),
  shorthand(path, block) {
    const version = block.entries.get("version");
    return path[0] === "package" && block.entries.size === 1 && version?.kind === "scalar" ? version : undefined;
  },
  translate(conf, t) {
    for (const f of knownFields(t, conf, ["packages", "upgrade", "allow_downgrade", "strict", "whitelistpkgs", "blacklistpkgs", "repositories"], "apt", "Divingbell ignores it")) {
      const key = f.key.text;
      if (key === "packages") packages(t, f.value);
      else if (key === "repositories") repositories(t, f.value);
      else if (key === "blacklistpkgs") {
        if (isNull(f.value)) {
          // Helm drops a null value's chart default, so there was no blacklist at all.
          if (t.mode === "override") t.cx.warn(f.value.span, "`apt.blacklistpkgs` is null in an override: with Divingbell's merge library this removed the blacklist; the policy sets it empty");
          t.out.set(["blacklist"], dlist([]));
        } else {
          const l = textList(t, f.value, "apt.blacklistpkgs");
          if (l) t.out.set(["blacklist"], dlist(l));
        }
      } else if (isNull(f.value) && t.mode === "root") continue; // Helm keeps the chart default (false, or no whitelist).
      else if (key === "whitelistpkgs") {
        if (nullValue(t, f.value, ["whitelist"], "apt.whitelistpkgs")) continue;
        const l = textList(t, f.value, "apt.whitelistpkgs");
        if (l) t.out.set(["whitelist"], dlist(l));
      } else {
        if (nullValue(t, f.value, [key], `apt.${key}`)) continue;
        const v = boolValue(t, f.value, `apt.${key}`, "truthy");
        if (v !== undefined) t.out.set([key], scalar(v));
      }
    }
  },
};
