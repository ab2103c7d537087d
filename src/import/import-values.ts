/**
 * `importValues(file, text)`: a Divingbell Helm values file → an equivalent .dbell policy plus diagnostics pointing
 * into the YAML. Pure: no file access. The per-node result is Divingbell's: for each module, the host override,
 * else the last matching label override, else the root conf, each override deep-merged onto the root conf.
 */
import { DiagnosticBag, dedupe, sortDiagnostics, type Diagnostic } from "../diagnostics/diagnostic.js";
import { whereLine } from "../diagnostics/render.js";
import { dmap, type DNode } from "../syntax/print-values.js";
import { emitPolicy, type EmitPart, type EmitRule } from "./emit.js";
import { readConfGlobals, readManifests, readTopLevel } from "./globals.js";
import { MAX_PAIRS, orderLabels, type Selector } from "./label-order.js";

/** Order conflicts reported one by one; a generated file can have one per pair of label entries. */
const MAX_CONFLICT_WARNINGS = 100;
import type { ModuleImport } from "./module-import.js";
import { MODULE_IMPORTS } from "./modules/index.js";
import { readOverrides, selectorId, type ModuleOverrides, type OverrideEntry } from "./overrides.js";
import { Cx, hasPath, isNull, Out, type Translation } from "./reader.js";
import { field, kindOf, loadYaml, type YMap, type YNode } from "./yaml-tree.js";

export interface ImportResult {
  /** The policy text; undefined when the file is not YAML or not a map. */
  readonly dbell: string | undefined;
  /** Sorted; spans point into the values file. */
  readonly diagnostics: readonly Diagnostic[];
}

interface RuleBuilder {
  readonly target: EmitRule["target"];
  readonly parts: EmitPart[];
}

function mapOrEmpty(cx: Cx, n: YNode | undefined, where: string): YMap | undefined {
  if (!n || isNull(n)) return undefined;
  if (n.kind === "map") return n;
  cx.error(n.span, `\`${where}\` should be a map, found ${kindOf(n)}`);
  return undefined;
}

