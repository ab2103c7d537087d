/**
 * `plan --format json` (docs/json-format.md, version 1). A module's settings are listed once per digest and nodes
 * refer to them by digest, so a fleet of thousands of nodes stays small.
 */
import { toJson, whereLine, type Sources } from "../diagnostics/render.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Span } from "../diagnostics/span.js";
import type { SettingChange } from "./diff.js";
import type { Placement } from "./fleet.js";
import type { GroupLabel } from "./group.js";
import type { Plan } from "./plan.js";
import { summarize } from "./summary.js";

export const PLAN_JSON_VERSION = 1;

export function planJson(p: Plan, sources: Sources, diagnostics: readonly Diagnostic[]): object {
  const sums = summarize(p.fleet);
  // A rule's place is asked for once per node: work it out once per rule.
  const places = new Map<Span, object>();
  const place = (s: Span) => places.get(s) ?? places.set(s, { file: s.file, line: Number(whereLine(s, sources).split(":").pop()) }).get(s)!;
  const settings: Record<string, Record<string, object[]>> = {};
  for (const np of p.fleet.nodes) {
    for (const pl of np.modules.values()) {
      const m = (settings[pl.module] ??= {});
      m[pl.settings.digest] ??= pl.settings.settings.map((s) => ({ key: s.key, value: s.value }));
    }
  }
  const rule = (pl: Placement) => {
    const t = pl.rule;
    const base = t.kind === "Default" ? { kind: "default" } : t.kind === "Host" ? { kind: "host", name: t.name } : { kind: "label", key: t.key, values: t.values };
    return pl.ruleOrigin ? { ...base, origin: place(pl.ruleOrigin) } : base;
  };
  const names = (idx: readonly number[]) => idx.map((i) => p.fleet.nodes[i]!.node.name);
  const label = (l: GroupLabel | undefined) => (l ? { key: l.key, value: l.value, exact: l.exact, carriers: l.carriers, and: l.and ? { key: l.and.key, value: l.and.value ?? null } : null, without: l.without } : null);
  return {
    version: PLAN_JSON_VERSION,
    inventory: { file: p.inventory.file, nodes: p.fleet.nodes.length },
    modules: sums.map((s) => ({
      module: s.module,
      daemonSets: p.fleet.daemonSets.filter((d) => d.module === s.module).map((d) => ({ name: d.name, nodes: d.nodes })),
      variants: s.rows.map((r) => ({ daemonSet: r.daemonSet ?? null, digest: r.digest, nodes: r.nodes })),
    })),
    settings,
    nodes: p.fleet.nodes.map((np) => ({
      name: np.node.name,
      hostname: np.node.hostname,
      modules: Object.fromEntries([...np.modules.values()].map((pl) => [pl.module, { daemonSet: pl.daemonSet ?? null, digest: pl.settings.digest, rule: rule(pl) }])),
    })),
    ...(p.diff
      ? {
          changes: {
            nodes: p.diff.nodes.map((n) => ({
              name: p.fleet.nodes[n.index]!.node.name,
              modules: n.modules.map((m) => ({ module: m.module, ...(m.daemonSet ? { daemonSet: { old: m.daemonSet.old ?? null, new: m.daemonSet.new ?? null } } : {}), changes: m.changes.map(changeJson) })),
            })),
            groups: p.diff.groups.map((g) => ({ module: g.module, label: label(p.labels.describe(g.nodes)), nodes: names(g.nodes), changes: g.changes.map(changeJson) })),
            daemonSetChanges: p.diff.moves.map((m) => ({ module: m.module, old: m.old ?? null, new: m.new ?? null, label: label(p.labels.describe(m.nodes)), nodes: names(m.nodes) })),
          },
        }
      : {}),
    diagnostics: (toJson(diagnostics, sources) as { diagnostics: object[] }).diagnostics,
    summary: {
      nodes: p.fleet.nodes.length,
      daemonSets: p.fleet.daemonSets.length,
      idleDaemonSets: sums.flatMap((s) => s.idle.map((name) => ({ module: s.module, name }))),
      ...(p.diff ? { changedNodes: p.diff.nodes.length, daemonSetChangedNodes: new Set(p.diff.moves.flatMap((m) => m.nodes)).size } : {}),
    },
  };
}

function changeJson(c: SettingChange): object {
  if (c.kind === "added") return { kind: "added", key: c.key, new: c.value };
  if (c.kind === "removed") return { kind: "removed", key: c.key, old: c.old };
  return { kind: "changed", key: c.key, old: c.old, new: c.value };
}
