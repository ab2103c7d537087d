/**
 * What the configured inventory says about selectors: for a hover, how many nodes one matches with a few names, and
 * for a hostname no node has, the closest one the inventory does have; for completion, its hostnames and labels.
 */
import { editDistance } from "../diagnostics/suggest.js";
import type { Inventory } from "../plan/inventory.js";
import { targetMatch, targetMatchText } from "../plan/target-match.js";
import type * as A from "../syntax/ast.js";

export function selectorMatchText(inv: Inventory, target: A.Target): string {
  const t = target.kind === "HostTarget" ? { kind: "Host" as const, name: target.name.text, origin: target.span } : { kind: "Label" as const, key: target.key.text, values: target.values.map((v) => v.text), origin: target.span };
  const m = targetMatch(inv, t);
  if (t.kind === "Label" || m.nodes > 0) return `Inventory: ${targetMatchText(inv, m)}.`;
  const near = nearest(t.name, inv);
  return `Inventory: no node of ${inv.file} has hostname \`${t.name}\`${near ? `; the closest hostname is \`${near}\`` : ""}.`;
}

/** The inventory's hostname with the fewest edits from `name` (the first in inventory order on a tie). */
function nearest(name: string, inv: Inventory): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = name.toLowerCase();
  for (const n of inv.nodes) {
    // The distance is at least the difference in length: most names are ruled out without computing it.
    if (Math.abs(n.hostname.length - name.length) >= bestDistance) continue;
    const d = editDistance(lower, n.hostname.toLowerCase());
    if (d < bestDistance) {
      best = n.hostname;
      bestDistance = d;
    }
  }
  return best;
}

export interface InventoryFacts {
  readonly hostnames: readonly string[];
  /** Label key → value → how many nodes carry it. */
  readonly labels: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

/** Computed once per inventory read: completion asks at every keystroke. */
const factsCache = new WeakMap<Inventory, InventoryFacts>();

export function inventoryFacts(inv: Inventory): InventoryFacts {
  const hit = factsCache.get(inv);
  if (hit) return hit;
  const labels = new Map<string, Map<string, number>>();
  for (const n of inv.nodes) {
    for (const [k, v] of n.labels) {
      const values = labels.get(k) ?? labels.set(k, new Map()).get(k)!;
      values.set(v, (values.get(v) ?? 0) + 1);
    }
  }
  const facts = { hostnames: [...new Set(inv.nodes.map((n) => n.hostname))], labels };
  factsCache.set(inv, facts);
  return facts;
}
