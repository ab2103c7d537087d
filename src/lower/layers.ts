/**
 * Layered rules (`layer on ...`, docs/language.md): a node's configuration is the defaults, then every matching layered
 * label rule in source order, then its layered host rule. The label space is cut into cells by a decision tree over
 * label keys, built with equal subtrees shared, so that a policy of independent roles costs what its distinct
 * configurations cost and not 2^n paths; each root-to-leaf path is one node-selector term of the leaf's cell.
 */
import type { DiagnosticBag } from "../diagnostics/diagnostic.js";
import type { MapNode, ModulePart, NodeFacts, Policy } from "../ir/ir.js";
import { merge, removePath, structuralKey } from "../ir/tree.js";
import type { CellOverflow, CellRequirement, CellTerm, Variant } from "../ir/variant.js";
import { byCodeUnit } from "../ir/order.js";

export type { CellRequirement, CellTerm } from "../ir/variant.js";

/** Node-selector terms allowed per layered module (docs/language.md, DB3010). */
export const MAX_LAYERED_TERMS = 1024;
/** Leaves the tree builder may visit before giving up; bounds compile time whatever the policy. */
const MAX_VISITS = 1 << 16;

/** A layer: one layered rule's part for the module, with the selector it matches. */
export interface Layer {
  readonly variant: Variant;
  readonly key: string;
  readonly values: ReadonlySet<string>;
}

export interface CellPlan {
  /** Per distinct configuration: the layers of its first (smallest) cell and the terms of all its cells. */
  readonly cells: readonly { readonly layers: readonly Layer[]; readonly config: MapNode; readonly terms: readonly CellTerm[] }[];
  /**
   * Set when the module needs more terms than `MAX_LAYERED_TERMS`: the count when it was counted; `combinations` when
   * the layers combine in more ways than the builder examines (`MAX_VISITS`) before finding out.
   */
  readonly overflow?: CellOverflow;
}

/** The configuration of a node that matches `layers` (already in application order). */
export function applyLayers(defaults: MapNode, parts: readonly ModulePart[]): MapNode {
  let c = defaults;
  for (const p of parts) {
    for (const u of p.unsets) c = removePath(c, u.path).result;
    c = merge(c, p.sets);
  }
  return c;
}

/** Whether `layer` matches the node; `labelOf` gives the hostname for `kubernetes.io/hostname`. */
export function layerMatches(layer: Layer, node: NodeFacts, labelOf: (n: NodeFacts, key: string) => string | undefined): boolean {
  const have = labelOf(node, layer.key);
  return have !== undefined && layer.values.has(have);
}

interface ValueClass {
  /** Values of the key in this class; empty for the class of every other value (and of no label). */
  readonly values: readonly string[];
  readonly layers: readonly number[];
}

type TreeRef = { readonly leaf: number } | { readonly node: TreeNode };
interface TreeNode {
  readonly key: string;
  readonly relevant: readonly string[];
  readonly branches: readonly { readonly values: readonly string[]; readonly rest: boolean; readonly child: TreeRef }[];
}

/** The cells of a layered module: `layers` in application order (label layers in source order, then host layers). */
export function planCells(defaults: MapNode, layers: readonly Layer[]): CellPlan {
  const keys = [...new Set(layers.map((l) => l.key))];
  const classes = keys.map((k) => valueClasses(k, layers));
  const relevant = classes.map((cs) => cs.flatMap((c) => c.values).sort(byCodeUnit));
  const leaves: { layers: number[]; config: MapNode; text: string }[] = [];
  const leafByText = new Map<string, number>();
  const interned = new Map<string, TreeRef>();
  const memo = new Map<string, TreeRef>();
  let visits = 0;

  const build = (ki: number, matched: readonly number[]): TreeRef | undefined => {
    const memoKey = `${ki}|${matched.join(",")}`;
    const seen = memo.get(memoKey);
    if (seen) return seen;
    let ref: TreeRef | undefined;
    if (ki === keys.length) {
      if (++visits > MAX_VISITS) return undefined;
      const config = applyLayers(defaults, matched.map((i) => layers[i]!.variant.part!));
      const text = structuralKey(config);
      let leaf = leafByText.get(text);
      if (leaf === undefined) {
        // Every distinct configuration needs a term of its own: past the limit, counting further is wasted time.
        if (leaves.length >= MAX_LAYERED_TERMS) return undefined;
        leafByText.set(text, (leaf = leaves.length));
        leaves.push({ layers: [...matched], config, text });
      }
      ref = { leaf };
    } else {
      const groups: { values: string[]; rest: boolean; child: TreeRef; id: string }[] = [];
      for (const c of classes[ki]!) {
        const child = build(ki + 1, union(matched, c.layers));
        if (!child) return undefined;
        const id = refId(child);
        const g = groups.find((x) => x.id === id);
        if (g && c.values.length) g.values.push(...c.values);
        else if (g) g.rest = true;
        else groups.push({ values: [...c.values], rest: c.values.length === 0, child, id });
      }
      if (groups.length === 1) ref = groups[0]!.child;
      else {
        const branches = groups.map((g) => ({ values: g.values.sort(byCodeUnit), rest: g.rest, child: g.child }));
        const id = `${keys[ki]}(${branches.map((b) => `${b.rest ? "!" : ""}${b.values.join(",")}>${refId(b.child)}`).join(";")})`;
        ref = interned.get(id);
        if (!ref) interned.set(id, (ref = { node: { key: keys[ki]!, relevant: relevant[ki]!, branches } }));
      }
    }
    memo.set(memoKey, ref);
    return ref;
  };

  const root = build(0, []);
  if (!root) return { cells: [], overflow: visits > MAX_VISITS ? { combinations: MAX_VISITS } : {} };
  const total = countTerms(root, new Map());
  if (total > MAX_LAYERED_TERMS) return { cells: [], overflow: { terms: total } };
  const terms = leaves.map((): CellTerm[] => []);
  collectTerms(root, [], terms);
  return { cells: leaves.map((l, i) => ({ layers: l.layers.map((x) => layers[x]!), config: l.config, terms: terms[i]! })) };
}