export function importValues(file: string, text: string): ImportResult {
  const loaded = loadYaml(file, text);
  const bag = new DiagnosticBag();
  for (const d of loaded.diagnostics) bag.add(d);
  const finish = (dbell: string | undefined): ImportResult => ({ dbell, diagnostics: sortDiagnostics(dedupe(bag.items)) });
  if (!loaded.root) return finish(undefined);
  if (loaded.root.kind !== "map" && !isNull(loaded.root)) {
    bag.report("DB4001", loaded.root.span, `a values file is a map of settings, found ${kindOf(loaded.root)}`);
    return finish(undefined);
  }
  // A file without `conf` is some other YAML (or empty): importing it as an empty policy would revert every node.
  if (loaded.root.kind !== "map" || !field(loaded.root, "conf")) {
    bag.report("DB4005", loaded.root.kind === "map" ? (loaded.root.entries[0]?.key.span ?? loaded.root.span) : loaded.root.span, "this is not a Divingbell values file: it has no `conf`", {
      help: "Divingbell's settings live under `conf:` (`conf: { sysctl: { ... } }`); check that this is the values file of the divingbell chart",
    });
    return finish(undefined);
  }
  const cx = new Cx(bag);
  const sources = new Map([[file, text]]);
  const root: YMap = loaded.root;
  const conf = mapOrEmpty(cx, field(root, "conf")?.value, "conf");
  const disabled = readManifests(cx, field(root, "manifests")?.value);
  const deploy = readTopLevel(cx, root);
  if (conf) readConfGlobals(cx, conf);
  const off = new Set(disabled.map((d) => d.divingbell));
  const enabled = new Set(MODULE_IMPORTS.map((m) => m.divingbell).filter((m) => !off.has(m)));
  const overrides = conf ? readOverrides(cx, field(conf, "overrides")?.value ?? { kind: "scalar", text: "", style: "empty", span: conf.span }, enabled) : new Map<string, ModuleOverrides>();

  const defaults: EmitPart[] = [];
  const rules = new Map<string, RuleBuilder>();
  const labelLists = new Map<string, Selector[]>();
  const entryOf = new Map<string, OverrideEntry>();
  const partOf = new Map<string, EmitPart>();
  for (const mod of MODULE_IMPORTS) {
    const confEntry = conf && field(conf, mod.divingbell);
    if (off.has(mod.divingbell)) {
      if (confEntry && !isNull(confEntry.value)) cx.warn(confEntry.key.span, `${mod.divingbell} is not deployed (\`manifests.daemonset_${mod.divingbell}\` is off), so \`conf.${mod.divingbell}\` had no effect; dropped`);
      continue;
    }
    const rootYaml = mapOrEmpty(cx, confEntry?.value, `conf.${mod.divingbell}`);
    const rootOut = new Out();
    if (rootYaml) mod.translate(rootYaml, { cx, mode: "root", out: rootOut, root: dmap(), rootYaml });
    const from = mod.name === mod.divingbell ? "" : ` (Divingbell's ${mod.divingbell})`;
    defaults.push({ module: mod, sets: rootOut.sets, unsets: [], notes: [`---- ${mod.name}${from} ----`], keepEmpty: false });
    const ov = overrides.get(mod.divingbell);
    if (!ov) continue;
    for (const e of [...ov.hosts, ...ov.labels]) {
      const part = overridePart(cx, mod, e, rootOut, rootYaml, ov.labels.length);
      part.notes.push(`${mod.name}: from conf.overrides.${e.where} (${whereLine(e.span, sources)})`);
      const id = selectorId(e);
      let rule = rules.get(id);
      if (!rule) {
        rule = { target: e.kind === "host" ? { kind: "host", name: e.key } : { kind: "label", key: e.key, values: e.values }, parts: [] };
        rules.set(id, rule);
      }
      rule.parts.push(part);
      entryOf.set(`${mod.name}\0${id}`, e);
      partOf.set(`${mod.name}\0${id}`, part);
    }
    labelLists.set(mod.name, ov.labels.map((e) => ({ id: selectorId(e), key: e.key, values: e.values })));
  }

  const { order, conflicts, approximate } = orderLabels(labelLists);
  if (approximate) {
    const first = [...entryOf.values()][0];
    if (first) cx.warn(first.span, `there are too many label overrides to order them exactly for every module (more than ${MAX_PAIRS.toLocaleString("en")} pairs to compare); the policy keeps the order in which they first appear, so nodes matching several labels may get other settings than under Divingbell`, "split the values file, or review the order of the `on label` rules");
  }
  const show = (s: Selector) => `\`${s.key} in [${s.values.join(", ")}]\``;
  let reported = 0;
  for (const c of conflicts) {
    const e = entryOf.get(`${c.module}\0${c.winner.id}`)!;
    // Two rules giving the module the same settings make their order irrelevant.
    if (samePart(partOf.get(`${c.module}\0${c.winner.id}`)!, partOf.get(`${c.module}\0${c.loser.id}`)!)) continue;
    if (++reported > MAX_CONFLICT_WARNINGS) {
      cx.warn(e.span, `more label entries from here on whose order no single policy order can keep for every module (not reported one by one)`);
      break;
    }
    cx.warn(e.span, `for ${c.module}, Divingbell gave nodes matching both ${show(c.loser)} and ${show(c.winner)} this later entry, but another module lists the two labels the other way round and a policy orders label rules once for all modules: those nodes now get the ${c.module} settings of ${show(c.loser)}`);
  }
  const dbell = emitPolicy({
    source: file,
    disabled: disabled.map((d) => ({ module: MODULE_IMPORTS.find((m) => m.divingbell === d.divingbell)!.name, note: d.note })),
    deploy,
    defaults,
    labels: order.map((s) => rules.get(s.id)!),
    hosts: [...rules.entries()].filter(([id]) => id.startsWith("host\0")).map(([, r]) => r),
  });
  return finish(dbell);
}

function samePart(a: EmitPart, b: EmitPart): boolean {
  return JSON.stringify([a.unsets, toJson(a.sets)]) === JSON.stringify([b.unsets, toJson(b.sets)]);
}

function toJson(n: DNode): unknown {
  return n.kind === "map" ? [...n.entries].map(([k, v]) => [k, toJson(v)]) : n.kind === "list" ? n.items.map((i) => i.text) : n.text;
}

/** One override entry's settings for one module, as a rule part on top of the module's defaults. */
function overridePart(cx: Cx, mod: ModuleImport, e: OverrideEntry, rootOut: Out, rootYaml: YMap | undefined, labelCount: number): EmitPart & { notes: string[] } {
  const out = new Out();
  const t: Translation = { cx, mode: "override", out, root: rootOut.sets, rootYaml };
  if (e.conf && isNull(e.conf)) {
    if (rootOut.sets.entries.size > 0) {
      out.unset([]);
      cx.warn(e.conf.span, `\`conf.${mod.divingbell}\` is null in this override: depending on its merge library Divingbell ignored it or dropped all of ${mod.divingbell}'s settings for these nodes; the policy drops them (\`unset ${mod.name}\`)`);
    }
  } else if (e.conf) {
    const m = mapOrEmpty(cx, e.conf, `conf.${mod.divingbell}`);
    if (m) mod.translate(m, t);
  }
  // Unsets only of what the defaults hold: anything else removes nothing.
  const unsets = out.unsets.filter((u) => (u.length === 0 ? rootOut.sets.entries.size > 0 : hasPath(rootOut.sets, u)));
  // A rule without settings still decides the node's variant: a host rule beats label rules, a later label rule earlier ones.
  const keepEmpty = e.kind === "host" ? labelCount > 0 : labelCount > 1;
  return { module: mod, sets: out.sets, unsets, notes: [], keepEmpty };
}
