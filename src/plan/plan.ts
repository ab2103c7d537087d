/** `plan`: a policy (and optionally the policy before a change) against a node inventory. Pure: no files, no output. */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Analysis } from "../compile.js";
import { diffPlans, type FleetDiff } from "./diff.js";
import { planFleet, type FleetPlan } from "./fleet.js";
import { LabelIndex } from "./group.js";
import type { Inventory } from "./inventory.js";
import { inventoryWarnings } from "./warnings.js";

export interface PlanInput {
  readonly policy: Analysis;
  readonly inventory: Inventory;
  /** The policy before the change. */
  readonly against?: Analysis;
  /** Only this module. */
  readonly module?: string;
}

export interface Plan {
  readonly inventory: Inventory;
  readonly fleet: FleetPlan;
  readonly old?: FleetPlan;
  readonly diff?: FleetDiff;
  /** DB61xx findings of the new policy against the inventory: the policy's by place, then the nodes'. */
  readonly diagnostics: readonly Diagnostic[];
  readonly labels: LabelIndex;
}

/** Both policies must be free of errors (the CLI checks this first). */
export function plan(input: PlanInput): Plan {
  const fleet = planFleet(input.policy, input.inventory.nodes, input.module);
  const old = input.against && planFleet(input.against, input.inventory.nodes, input.module);
  const keys = new Set<string>();
  for (const r of input.policy.policy.rules) if (r.target.kind === "Label") keys.add(r.target.key);
  return {
    inventory: input.inventory,
    fleet,
    ...(old ? { old, diff: diffPlans(old, fleet) } : {}),
    diagnostics: inventoryWarnings(input.policy, input.inventory, fleet),
    labels: new LabelIndex(input.inventory.nodes, keys),
  };
}

/** Whether applying the new policy changes anything on any node (settings or the DaemonSet it runs). */
export function hasChanges(p: Plan): boolean {
  return (p.diff?.nodes.length ?? 0) > 0;
}
