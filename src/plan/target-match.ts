/**
 * How many nodes of an inventory an `on host` or `on label` target selects, with a few of their names: for editor
 * hovers over a selector and other summaries that do not need a whole plan.
 */
import type { HostTarget, LabelTarget } from "../ir/ir.js";
import { labelOf } from "../lower/variants.js";
import type { Inventory } from "./inventory.js";

export interface TargetMatch {
  readonly nodes: number;
  /** The first few matching nodes' names, in inventory order. */
  readonly examples: readonly string[];
}

export function targetMatch(inv: Inventory, target: HostTarget | LabelTarget, examples = 3): TargetMatch {
  const names: string[] = [];
  let nodes = 0;
  for (const n of inv.nodes) {
    const hit = target.kind === "Host" ? n.hostname === target.name : target.values.includes(labelOf(n, target.key) ?? "\0");
    if (!hit) continue;
    if (nodes++ < examples) names.push(n.name);
  }
  return { nodes, examples: names };
}

/** "12 nodes of nodes.json match (worker-01, worker-02, worker-03, ...)", or "no node of nodes.json matches". */
export function targetMatchText(inv: Inventory, m: TargetMatch): string {
  if (m.nodes === 0) return `no node of ${inv.file} matches`;
  const more = m.nodes > m.examples.length ? ", ..." : "";
  return `${m.nodes} node${m.nodes === 1 ? "" : "s"} of ${inv.file} match${m.nodes === 1 ? "es" : ""} (${m.examples.join(", ")}${more})`;
}
