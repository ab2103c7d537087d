/**
 * What the configured inventory says about an `on host` or `on label` selector, for its hover: how many nodes it
 * matches with a few names, and for a hostname no node has, the closest one the inventory does have.
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
