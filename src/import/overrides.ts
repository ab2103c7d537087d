/**
 * Reads `conf.overrides.divingbell_<module>` (docs/import.md, How the per-node result is kept): host and label entries per module, with Divingbell's
 * precedence made explicit. Repeated hosts and selectors are reduced to the entry that won in Divingbell, and the
 * entries Divingbell ignored are reported.
 */
import type { Span } from "../diagnostics/span.js";
import { didYouMean } from "../diagnostics/suggest.js";
import type { ModuleImport } from "./module-import.js";
import { MODULE_IMPORTS, importerFor } from "./modules/index.js";
import { isNull, type Cx } from "./reader.js";
import { describeResolved, resolve } from "./yaml11.js";
import { field, kindOf, type YMap, type YNode } from "./yaml-tree.js";

export interface OverrideEntry {
  readonly kind: "host" | "label";
  /** The host name, or the label key. */
  readonly key: string;
  /** Label values, sorted and without repeats (the policy's selector). */
  readonly values: readonly string[];
  /** `divingbell_sysctl.labels[0]`, for messages and comments. */
  readonly where: string;
  readonly span: Span;
  /** The entry's `conf.<module>`: undefined when the entry does not configure the module. */
  readonly conf: YNode | undefined;
}

export interface ModuleOverrides {
  readonly module: ModuleImport;
  readonly hosts: readonly OverrideEntry[];
  /** In Divingbell's precedence order: a later entry wins over an earlier one. */
  readonly labels: readonly OverrideEntry[];
}

export function selectorId(e: OverrideEntry): string {
  return e.kind === "host" ? `host\0${e.key}` : `label\0${e.key}\0${e.values.join("\0")}`;
}

/** The text of a value, reporting values Divingbell wrote into node affinity as something other than a string. */
function affinityText(cx: Cx, n: YNode, where: string): string | undefined {
  if (n.kind !== "scalar" || isNull(n)) {
    cx.error(n.span, `\`${where}\` should be a value, found ${kindOf(n)}`);
    return undefined;
  }
  const r = resolve(n);
  if (r.kind !== "string") {
    cx.warn(n.span, `Divingbell wrote \`${n.text}\` into the DaemonSet's node affinity as ${describeResolved(r)}, which Kubernetes rejects; the policy uses the text \`${n.text}\``, "quote the value in YAML");
  }
  return n.text;
}

/** Structural equality of YAML nodes, ignoring places: what helm-toolkit's duplicate check compares. */
function sameYaml(a: YNode | undefined, b: YNode | undefined): boolean {
  if (!a || !b) return a === b;
  if (a.kind === "scalar") return b.kind === "scalar" && a.text === b.text && (a.style === "plain") === (b.style === "plain");
  if (a.kind === "seq") return b.kind === "seq" && a.items.length === b.items.length && a.items.every((x, i) => sameYaml(x, b.items[i]));
  return b.kind === "map" && a.entries.length === b.entries.length && a.entries.every((e) => sameYaml(e.value, field(b, e.key.text)?.value));
}

function entryConf(cx: Cx, m: YMap, mod: ModuleImport, where: string): YNode | undefined {
  const conf = field(m, "conf");
  if (!conf || isNull(conf.value)) return undefined;
  if (conf.value.kind !== "map") {
    cx.error(conf.value.span, `\`${where}.conf\` should be a map, found ${kindOf(conf.value)}`);
    return undefined;
  }
  for (const e of conf.value.entries) {
    if (e.key.text === mod.divingbell) continue;
    const other = importerFor(e.key.text);
    if (other) cx.warn(e.key.span, `an override in \`divingbell_${mod.divingbell}\` only changes ${mod.divingbell}, so its \`conf.${e.key.text}\` had no effect; dropped`, `to change ${other.divingbell} on these nodes, add an override under \`divingbell_${other.divingbell}\``);
    else cx.warn(e.key.span, `\`conf.${e.key.text}\` in an override has no equivalent in a policy; dropped`);
  }
  return field(conf.value, mod.divingbell)?.value;
}

