/**
 * The plan of a fleet: for each node and module, the DaemonSet the scheduler puts on it — found by evaluating every
 * compiled DaemonSet's node affinity and nodeSelector against the node's labels, as Kubernetes would — and the
 * settings that node gets, taken from `explain`. The two come from independent machinery on purpose: the property
 * tests hold them to agree (each DaemonSet runs exactly the variant explain names).
 */
import type { Span } from "../diagnostics/span.js";
import { compileManifests, type Analysis } from "../compile.js";
import { explainNode } from "../lower/explain.js";
import type { Variant } from "../ir/variant.js";
import { scheduledDaemonSets } from "./daemonsets.js";
import type { InventoryNode } from "./inventory.js";
import { settingsView, type SettingsView } from "./settings.js";

export interface Placement {
  readonly module: string;
  /** The DaemonSet whose pod runs on the node; undefined when no DaemonSet of the module selects it. */
  readonly daemonSet?: string;
  /** Other DaemonSets of the module that select the node too: two pods would configure it. */
  readonly alsoSelectedBy: readonly string[];
  /** The rule explain names for the node. */
  readonly rule: Variant["target"];
  readonly ruleOrigin?: Span;
  readonly settings: SettingsView;
}

export interface NodePlan {
  readonly node: InventoryNode;
  /** Position in the inventory. */
  readonly index: number;
  /** By module, in the policy's module order. */
  readonly modules: ReadonlyMap<string, Placement>;
}

export interface DaemonSetSummary {
  readonly module: string;
  readonly name: string;
  readonly nodes: number;
}

export interface FleetPlan {
  readonly modules: readonly string[];
  readonly nodes: readonly NodePlan[];
  /** Every DaemonSet of the planned modules, in output order, with how many nodes it runs on. */
  readonly daemonSets: readonly DaemonSetSummary[];
}

/** Plans `nodes` against a policy without errors; `only` restricts the plan to one module. */
export function planFleet(a: Analysis, nodes: readonly InventoryNode[], only?: string): FleetPlan {
  const modules = a.policy.modules.filter((m) => only === undefined || m === only);
  const byModule = scheduledDaemonSets(compileManifests(a));
  const sets = modules.map((m) => byModule.get(m) ?? []);
  const counts = sets.map((s) => s.map(() => 0));
  // Settings depend only on the variant a node gets: explain runs once per variant, not once per node.
  const settings = new Map<Variant, { view: SettingsView; origin?: Span }>();
  const out: NodePlan[] = nodes.map((node, index) => {
    const placements = new Map<string, Placement>();
    modules.forEach((m, mi) => {
      const selecting: string[] = [];
      sets[mi]!.forEach((d, di) => {
        if (!d.schedulesOn(node)) return;
        selecting.push(d.name);
        counts[mi]![di]!++;
      });
      const variant = a.resolution.variantFor(m, node);
      let s = settings.get(variant);
      if (!s) {
        const e = explainNode(a.resolution, node, m)[0]!;
        s = { view: settingsView(e.values), origin: e.chosen.part?.origins[0] };
        settings.set(variant, s);
      }
      placements.set(m, { module: m, daemonSet: selecting[0], alsoSelectedBy: selecting.slice(1), rule: variant.target, ruleOrigin: s.origin, settings: s.view });
    });
    return { node, index, modules: placements };
  });
  const daemonSets = modules.flatMap((m, mi) => sets[mi]!.map((d, di) => ({ module: m, name: d.name, nodes: counts[mi]![di]! })));
  return { modules, nodes: out, daemonSets };
}
