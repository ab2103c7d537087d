/**
 * One order for all `on label` rules. Divingbell orders label overrides per module (the last matching entry wins),
 * but a policy's label rules come in one order shared by every module. This finds an order that keeps every module's
 * precedence wherever two selectors can match the same node, and names the pairs no single order can keep.
 */

export interface Selector {
  readonly id: string;
  readonly key: string;
  readonly values: readonly string[];
}

export interface Conflict {
  readonly module: string;
  /** Divingbell's winner for nodes matching both: the later entry of that module. */
  readonly winner: Selector;
  readonly loser: Selector;
}

export interface LabelOrder {
  readonly order: readonly Selector[];
  readonly conflicts: readonly Conflict[];
  /** True when there were too many label entries to order exactly: `order` is then the order of first appearance. */
  readonly approximate: boolean;
}

/**
 * Pairs of label entries compared at most (about 1,400 entries of one module). Past it the exact ordering, quadratic in
 * the entries, is skipped: no real values file has that many label overrides, but a generated megabyte could.
 */
export const MAX_PAIRS = 1_000_000;

/** Whether one node can match both selectors: different keys always can, the same key when a value is shared. */
export function overlap(a: Selector, b: Selector): boolean {
  return a.key !== b.key || a.values.some((v) => b.values.includes(v));
}

/** `perModule`: each module's selectors in its own precedence order (later wins). */
export function orderLabels(perModule: ReadonlyMap<string, readonly Selector[]>): LabelOrder {
  const byId = new Map<string, Selector>();
  for (const list of perModule.values()) for (const s of list) if (!byId.has(s.id)) byId.set(s.id, s);
  const seen = [...byId.values()];
  let pairs = 0;
  for (const list of perModule.values()) pairs += (list.length * (list.length - 1)) / 2;
  if (pairs > MAX_PAIRS) return { order: seen, conflicts: [], approximate: true };

  const index = new Map(seen.map((s, i) => [s.id, i]));
  const after: number[][] = seen.map(() => []); // i → selectors that must come after i
  const indegree = new Array<number>(seen.length).fill(0);
  for (const list of perModule.values()) {
    for (let j = 0; j < list.length; j++) {
      for (let i = 0; i < j; i++) {
        if (!overlap(list[i]!, list[j]!)) continue;
        after[index.get(list[i]!.id)!]!.push(index.get(list[j]!.id)!);
        indegree[index.get(list[j]!.id)!]!++;
      }
    }
  }
  // Kahn's algorithm, taking the earliest-seen ready selector; on a cycle, the earliest-seen remaining one.
  const ready = new MinHeap();
  indegree.forEach((d, i) => d === 0 && ready.push(i));
  const placed = new Array<boolean>(seen.length).fill(false);
  const order: Selector[] = [];
  let scan = 0;
  while (order.length < seen.length) {
    let next = ready.pop();
    while (next !== undefined && placed[next]) next = ready.pop();
    if (next === undefined) {
      while (placed[scan]) scan++;
      next = scan;
    }
    placed[next] = true;
    order.push(seen[next]!);
    for (const k of after[next]!) if (--indegree[k]! === 0 && !placed[k]) ready.push(k);
  }
  const pos = new Map(order.map((s, i) => [s.id, i]));
  const conflicts: Conflict[] = [];
  for (const [module, list] of perModule) {
    for (let j = 0; j < list.length; j++) {
      for (let i = 0; i < j; i++) {
        const [a, b] = [list[i]!, list[j]!];
        if (overlap(a, b) && pos.get(a.id)! > pos.get(b.id)!) conflicts.push({ module, winner: b, loser: a });
      }
    }
  }
  return { order, conflicts, approximate: false };
}

/** A binary min-heap of numbers (positions in order of first appearance). */
class MinHeap {
  private readonly items: number[] = [];
  push(x: number): void {
    const a = this.items;
    a.push(x);
    for (let i = a.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (a[p]! <= a[i]!) break;
      [a[p], a[i]] = [a[i]!, a[p]!];
      i = p;
    }
  }
  pop(): number | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l]! < a[m]!) m = l;
        if (r < a.length && a[r]! < a[m]!) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i]!, a[m]!];
        i = m;
      }
    }
    return top;
  }
}