function hostEntry(cx: Cx, item: YNode, mod: ModuleImport, where: string): OverrideEntry | undefined {
  if (item.kind !== "map") return void cx.error(item.span, `\`${where}\` should be a map with \`name\` and \`conf\`, found ${kindOf(item)}`);
  const name = field(item, "name");
  if (!name) return void cx.error(item.span, `\`${where}\` has no \`name\`; dropped`);
  const text = affinityText(cx, name.value, `${where}.name`);
  if (text === undefined) return undefined;
  for (const e of item.entries) if (e.key.text !== "name" && e.key.text !== "conf") cx.warn(e.key.span, `Divingbell ignores \`${e.key.text}\` in a host override; dropped`);
  return { kind: "host", key: text, values: [], where, span: name.value.span, conf: entryConf(cx, item, mod, where) };
}

function labelEntry(cx: Cx, item: YNode, mod: ModuleImport, where: string): OverrideEntry | undefined {
  if (item.kind !== "map") return void cx.error(item.span, `\`${where}\` should be a map with \`label\` and \`conf\`, found ${kindOf(item)}`);
  const label = field(item, "label");
  if (!label || label.value.kind !== "map") return void cx.error(label?.value.span ?? item.span, `\`${where}\` needs \`label: { key: ..., values: [...] }\`; dropped`);
  for (const e of item.entries) if (e.key.text !== "label" && e.key.text !== "conf") cx.warn(e.key.span, `Divingbell ignores \`${e.key.text}\` in a label override; dropped`);
  const extra = label.value.entries.filter((e) => !["key", "values"].includes(e.key.text) && !(e.key.text === "operator" && e.value.kind === "scalar" && e.value.text === "In"));
  if (extra.length) {
    return void cx.error(extra[0]!.key.span, `Divingbell copied \`${extra[0]!.key.text}\` into the node selector expression, which a policy cannot express; entry dropped`, "a label rule matches `key in [values]`");
  }
  const keyNode = field(label.value, "key")?.value;
  const valuesNode = field(label.value, "values")?.value;
  if (!keyNode) return void cx.error(label.value.span, `\`${where}.label\` has no \`key\`; dropped`);
  const key = affinityText(cx, keyNode, `${where}.label.key`);
  if (key === undefined) return undefined;
  if (!valuesNode || valuesNode.kind !== "seq") return void cx.error(valuesNode?.span ?? label.value.span, `\`${where}.label.values\` should be a list of label values; dropped`);
  if (valuesNode.items.length === 0) return void cx.warn(valuesNode.span, `\`${where}\` has no label values: Kubernetes rejects an empty \`In\` list, so it matched no node; dropped`);
  if (key.includes("/")) cx.warn(keyNode.span, `Divingbell put the label key \`${key}\` into object names, which Kubernetes rejects for the \`/\`; dbellc names its objects validly`);
  const values = valuesNode.items.map((v, i) => affinityText(cx, v, `${where}.label.values[${i}]`)).filter((v): v is string => v !== undefined);
  return { kind: "label", key, values: [...new Set(values)].sort(), where, span: label.value.span, conf: entryConf(cx, item, mod, where) };
}

/** Keeps the entry Divingbell applied for each repeated host or selector: the last one. */
function dedupe(cx: Cx, entries: { entry: OverrideEntry; raw: YNode }[]): OverrideEntry[] {
  const last = new Map<string, number>();
  entries.forEach((e, i) => last.set(selectorId(e.entry), i));
  const out: OverrideEntry[] = [];
  entries.forEach((e, i) => {
    const j = last.get(selectorId(e.entry))!;
    if (j === i) return void out.push(e.entry);
    const later = entries[j]!;
    const what = e.entry.kind === "host" ? `host \`${e.entry.key}\`` : `label \`${e.entry.key} in [${e.entry.values.join(", ")}]\``;
    if (sameYaml(e.raw, later.raw)) cx.warn(e.entry.span, `\`${e.entry.where}\` repeats \`${later.entry.where}\` exactly: Divingbell rendered two DaemonSets of the same name for them; kept once`);
    else if (e.entry.kind === "host") cx.warn(e.entry.span, `${what} is overridden again at \`${later.entry.where}\`: Divingbell rendered two DaemonSets of the same name and the later one replaced this one; dropped`);
    else cx.warn(e.entry.span, `${what} is selected again at \`${later.entry.where}\`, which excluded all its nodes, so Divingbell never applied this entry; dropped`);
  });
  // Each kept entry takes the place of its last occurrence: that is where it wins over earlier label entries.
  return out;
}