const refIds = new WeakMap<TreeNode, string>();
let nextRefId = 0;
function refId(r: TreeRef): string {
  if ("leaf" in r) return `L${r.leaf}`;
  let id = refIds.get(r.node);
  if (id === undefined) refIds.set(r.node, (id = `N${nextRefId++}`));
  return id;
}

/** The values of `key` grouped by the layers they select, with the class of all other values (matching none) first. */
function valueClasses(key: string, layers: readonly Layer[]): ValueClass[] {
  const byValue = new Map<string, number[]>();
  layers.forEach((l, i) => {
    if (l.key !== key) return;
    for (const v of l.values) (byValue.get(v) ?? byValue.set(v, []).get(v)!).push(i);
  });
  const bySig = new Map<string, { values: string[]; layers: number[] }>();
  for (const v of [...byValue.keys()].sort(byCodeUnit)) {
    const sig = byValue.get(v)!;
    const id = sig.join(",");
    const c = bySig.get(id);
    if (c) c.values.push(v);
    else bySig.set(id, { values: [v], layers: sig });
  }
  return [{ values: [], layers: [] }, ...bySig.values()];
}

function union(a: readonly number[], b: readonly number[]): number[] {
  if (b.length === 0) return a as number[];
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}

function countTerms(r: TreeRef, memo: Map<TreeNode, number>): number {
  if ("leaf" in r) return 1;
  let n = memo.get(r.node);
  if (n === undefined) {
    n = 0;
    for (const b of r.node.branches) n += countTerms(b.child, memo);
    memo.set(r.node, n);
  }
  return n;
}

/** Every root-to-leaf path as a term: `In` the branch's values, or `NotIn` the key's other values for the rest. */
function collectTerms(r: TreeRef, path: CellRequirement[], out: CellTerm[][]): void {
  if ("leaf" in r) {
    out[r.leaf]!.push([...path].sort((a, b) => byCodeUnit(a.key, b.key)));
    return;
  }
  const n = r.node;
  for (const b of n.branches) {
    const req: CellRequirement = b.rest ? { key: n.key, operator: "NotIn", values: n.relevant.filter((v) => !b.values.includes(v)) } : { key: n.key, operator: "In", values: b.values };
    collectTerms(b.child, [...path, req], out);
  }
}


/** Reported in lowering: one module's rules are all layered or none are, so the order of precedence stays one rule. */
export function checkLayeredMixing(policy: Policy, bag: DiagnosticBag): void {
  for (const m of policy.modules) {
    const layered = policy.rules.filter((r) => r.parts.has(m) && r.layered);
    const plain = policy.rules.filter((r) => r.parts.has(m) && !r.layered);
    if (layered.length === 0 || plain.length === 0) continue;
    for (const r of plain) {
      bag.report("DB3007", r.parts.get(m)!.origins[0]!, `module \`${m}\` has both layered and non-layered rules`, {
        related: [{ message: "layered rule configures it here", span: layered[0]!.parts.get(m)!.origins[0]! }],
        help: `write \`layer on\` for every rule that configures \`${m}\`, or for none of them`,
      });
    }
  }
}
