/** `explain`: for one node, per module, the rule it gets, where each effective value comes from, and why other rules lose. */
import type { Span } from "../diagnostics/span.js";
import type { ConfigNode, LabelTarget, NodeFacts } from "../ir/ir.js";
import { getPath, leaves } from "../ir/tree.js";
import type { Variant } from "../ir/variant.js";
import { labelOf, type Resolution } from "./variants.js";

export interface ExplainedValue {
  readonly path: readonly string[];
  /** A scalar's text, a list's items; an empty block is `{}`. */
  readonly value: string | readonly string[];
  readonly origin: Span;
  /** Whether the value comes from the defaults rather than the chosen rule. */
  readonly fromDefaults: boolean;
  /**
   * In a layered module: every layer that set this value on the node, in the order they apply (the defaults first
   * when a layer overrides them); the last one wins.
   */
  readonly layers?: readonly { readonly variant: Variant; readonly origin: Span }[];
}

export interface Rejected {
  readonly variant: Variant;
  readonly reason: string;
}

export interface ModuleExplanation {
  readonly module: string;
  readonly chosen: Variant;
  readonly values: readonly ExplainedValue[];
  readonly rejected: readonly Rejected[];
  /** In a layered module: the layers merged for this node, in the order they apply. */
  readonly applied?: readonly Variant[];
  /** In a layered module: each `unset` of an applied layer, in order (a later layer may set the key again). */
  readonly unsets?: readonly { readonly path: readonly string[]; readonly variant: Variant; readonly origin: Span }[];
}

export function explainNode(res: Resolution, node: NodeFacts, only?: string): ModuleExplanation[] {
  const out: ModuleExplanation[] = [];
  for (const m of res.policy.modules) {
    if (only !== undefined && m !== only) continue;
    if (res.variants(m).layered) {
      out.push(explainLayered(res, m, node));
      continue;
    }
    const chosen = res.variantFor(m, node);
    const defaultsOrigins = new Set<ConfigNode>();
    for (const l of leaves(res.variants(m).fallback.config)) defaultsOrigins.add(l.node);
    const values: ExplainedValue[] = [];
    for (const l of leaves(chosen.config)) {
      const n = l.node;
      const value = n.kind === "Scalar" ? n.text : n.kind === "List" ? n.items.map((i) => i.text) : "{}";
      values.push({ path: l.path, value, origin: n.origin, fromDefaults: chosen.id !== "default" && defaultsOrigins.has(n) });
    }
    out.push({ module: m, chosen, values, rejected: rejectedFor(res, m, node, chosen) });
  }
  return out;
}

function explainLayered(res: Resolution, m: string, node: NodeFacts): ModuleExplanation {
  const chosen = res.variantFor(m, node);
  const applied = res.layersFor(m, node);
  const defaults = res.policy.defaults.get(m)!.sets;
  const values: ExplainedValue[] = [];
  for (const l of leaves(chosen.config)) {
    const n = l.node;
    const value = n.kind === "Scalar" ? n.text : n.kind === "List" ? n.items.map((i) => i.text) : "{}";
    const fromDefaults = getPath(defaults, l.path);
    const layers = applied.flatMap((v) => {
      const set = getPath(v.part!.sets, l.path);
      return set ? [{ variant: v, origin: set.origin }] : [];
    });
    // The defaults head the list when they set the value too: a layer overrode them.
    if (fromDefaults && layers.length > 0) layers.unshift({ variant: res.variants(m).fallback, origin: fromDefaults.origin });
    values.push({ path: l.path, value, origin: n.origin, fromDefaults: fromDefaults !== undefined && layers.length === 0, layers });
  }
  const rejected: Rejected[] = res.variants(m).layered!.layers.filter((v) => !applied.includes(v)).map((v) => ({ variant: v, reason: mismatch(v, node) }));
  const unsets = applied.flatMap((v) => v.part!.unsets.map((u) => ({ path: u.path, variant: v, origin: u.origin })));
  return { module: m, chosen, values, rejected, applied, unsets };
}

function mismatch(v: Variant, node: NodeFacts): string {
  if (v.target.kind === "Host") return `the node's hostname is \`${node.hostname}\``;
  const t = v.target as LabelTarget;
  const have = labelOf(node, t.key);
  return have === undefined ? `the node has no label \`${t.key}\`` : `the node's label \`${t.key}\` is \`${have}\``;
}

function rejectedFor(res: Resolution, m: string, node: NodeFacts, chosen: Variant): Rejected[] {
  const mv = res.variants(m);
  const out: Rejected[] = [];
  for (const v of [...mv.hosts, ...mv.labels]) {
    if (v === chosen) continue;
    if (v.target.kind === "Host") {
      out.push({ variant: v, reason: `the node's hostname is \`${node.hostname}\`` });
      continue;
    }
    const t = v.target as LabelTarget;
    const have = labelOf(node, t.key);
    if (have === undefined) out.push({ variant: v, reason: `the node has no label \`${t.key}\`` });
    else if (!t.values.includes(have)) out.push({ variant: v, reason: `the node's label \`${t.key}\` is \`${have}\`` });
    else if (chosen.target.kind === "Host") out.push({ variant: v, reason: "a host rule wins over label rules" });
    else out.push({ variant: v, reason: `the later ${chosen.target.kind === "Label" ? "label rule" : "rule"} wins` });
  }
  if (chosen.id !== "default") out.push({ variant: mv.fallback, reason: "a matching rule replaces the defaults (values it does not set are inherited)" });
  return out;
}
