/**
 * Describes a set of nodes by a label they share, as an operator would say it ("412 nodes, label rack=r7"): best a
 * label that exactly these nodes carry, else the most specific label they all carry.
 */
import { HOSTNAME_LABEL } from "../lower/variants.js";
import type { InventoryNode } from "./inventory.js";

export interface GroupLabel {
  readonly key: string;
  readonly value: string;
  /** Whether exactly the group's nodes carry it; otherwise `carriers` nodes do, the group among them. */
  readonly exact: boolean;
  readonly carriers: number;
}

export class LabelIndex {
  private countsOnce?: Map<string, number>;

  /** `preferredKeys`: label keys the policy uses, named before others when several fit equally. */
  constructor(
    private readonly nodes: readonly InventoryNode[],
    readonly preferredKeys: ReadonlySet<string>,
  ) {}

  /** How many nodes carry each label; counted on first use, as only change groups need it. */
  private get counts(): Map<string, number> {
    if (this.countsOnce) return this.countsOnce;
    const counts = new Map<string, number>();
    for (const n of this.nodes) for (const [k, v] of n.labels) counts.set(pair(k, v), (counts.get(pair(k, v)) ?? 0) + 1);
    return (this.countsOnce = counts);
  }

  /** The label describing the nodes at `indices`, or undefined when they share none that not every node carries. */
  describe(indices: readonly number[]): GroupLabel | undefined {
    if (indices.length === 0) return undefined;
    const first = this.nodes[indices[0]!]!;
    let common = [...first.labels].filter(([k]) => k !== HOSTNAME_LABEL || indices.length === 1);
    for (const i of indices.slice(1)) {
      const l = this.nodes[i]!.labels;
      common = common.filter(([k, v]) => l.get(k) === v);
      if (common.length === 0) return undefined;
    }
    let best: GroupLabel | undefined;
    for (const [key, value] of common) {
      const carriers = this.counts.get(pair(key, value)) ?? 0;
      if (carriers === this.nodes.length && indices.length < this.nodes.length) continue;
      const cand = { key, value, exact: carriers === indices.length, carriers };
      if (!best || better(cand, best, this.preferredKeys)) best = cand;
    }
    return best;
  }
}

function better(a: GroupLabel, b: GroupLabel, preferred: ReadonlySet<string>): boolean {
  if (a.carriers !== b.carriers) return a.carriers < b.carriers;
  const pa = preferred.has(a.key);
  if (pa !== preferred.has(b.key)) return pa;
  // The hostname says the least about why a node is in a group; any other label that fits as well reads better.
  if ((a.key === HOSTNAME_LABEL) !== (b.key === HOSTNAME_LABEL)) return b.key === HOSTNAME_LABEL;
  return a.key < b.key || (a.key === b.key && a.value < b.value);
}

function pair(k: string, v: string): string {
  return `${k}\0${v}`;
}

/** "412 nodes, label rack=r7", "3 nodes (of 40 with label rack=r7)", "node worker-07", "12 nodes". */
export function groupText(count: number, label: GroupLabel | undefined, names: readonly string[]): string {
  if (count === 1) return `node ${names[0]}`;
  const n = `${count} nodes`;
  if (!label) return n;
  return label.exact ? `${n}, label ${label.key}=${label.value}` : `${n} (of ${label.carriers} with label ${label.key}=${label.value})`;
}
