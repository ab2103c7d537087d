/** Writes the imported policy: disabled modules, each module's defaults, then label rules, then host rules. */
import { assignmentText, itemText, keyText, type DMap, type DNode } from "../syntax/print-values.js";
import type { ModuleImport } from "./module-import.js";

/** One module's settings in one place of the policy. */
export interface EmitPart {
  readonly module: ModuleImport;
  readonly sets: DMap;
  readonly unsets: readonly (readonly string[])[];
  /** Comment lines naming where the settings come from. */
  readonly notes: readonly string[];
  /** Write `set MODULE {}` when there are no settings: the rule still decides which settings a node gets. */
  readonly keepEmpty: boolean;
}

export interface EmitRule {
  readonly target: { readonly kind: "host"; readonly name: string } | { readonly kind: "label"; readonly key: string; readonly values: readonly string[] };
  readonly parts: readonly EmitPart[];
}

export interface EmitInput {
  readonly source: string;
  readonly disabled: readonly { readonly module: string; readonly note: string }[];
  /** `set deploy` lines from the chart's images, labels and pod values. */
  readonly deploy?: readonly string[];
  readonly defaults: readonly EmitPart[];
  readonly labels: readonly EmitRule[];
  readonly hosts: readonly EmitRule[];
}

/** `set` statements for a module's settings: a block where the module groups fields, one line per leaf elsewhere. */
function setLines(mod: ModuleImport, map: DMap, path: readonly string[], indent: string, out: string[]): void {
  for (const [k, v] of map.entries) {
    const p = [...path, k];
    const head = `${indent}set ${mod.name} ${p.map(keyText).join(" ")}`;
    if (v.kind === "map" && !mod.blockAt(p)) {
      if (v.entries.size === 0) out.push(`${head} {}`);
      else setLines(mod, v, p, indent, out);
      continue;
    }
    const short = v.kind === "map" ? mod.shorthand?.(p, v) : undefined;
    out.push(head + assignmentText((short ?? v) as DNode, indent));
  }
}

function partLines(part: EmitPart, indent: string): string[] {
  const out = part.notes.map((n) => `${indent}# ${n}`);
  for (const u of part.unsets) out.push(`${indent}unset ${part.module.name}${u.map((k) => ` ${keyText(k)}`).join("")}`);
  setLines(part.module, part.sets, [], indent, out);
  if (part.sets.entries.size === 0 && part.unsets.length === 0 && part.keepEmpty) {
    out.push(`${indent}# no ${part.module.name} settings, but these nodes still get this rule's ${part.module.name} (the defaults) instead of a label rule's`);
    out.push(`${indent}set ${part.module.name} {}`);
  }
  return out;
}

function hasContent(p: EmitPart): boolean {
  return p.sets.entries.size > 0 || p.unsets.length > 0 || p.keepEmpty;
}

function ruleLines(r: EmitRule): string[] {
  const parts = r.parts.filter(hasContent);
  if (parts.length === 0) return [];
  const t = r.target;
  const head = t.kind === "host" ? `on host ${keyText(t.name)}` : `on label ${keyText(t.key)} in [${t.values.map(itemText).join(", ")}]`;
  return [`${head} {`, ...parts.flatMap((p, i) => [...(i > 0 ? [""] : []), ...partLines(p, "  ")]), "}", ""];
}

export function emitPolicy(input: EmitInput): string {
  const out = [`# Imported from ${input.source} by \`dbellc import\`; review the warnings it printed.`, ""];
  for (const d of input.disabled) out.push(`# ${d.note}`, `disable ${d.module}`, "");
  if (input.deploy?.length) out.push("# ---- how the DaemonSets are deployed (the chart's images, labels and pod values) ----", ...input.deploy, "");
  for (const p of input.defaults.filter(hasContent)) {
    out.push(...partLines(p, ""), "");
  }
  const labels = input.labels.flatMap(ruleLines);
  if (labels.length) out.push("# ---- label rules: for each module, a node gets the last rule it matches -------------------------", "", ...labels);
  const hosts = input.hosts.flatMap(ruleLines);
  if (hosts.length) out.push("# ---- host rules: a host rule replaces the label rules of its modules ------------------------------", "", ...hosts);
  while (out[out.length - 1] === "") out.pop();
  return out.join("\n") + "\n";
}
