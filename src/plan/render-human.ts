/** `plan` for people: per module the DaemonSets with their nodes and settings digest, the fleet matrix, the changes. */
import { whereLine, type Sources } from "../diagnostics/render.js";
import type { ChangeGroup, SettingChange } from "./diff.js";
import { groupText } from "./group.js";
import type { Plan } from "./plan.js";
import { valueText } from "./settings.js";
import { summarize, type ModuleSummary } from "./summary.js";

export interface HumanContext {
  readonly sources: Sources;
  /** The policy files, and those of `--against`. */
  readonly files: readonly string[];
  readonly against?: readonly string[];
}

export function renderPlanHuman(p: Plan, ctx: HumanContext): string {
  const out: string[] = [`plan of ${ctx.files.join(", ")} for ${count(p.fleet.nodes.length, "node")} in ${p.inventory.file}`, ""];
  const sums = summarize(p.fleet);
  if (p.diff) renderChanges(p, ctx, out);
  else {
    for (const s of sums) renderModule(s, ctx.sources, out);
    renderMatrix(p, sums, out);
  }
  out.push(summaryLine(p, sums));
  return out.join("\n") + "\n";
}

function renderModule(s: ModuleSummary, sources: Sources, out: string[]): void {
  out.push(`${s.module}:`);
  const name = Math.max(9, ...s.rows.map((r) => (r.daemonSet ?? "(none)").length), ...s.idle.map((d) => d.length));
  for (const r of s.rows) {
    const rules = r.rules.map((x) => (x.origin ? `${x.text} (${whereLine(x.origin, sources)})` : x.text)).join("; ");
    out.push(`  ${r.tag.padEnd(3)} ${(r.daemonSet ?? "(none)").padEnd(name)}  ${String(r.nodes).padStart(6)} ${r.nodes === 1 ? "node " : "nodes"}  settings ${r.digest.padEnd(12)}  ${rules}`);
  }
  for (const d of s.idle) out.push(`      ${d.padEnd(name)}  selects no node`);
  out.push("");
}

/** One line per node: the tag of its row in each module's table. */
function renderMatrix(p: Plan, sums: readonly ModuleSummary[], out: string[]): void {
  const width = Math.max(4, ...p.fleet.nodes.map((n) => n.node.name.length));
  out.push(`${"node".padEnd(width)}  ${sums.map((s) => s.module).join("  ")}`);
  p.fleet.nodes.forEach((np, i) => {
    out.push(`${np.node.name.padEnd(width)}  ${sums.map((s) => s.rowOf[i]!.tag.padEnd(s.module.length)).join("  ").trimEnd()}`);
  });
  out.push("");
}

function renderChanges(p: Plan, ctx: HumanContext, out: string[]): void {
  const d = p.diff!;
  const names = (idx: readonly number[]) => idx.map((i) => p.fleet.nodes[i]!.node.name);
  const where = (idx: readonly number[]) => groupText(idx.length, p.labels.describe(idx), names(idx));
  out.push(`changes against ${(ctx.against ?? []).join(", ")}: ${d.nodes.length} of ${count(p.fleet.nodes.length, "node")} change`, "");
  for (const g of d.groups) {
    out.push(`${g.module}: ${where(g.nodes)}`);
    for (const c of g.changes) out.push(`    ${changeText(c)}`);
    out.push(...nodeList(g, p));
    out.push("");
  }
  if (d.moves.length) {
    out.push("DaemonSet changes (the pod on each of these nodes is replaced, even where its settings stay the same):");
    for (const m of d.moves) out.push(`  ${m.module}: ${where(m.nodes)}: ${m.old ?? "(none)"} → ${m.new ?? "(none)"}`);
    out.push("");
  }
}

/** The node names of a group that no labels describe exactly (up to ten). */
function nodeList(g: ChangeGroup, p: Plan): string[] {
  const label = p.labels.describe(g.nodes);
  // A label that names exactly the group's nodes says it all.
  if (g.nodes.length === 1 || label?.exact || label?.and || label?.without.length) return [];
  const shown = g.nodes.slice(0, 10).map((i) => p.fleet.nodes[i]!.node.name);
  return [`    nodes: ${shown.join(", ")}${g.nodes.length > 10 ? `, and ${g.nodes.length - 10} more` : ""}`];
}

export function changeText(c: SettingChange): string {
  if (c.kind === "added") return `+ ${c.key} = ${valueText(c.value)}`;
  if (c.kind === "removed") return `- ${c.key} (was ${valueText(c.old)})`;
  return `~ ${c.key}: ${valueText(c.old)} → ${valueText(c.value)}`;
}

function summaryLine(p: Plan, sums: readonly ModuleSummary[]): string {
  const sets = p.fleet.daemonSets.length;
  const idle = sums.reduce((n, s) => n + s.idle.length, 0);
  const parts = [`summary: ${count(p.fleet.nodes.length, "node")}, ${count(p.fleet.modules.length, "module")}, ${count(sets, "DaemonSet")}`];
  if (idle) parts.push(`${idle} select${idle === 1 ? "s" : ""} no node`);
  if (p.diff) {
    const moved = new Set(p.diff.moves.flatMap((m) => m.nodes)).size;
    parts.push(`${p.diff.nodes.length} node${p.diff.nodes.length === 1 ? "" : "s"} change`, `${moved} change DaemonSet`);
  }
  return parts.join(", ");
}

export function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
