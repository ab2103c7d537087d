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
}

/** Whether one node can match both selectors: different keys always can, the same key when a value is shared. */
export function overlap(a: Selector, b: Selector): boolean {
  return a.key !== b.key || a.values.some((v) => b.values.includes(v));
}

/** `perModule`: each module's selectors in its own precedence order (later wins). */
export function orderLabels(perModule: ReadonlyMap<string, readonly Selector[]>): LabelOrder {
  const byId = new Map<string, Selector>();
  const firstSeen = new Map<string, number>();
  const before = new Map<string, Set<string>>(); // id → ids that must come before it
  for (const list of perModule.values()) {
    for (const s of list) {
      if (!byId.has(s.id)) {
        byId.set(s.id, s);
        firstSeen.set(s.id, firstSeen.size);
        before.set(s.id, new Set());
      }
    }
    for (let j = 0; j < list.length; j++) for (let i = 0; i < j; i++) if (overlap(list[i]!, list[j]!)) before.get(list[j]!.id)!.add(list[i]!.id);
  }
  // Kahn's algorithm, taking the earliest-seen ready selector; on a cycle, the earliest-seen remaining one.
  const placed = new Set<string>();
  const order: Selector[] = [];
  const pending = [...byId.keys()];
  while (pending.length) {
    const ready = pending.find((id) => [...before.get(id)!].every((b) => placed.has(b))) ?? pending[0]!;
    pending.splice(pending.indexOf(ready), 1);
    placed.add(ready);
    order.push(byId.get(ready)!);
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
  return { order, conflicts };
}
