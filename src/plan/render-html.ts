/**
 * `plan --format html`: one self-contained page (inline CSS, no scripts, fonts or links out) for reviewing a fleet:
 * the warnings, the change sets per group of nodes (with `--against`), a legend per module, and the fleet matrix of
 * nodes × modules, each cell coloured by the DaemonSet (and settings) the node runs, nodes grouped by the values of
 * the label keys the policy's rules use.
 */
import { whereLine, type Sources } from "../diagnostics/render.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { SettingChange } from "./diff.js";
import { groupText } from "./group.js";
import type { Plan } from "./plan.js";
import type { HumanContext } from "./render-human.js";
import { valueText } from "./settings.js";
import { summarize, type ModuleSummary } from "./summary.js";
import { PALETTE, STYLE } from "./html-style.js";

export function renderPlanHtml(p: Plan, ctx: HumanContext): string {
  const sums = summarize(p.fleet);
  const title = `dbellc plan: ${ctx.files.join(", ")}`;
  const changed = changedCells(p);
  const parts = [
    `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${esc(title)}</title>\n<style>${STYLE}${paletteCss()}</style>\n</head>\n<body>`,
    `<h1>${esc(title)}</h1>`,
    `<div class="sub">${esc(p.inventory.file)}${ctx.against ? ` · changes against ${esc(ctx.against.join(", "))}` : ""}</div>`,
    stats(p, sums),
    diagnostics(p.diagnostics, ctx.sources),
    p.diff ? changes(p) : "",
    `<h2 id="legend">DaemonSets per module</h2>`,
    ...sums.map((s) => legend(s, ctx.sources)),
    `<h2 id="matrix">Fleet matrix</h2>`,
    `<p class="nodes">Each cell is the DaemonSet a node runs for a module; the letter and colour match the module's legend.${p.diff ? " A red frame marks a change of settings, ↻ a change of DaemonSet." : ""}</p>`,
    matrix(p, sums, changed),
    `</body>\n</html>\n`,
  ];
  return parts.filter((x) => x !== "").join("\n");
}

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Escapes a message and sets its `quoted` names in code type. */
function code(s: string): string {
  return esc(s).replace(/`([^`]*)`/g, "<code>$1</code>");
}

function paletteCss(): string {
  return PALETTE.map((c, i) => `.k${i} { background: ${c}; }`).join("\n");
}

function colour(tagIndex: number): string {
  return `k${tagIndex % PALETTE.length}`;
}

function stats(p: Plan, sums: readonly ModuleSummary[]): string {
  const idle = sums.reduce((n, s) => n + s.idle.length, 0);
  const items: [string, number][] = [
    ["nodes", p.fleet.nodes.length],
    ["modules", p.fleet.modules.length],
    ["DaemonSets", p.fleet.daemonSets.length],
    ["select no node", idle],
    ["warnings", p.diagnostics.length],
  ];
  if (p.diff) items.push(["nodes change", p.diff.nodes.length], ["change DaemonSet", new Set(p.diff.moves.flatMap((m) => m.nodes)).size]);
  return `<div class="stats">${items.map(([k, v]) => `<div class="stat" data-stat="${esc(k)}"><b>${v}</b>${esc(k)}</div>`).join("")}</div>`;
}

function diagnostics(ds: readonly Diagnostic[], sources: Sources): string {
  if (!ds.length) return "";
  const item = (d: Diagnostic) =>
    `<div class="diag ${d.severity}" data-code="${d.code}"><b>${d.severity}[${d.code}]</b> ${code(d.message)} <span class="mono">${esc(whereLine(d.span, sources))}</span>${d.help ? `<br><span class="nodes">${code(d.help)}</span>` : ""}</div>`;
  return `<h2 id="warnings">Warnings</h2>\n${ds.map(item).join("\n")}`;
}

function changeItem(c: SettingChange): string {
  const text = c.kind === "added" ? `${c.key} = ${valueText(c.value)}` : c.kind === "removed" ? `${c.key} (was ${valueText(c.old)})` : `${c.key}: ${valueText(c.old)} → ${valueText(c.value)}`;
  return `<li class="${c.kind}"><code>${esc(text)}</code></li>`;
}

function changes(p: Plan): string {
  const d = p.diff!;
  const names = (idx: readonly number[]) => idx.map((i) => p.fleet.nodes[i]!.node.name);
  const where = (idx: readonly number[]) => groupText(idx.length, p.labels.describe(idx), names(idx));
  const nodeList = (idx: readonly number[]) => `<details><summary>nodes<span class="count">${idx.length}</span></summary><div class="nodes mono">${esc(names(idx).join(" "))}</div></details>`;
  const out = [`<h2 id="changes">Changes</h2>`];
  if (!d.groups.length && !d.moves.length) out.push(`<p>No node changes.</p>`);
  for (const g of d.groups) {
    out.push(`<div class="change" data-module="${esc(g.module)}" data-nodes="${g.nodes.length}"><b>${esc(g.module)}</b>: ${esc(where(g.nodes))}<ul>${g.changes.map(changeItem).join("")}</ul>${nodeList(g.nodes)}</div>`);
  }
  if (d.moves.length) {
    out.push(`<h3>DaemonSet changes</h3><p class="nodes">The pod on each of these nodes is replaced when the change is applied, even where its settings stay the same.</p>`);
    out.push(`<table class="moves"><tr><th>module</th><th>nodes</th><th>from</th><th>to</th></tr>`);
    for (const m of d.moves) out.push(`<tr data-module="${esc(m.module)}"><td>${esc(m.module)}</td><td>${esc(where(m.nodes))}</td><td class="mono">${esc(m.old ?? "(none)")}</td><td class="mono">${esc(m.new ?? "(none)")}</td></tr>`);
    out.push(`</table>`);
  }
  return out.join("\n");
}

function legend(s: ModuleSummary, sources: Sources): string {
  const rows = s.rows.map((r, i) => {
    const rules = r.rules.map((x) => `${esc(x.text)}${x.origin ? ` <span class="nodes">${esc(whereLine(x.origin, sources))}</span>` : ""}`).join("<br>");
    return `<tr><td class="sw ${r.daemonSet ? colour(i) : ""}">${r.tag}</td><td class="mono">${esc(r.daemonSet ?? "(none)")}</td><td>${r.nodes}</td><td class="mono">${r.digest}</td><td>${rules}</td></tr>`;
  });
  const idle = s.idle.map((n) => `<tr class="idle"><td></td><td class="mono">${esc(n)}</td><td>0</td><td colspan="2">selects no node</td></tr>`);
  return `<h3>${esc(s.module)}</h3>\n<table class="legend" data-module="${esc(s.module)}"><tr><th></th><th>DaemonSet</th><th>nodes</th><th>settings</th><th>rules</th></tr>${[...rows, ...idle].join("")}</table>`;
}

/** Cells (`node index \0 module`) whose settings change, and those whose DaemonSet changes. */
function changedCells(p: Plan): { settings: Set<string>; moved: Set<string> } {
  const settings = new Set<string>();
  const moved = new Set<string>();
  for (const n of p.diff?.nodes ?? []) {
    for (const m of n.modules) {
      if (m.changes.length) settings.add(`${n.index}\0${m.module}`);
      if (m.daemonSet) moved.add(`${n.index}\0${m.module}`);
    }
  }
  return { settings, moved };
}

/** Nodes grouped by their values of the label keys the policy's rules select on. */
function matrix(p: Plan, sums: readonly ModuleSummary[], changed: { settings: Set<string>; moved: Set<string> }): string {
  const keys = [...p.labels.preferredKeys].sort();
  const groups = new Map<string, number[]>();
  p.fleet.nodes.forEach((np, i) => {
    const k = keys.map((key) => `${key}=${np.node.labels.get(key) ?? "—"}`).join(" · ") || "all nodes";
    (groups.get(k) ?? groups.set(k, []).get(k)!).push(i);
  });
  const tagIndex = sums.map((s) => new Map(s.rows.map((r, i) => [r, i])));
  const head = `<tr><th>node</th>${sums.map((s) => `<th>${esc(s.module)}</th>`).join("")}</tr>`;
  const out: string[] = [];
  // In label order, numbers by value (r9 before r10), so the groups of one value (all of rack r03, say) sit together.
  const order = new Intl.Collator("en", { numeric: true });
  for (const [label, idx] of [...groups].sort((a, b) => order.compare(a[0], b[0]) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const rows = idx.map((i) => {
      const cells = sums.map((s, si) => {
        const r = s.rowOf[i]!;
        const key = `${i}\0${s.module}`;
        const cls = ["cell", r.daemonSet ? colour(tagIndex[si]!.get(r)!) : "none", changed.settings.has(key) ? "chg" : "", changed.moved.has(key) ? "mov" : ""].filter((c) => c).join(" ");
        return `<td class="${cls}" data-module="${esc(s.module)}" data-daemonset="${esc(r.daemonSet ?? "")}" title="${esc(`${r.daemonSet ?? "no DaemonSet"} · settings ${r.digest}`)}">${r.tag}</td>`;
      });
      return `<tr data-node="${esc(p.fleet.nodes[i]!.node.name)}"><td class="node">${esc(p.fleet.nodes[i]!.node.name)}</td>${cells.join("")}</tr>`;
    });
    // On a large fleet every group starts folded, so the page opens on one line per group: its nodes per module at
    // a glance (a chip per DaemonSet the group runs) and how many of them change.
    const chips = sums.map((s, si) => {
      const seen = [...new Set(idx.map((i) => s.rowOf[i]!))].sort((a, b) => tagIndex[si]!.get(a)! - tagIndex[si]!.get(b)!);
      return `<span class="mod" title="${esc(s.module)}">${seen.map((r) => `<span class="${r.daemonSet ? colour(tagIndex[si]!.get(r)!) : "none"}">${r.tag}</span>`).join("")}</span>`;
    });
    const changing = idx.filter((i) => sums.some((s) => changed.settings.has(`${i}\0${s.module}`) || changed.moved.has(`${i}\0${s.module}`))).length;
    const count = `${idx.length} node${idx.length === 1 ? "" : "s"}${p.diff ? `, ${changing} changing` : ""}`;
    out.push(
      `<details class="group"${p.fleet.nodes.length <= 200 ? " open" : ""}><summary>${esc(label)}<span class="count">${count}</span><span class="dist">${chips.join("")}</span></summary>\n<table class="matrix">${head}\n${rows.join("\n")}\n</table></details>`,
    );
  }
  return out.join("\n");
}