function readList(cx: Cx, block: YMap, key: "hosts" | "labels", mod: ModuleImport): { list: OverrideEntry[]; raw: number } {
  const node = field(block, key)?.value;
  if (!node || isNull(node)) return { list: [], raw: 0 };
  if (node.kind !== "seq") {
    cx.error(node.span, `\`divingbell_${mod.divingbell}.${key}\` should be a list, found ${kindOf(node)}`);
    return { list: [], raw: 0 };
  }
  const read = node.items.map((item, i) => {
    const where = `divingbell_${mod.divingbell}.${key}[${i}]`;
    const entry = key === "hosts" ? hostEntry(cx, item, mod, where) : labelEntry(cx, item, mod, where);
    return entry && { entry, raw: item };
  });
  return { list: dedupe(cx, read.filter((r): r is { entry: OverrideEntry; raw: YNode } => r !== undefined)), raw: node.items.length };
}

/** The overrides of every module Divingbell deploys (`enabled`), by Divingbell module name. */
export function readOverrides(cx: Cx, overrides: YNode, enabled: ReadonlySet<string>): Map<string, ModuleOverrides> {
  const out = new Map<string, ModuleOverrides>();
  if (isNull(overrides)) return out;
  if (overrides.kind !== "map") {
    cx.error(overrides.span, `\`conf.overrides\` should be a map, found ${kindOf(overrides)}`);
    return out;
  }
  const names = MODULE_IMPORTS.map((m) => `divingbell_${m.divingbell}`);
  for (const e of overrides.entries) {
    const k = e.key.text;
    const mod = k.startsWith("divingbell_") ? importerFor(k.slice("divingbell_".length)) : undefined;
    if (!mod) {
      const dashed = k.startsWith("divingbell-") && importerFor(k.slice("divingbell-".length));
      const help = dashed ? `rename it to \`divingbell_${k.slice("divingbell-".length)}\` if it was meant to apply` : didYouMean(k, names);
      cx.warn(e.key.span, dashed ? `Divingbell ignores the old spelling \`${k}\` (it reads \`divingbell_${k.slice("divingbell-".length)}\`); dropped` : `Divingbell ignores \`conf.overrides.${k}\`: it is not \`divingbell_\` followed by one of its modules; dropped`, help);
      continue;
    }
    if (!enabled.has(mod.divingbell)) {
      cx.warn(e.key.span, `${mod.divingbell} is not deployed (\`manifests.daemonset_${mod.divingbell}\` is off), so \`${k}\` had no effect; dropped`);
      continue;
    }
    if (!isNull(e.value) && e.value.kind !== "map") {
      cx.error(e.value.span, `\`conf.overrides.${k}\` should be a map with \`hosts\` and \`labels\`, found ${kindOf(e.value)}`);
      continue;
    }
    const block: YMap = e.value.kind === "map" ? e.value : { kind: "map", entries: [], span: e.value.span };
    for (const x of block.entries) if (x.key.text !== "hosts" && x.key.text !== "labels") cx.warn(x.key.span, `Divingbell reads only \`hosts\` and \`labels\` in \`${k}\`; \`${x.key.text}\` dropped`, didYouMean(x.key.text, ["hosts", "labels"]));
    const hosts = readList(cx, block, "hosts", mod);
    const labels = readList(cx, block, "labels", mod);
    if (hosts.raw === 0 && labels.raw === 0) {
      cx.warn(e.key.span, `\`${k}\` has no hosts and no labels: Divingbell gave ${mod.divingbell}'s default DaemonSet an empty node selector term, so ${mod.divingbell} ran on no node; the policy runs its defaults on every node`, `to keep ${mod.divingbell} off every node, set \`manifests.daemonset_${mod.divingbell}: false\``);
    }
    out.set(mod.divingbell, { module: mod, hosts: hosts.list, labels: labels.list });
  }
  return out;
}
