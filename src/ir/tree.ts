/** Pure operations on configuration trees: lookup, deep merge (maps merge, lists and scalars replace), removal. */
import type { Span } from "../diagnostics/span.js";
import type { ConfigNode, MapEntry, MapNode, ScalarNode } from "./ir.js";

export function emptyMap(origin: Span): MapNode {
  return { kind: "Map", entries: new Map(), origin };
}

export function getPath(node: ConfigNode | undefined, path: readonly string[]): ConfigNode | undefined {
  let cur = node;
  for (const k of path) {
    if (!cur || cur.kind !== "Map") return undefined;
    cur = cur.entries.get(k)?.value;
  }
  return cur;
}

export function entry(map: MapNode, key: string): ConfigNode | undefined {
  return map.entries.get(key)?.value;
}

export function scalar(map: MapNode, key: string): ScalarNode | undefined {
  const v = map.entries.get(key)?.value;
  return v?.kind === "Scalar" ? v : undefined;
}

export function text(map: MapNode, key: string): string | undefined {
  return scalar(map, key)?.text;
}

export function subMap(map: MapNode, key: string): MapNode | undefined {
  const v = map.entries.get(key)?.value;
  return v?.kind === "Map" ? v : undefined;
}

export function list(map: MapNode, key: string): readonly string[] | undefined {
  const v = map.entries.get(key)?.value;
  return v?.kind === "List" ? v.items.map((i) => i.text) : undefined;
}

/** Entries sorted by key (byte order), the iteration order of generated scripts. */
export function sortedEntries(map: MapNode): MapEntry[] {
  return [...map.entries.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * `over` deep-merged onto `base`, as a new tree; neither input changes, unchanged subtrees are shared.
 * Maps merge key by key; a list or scalar in `over` replaces what `base` has.
 */
export function merge(base: MapNode, over: MapNode): MapNode {
  if (over.entries.size === 0) return base;
  const entries = new Map(base.entries);
  for (const [k, e] of over.entries) {
    const old = entries.get(k);
    if (old && old.value.kind === "Map" && e.value.kind === "Map") entries.set(k, { ...e, value: merge(old.value, e.value) });
    else entries.set(k, e);
  }
  return { kind: "Map", entries, origin: base.origin };
}

/** The tree without the node at `path` (an empty path empties the map). Reports whether anything was there. */
export function removePath(map: MapNode, path: readonly string[]): { readonly result: MapNode; readonly removed: boolean } {
  if (path.length === 0) return { result: { ...map, entries: new Map() }, removed: map.entries.size > 0 };
  const [head, ...rest] = path as [string, ...string[]];
  const e = map.entries.get(head);
  if (!e) return { result: map, removed: false };
  const entries = new Map(map.entries);
  if (rest.length === 0) {
    entries.delete(head);
    return { result: { ...map, entries }, removed: true };
  }
  if (e.value.kind !== "Map") return { result: map, removed: false };
  const inner = removePath(e.value, rest);
  if (!inner.removed) return { result: map, removed: false };
  entries.set(head, { ...e, value: inner.result });
  return { result: { ...map, entries }, removed: true };
}

/** Every leaf (scalar or list) with its path, in source order. */
export function* leaves(node: ConfigNode, path: string[] = []): Generator<{ path: readonly string[]; node: ConfigNode }> {
  if (node.kind !== "Map") {
    yield { path, node };
    return;
  }
  if (node.entries.size === 0 && path.length > 0) yield { path, node };
  for (const [k, e] of node.entries) yield* leaves(e.value, [...path, k]);
}

/** Structural equality of values, ignoring source places. */
export function sameValue(a: ConfigNode, b: ConfigNode): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "Scalar") return a.text === (b as ScalarNode).text;
  if (a.kind === "List") {
    const bi = (b as typeof a).items;
    return a.items.length === bi.length && a.items.every((x, i) => x.text === bi[i]!.text);
  }
  const bm = b as MapNode;
  if (a.entries.size !== bm.entries.size) return false;
  for (const [k, e] of a.entries) {
    const o = bm.entries.get(k);
    if (!o || !sameValue(e.value, o.value)) return false;
  }
  return true;
}

/**
 * A text that two trees share exactly when they have the same structure, keys in the same order, and the same texts
 * written in the same form (`1` and `"1"` differ: exec's hash tells them apart); source places do not count. Texts
 * are length-prefixed, so no text can imitate the structure around it.
 */
export function structuralKey(node: ConfigNode): string {
  if (node.kind === "Scalar") return `${FORM_MARK[node.form]}${node.text.length}:${node.text}`;
  if (node.kind === "List") {
    let out = "[";
    for (const i of node.items) out += `${FORM_MARK[i.form]}${i.text.length}:${i.text}`;
    return out + "]";
  }
  let out = "{";
  for (const [k, e] of node.entries) out += `${k.length}:${k}${structuralKey(e.value)}`;
  return out + "}";
}

const FORM_MARK: Record<ScalarNode["form"], string> = { word: "w", string: "s", multiline: "m" };
