/**
 * `plan --against`: per node and module, the settings added, changed (old → new) and removed, and whether the node's
 * DaemonSet changes; nodes that get the same change of one module are grouped.
 */
import type { FleetPlan, Placement } from "./fleet.js";
import { sameValue, type Setting } from "./settings.js";

export type SettingChange =
  | { readonly kind: "added"; readonly key: string; readonly value: Setting["value"] }
  | { readonly kind: "changed"; readonly key: string; readonly old: Setting["value"]; readonly value: Setting["value"] }
  | { readonly kind: "removed"; readonly key: string; readonly old: Setting["value"] };

export interface ModuleChange {
  readonly module: string;
  readonly changes: readonly SettingChange[];
  /** Set when the node's DaemonSet changes: its pod is replaced even if the settings stay equal. */
  readonly daemonSet?: { readonly old?: string; readonly new?: string };
}

export interface NodeChange {
  readonly index: number;
  readonly modules: readonly ModuleChange[];
}

export interface ChangeGroup {
  readonly module: string;
  readonly changes: readonly SettingChange[];
  /** Inventory positions of the nodes, in inventory order. */
  readonly nodes: readonly number[];
}

export interface DaemonSetMove {
  readonly module: string;
  readonly old?: string;
  readonly new?: string;
  readonly nodes: readonly number[];
}

export interface FleetDiff {
  /** Only the nodes with a change, in inventory order. */
  readonly nodes: readonly NodeChange[];
  /** Largest first, then by module order and first node. */
  readonly groups: readonly ChangeGroup[];
  readonly moves: readonly DaemonSetMove[];
}

/** Compares two plans of the same inventory. */
export function diffPlans(old: FleetPlan, now: FleetPlan): FleetDiff {
  const modules = [...now.modules, ...old.modules.filter((m) => !now.modules.includes(m))];
  const nodes: NodeChange[] = [];
  const groups = new Map<string, { module: string; changes: SettingChange[]; nodes: number[]; order: number }>();
  const moves = new Map<string, { module: string; old?: string; new?: string; nodes: number[]; order: number }>();
  now.nodes.forEach((np, i) => {
    const before = old.nodes[i]!;
    const changed: ModuleChange[] = [];
    modules.forEach((m, mi) => {
      const a = before.modules.get(m);
      const b = np.modules.get(m);
      const changes = compare(a, b);
      const moved = a?.daemonSet !== b?.daemonSet;
      if (!changes.length && !moved) return;
      changed.push({ module: m, changes, ...(moved ? { daemonSet: { old: a?.daemonSet, new: b?.daemonSet } } : {}) });
      if (changes.length) {
        const key = `${m}\0${JSON.stringify(changes)}`;
        const g = groups.get(key) ?? groups.set(key, { module: m, changes, nodes: [], order: mi }).get(key)!;
        g.nodes.push(i);
      }
      if (moved) {
        const key = `${m}\0${a?.daemonSet ?? ""}\0${b?.daemonSet ?? ""}`;
        const mv = moves.get(key) ?? moves.set(key, { module: m, old: a?.daemonSet, new: b?.daemonSet, nodes: [], order: mi }).get(key)!;
        mv.nodes.push(i);
      }
    });
    if (changed.length) nodes.push({ index: i, modules: changed });
  });
  const rank = <T extends { nodes: number[]; order: number }>(x: T, y: T): number => y.nodes.length - x.nodes.length || x.order - y.order || x.nodes[0]! - y.nodes[0]!;
  return {
    nodes,
    groups: [...groups.values()].sort(rank).map(({ module, changes, nodes }) => ({ module, changes, nodes })),
    moves: [...moves.values()].sort(rank).map(({ order: _o, ...mv }) => mv),
  };
}

/** The settings changes from `a` to `b`: changed and removed in `a`'s order, then added in `b`'s. */
function compare(pa: Placement | undefined, pb: Placement | undefined): SettingChange[] {
  // A node no DaemonSet selects gets no settings.
  const a = pa?.daemonSet === undefined ? undefined : pa;
  const b = pb?.daemonSet === undefined ? undefined : pb;
  // Equal digests are equal settings (see settings.ts): most nodes of a fleet take this path.
  if (a && b && a.settings.digest === b.settings.digest) return [];
  const out: SettingChange[] = [];
  const after = b?.settings.byKey ?? new Map<string, Setting>();
  for (const s of a?.settings.settings ?? []) {
    const n = after.get(s.key);
    if (!n) out.push({ kind: "removed", key: s.key, old: s.value });
    else if (!sameValue(s.value, n.value)) out.push({ kind: "changed", key: s.key, old: s.value, value: n.value });
  }
  const before = a?.settings.byKey ?? new Map<string, Setting>();
  for (const s of b?.settings.settings ?? []) if (!before.has(s.key)) out.push({ kind: "added", key: s.key, value: s.value });
  return out;
}
