/**
 * Describes a set of nodes by a label they share, as an operator would say it ("412 nodes, label rack=r7"): best a
 * label that exactly these nodes carry; else the most specific label they all carry, narrowed where possible by
 * labels that the other nodes with that label carry and these do not ("label rack=r7 except those with gpu=*").
 */
import { HOSTNAME_LABEL } from "../ir/variant.js";
import type { InventoryNode } from "./inventory.js";

export interface GroupLabel {
  readonly key: string;
  readonly value: string;
  /** Whether exactly the group's nodes carry it; otherwise `carriers` nodes do, the group among them. */
  readonly exact: boolean;
  readonly carriers: number;
  /**
   * When not exact: label keys with any value (`gpu=*`) or labels (`kubernetes.io/os=windows`), at most three, such that the group is
   * exactly the nodes with `key=value` that carry none of them; empty when none were found.
   */
  readonly without: readonly string[];
  /** When not exact: a second label (or, without `value`, a key with any value) that together with this one carry exactly the group. */
  readonly and?: { readonly key: string; readonly value?: string };
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

  private readonly described = new WeakMap<readonly number[], GroupLabel | undefined>();

  /** The label describing the nodes at `indices`, or undefined when they share none that not every node carries. */
  describe(indices: readonly number[]): GroupLabel | undefined {
    if (!this.described.has(indices)) this.described.set(indices, this.find(indices));
    return this.described.get(indices);
  }

  private find(indices: readonly number[]): GroupLabel | undefined {
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
      const cand = { key, value, exact: carriers === indices.length, carriers, without: [] };
      if (!best || better(cand, best, this.preferredKeys)) best = cand;
    }
    if (!best || best.exact) return best;
    return this.intersection(indices, common) ?? { ...best, without: this.narrow(best, indices) };
  }

  /**
   * Two labels (or a label and a key, any value) that exactly the group's nodes carry both: "rack=r03 and
   * node-role.kubernetes.io/storage=true". Among the most specific candidates only, to bound the work on a big fleet.
   */
  private intersection(indices: readonly number[], common: readonly (readonly [string, string])[]): GroupLabel | undefined {
    const keys = [...this.nodes[indices[0]!]!.labels.keys()].filter((k) => k !== HOSTNAME_LABEL && indices.every((i) => this.nodes[i]!.labels.has(k)));
    const cands: { key: string; value?: string; carriers: number }[] = [
      ...common.filter(([k]) => k !== HOSTNAME_LABEL).map(([key, value]) => ({ key, value, carriers: this.counts.get(pair(key, value)) ?? 0 })),
      ...keys.filter((k) => !common.some(([c]) => c === k)).map((key) => ({ key, carriers: this.nodes.filter((n) => n.labels.has(key)).length })),
    ]
      .filter((c) => c.carriers < this.nodes.length)
      .sort((a, b) => a.carriers - b.carriers || rankKey(a.key, this.preferredKeys) - rankKey(b.key, this.preferredKeys) || (a.key < b.key ? -1 : 1))
      .slice(0, 8);
    const has = (n: InventoryNode, c: { key: string; value?: string }) => (c.value === undefined ? n.labels.has(c.key) : n.labels.get(c.key) === c.value);
    for (let i = 0; i < cands.length; i++) {
      for (let j = i + 1; j < cands.length; j++) {
        const [a, b] = [cands[i]!, cands[j]!];
        // Both hold on every node of the group; exact when they hold on no other node.
        let both = 0;
        for (const n of this.nodes) if (has(n, a) && has(n, b) && ++both > indices.length) break;
        if (both !== indices.length) continue;
        const [x, y] = a.value === undefined ? [b, a] : [a, b];
        if (x.value === undefined) continue;
        return { key: x.key, value: x.value, exact: false, carriers: x.carriers, without: [], and: { key: y.key, ...(y.value !== undefined ? { value: y.value } : {}) } };
      }
    }
    return undefined;
  }

  /**
   * What the other carriers of the group's label have and the group's nodes do not: a label key with any value
   * (`compute_type=*`) or a label (`kubernetes.io/os=windows`). A greedy cover, at most three; empty when none
   * covers them all.
   */
  private narrow(label: GroupLabel, indices: readonly number[]): string[] {
    const inGroup = new Set(indices);
    const groupKeys = new Set<string>();
    const groupPairs = new Set<string>();
    for (const i of indices) {
      for (const [k, v] of this.nodes[i]!.labels) {
        groupKeys.add(k);
        groupPairs.add(pair(k, v));
      }
    }
    // A candidate is a key (`k=*`) or a label (`k=v`) that some other carrier has and no node of the group has; at
    // equal reach a key reads better.
    const marks = (n: InventoryNode): string[] => {
      const out: string[] = [];
      for (const [k, v] of n.labels) {
        if (!groupKeys.has(k)) out.push(`${k}=*`);
        else if (!groupPairs.has(pair(k, v))) out.push(`${k}=${v}`);
      }
      return out;
    };
    let rest = this.nodes.filter((n, i) => !inGroup.has(i) && n.labels.get(label.key) === label.value).map(marks);
    const out: string[] = [];
    while (rest.length && out.length < 3) {
      const cover = new Map<string, number>();
      for (const ms of rest) for (const m of ms) cover.set(m, (cover.get(m) ?? 0) + 1);
      const rank = (m: string): [number, number, number, string] => [-cover.get(m)!, m.endsWith("=*") ? 0 : 1, rankKey(m.split("=")[0]!, this.preferredKeys), m];
      const best = [...cover.keys()].sort((x, y) => compareTuples(rank(x), rank(y)))[0];
      if (best === undefined) return [];
      out.push(best);
      rest = rest.filter((ms) => !ms.includes(best));
    }
    return rest.length ? [] : out.sort();
  }
}

/**
 * Lower reads better: keys the policy uses, then others, then the deprecated `beta.kubernetes.io/*` copies, and last
 * the hostname, which says the least about why a node is in a group.
 */
function rankKey(key: string, preferred: ReadonlySet<string>): number {
  return preferred.has(key) ? 0 : key === HOSTNAME_LABEL ? 3 : key.startsWith("beta.kubernetes.io/") ? 2 : 1;
}

function better(a: GroupLabel, b: GroupLabel, preferred: ReadonlySet<string>): boolean {
  if (a.carriers !== b.carriers) return a.carriers < b.carriers;
  const ra = rankKey(a.key, preferred);
  if (ra !== rankKey(b.key, preferred)) return ra < rankKey(b.key, preferred);
  return a.key < b.key || (a.key === b.key && a.value < b.value);
}

function compareTuples(a: readonly (number | string)[], b: readonly (number | string)[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}

function pair(k: string, v: string): string {
  return `${k}\0${v}`;
}

/** "412 nodes, label rack=r7", "30 nodes, label rack=r7 except those with gpu=*", "4 nodes, labels rack=r7 and gpu=*", "3 nodes (of 40 with label rack=r7)", "node worker-07", "12 nodes". */
export function groupText(count: number, label: GroupLabel | undefined, names: readonly string[]): string {
  if (count === 1) return `node ${names[0]}`;
  const n = `${count} nodes`;
  if (!label) return n;
  if (label.exact) return `${n}, label ${label.key}=${label.value}`;
  if (label.and) return `${n}, labels ${label.key}=${label.value} and ${label.and.key}=${label.and.value ?? "*"}`;
  if (label.without.length) return `${n}, label ${label.key}=${label.value} except those with ${label.without.join(" or ")}`;
  return `${n} (of ${label.carriers} with label ${label.key}=${label.value})`;
}
