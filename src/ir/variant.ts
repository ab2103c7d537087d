/** The configurations of one module that lowering resolves and the checks and backends read: one per rule, plus the defaults. */
import type { HostTarget, LabelTarget, MapNode, ModulePart, Rule } from "./ir.js";

/** The label every Kubernetes node carries with its hostname; `on host` rules select on it. */
export const HOSTNAME_LABEL = "kubernetes.io/hostname";

/** A match expression of a layered cell's node affinity (the backend's `Requirement`, without depending on it). */
export interface CellRequirement {
  readonly key: string;
  readonly operator: "In" | "NotIn";
  readonly values: readonly string[];
}

/** One node-selector term of a layered cell. */
export type CellTerm = readonly CellRequirement[];

/**
 * Why a layered module has no cells: the number of terms it would need when that was counted, or `combinations` when
 * the layers combine in more ways than lowering examines before finding out (docs/language.md, DB3010).
 */
export interface CellOverflow {
  readonly terms?: number;
  readonly combinations?: number;
}

export interface Variant {
  readonly module: string;
  /** Stable identity: `default`, `host:NAME` or `label:KEY=V1,V2`. */
  readonly id: string;
  readonly target: { readonly kind: "Default" } | HostTarget | LabelTarget;
  /** The rule and its part for this module; absent for the defaults. */
  readonly rule?: Rule;
  readonly part?: ModulePart;
  readonly config: MapNode;
  /** For a cell of a layered module: its node-selector terms and the layers merged into it, in order. */
  readonly cell?: { readonly terms: readonly CellTerm[]; readonly layers: readonly Variant[] };
}

export interface ModuleVariants {
  readonly module: string;
  /** Host rules in source order. */
  readonly hosts: readonly Variant[];
  /** Label rules in source order: a later one wins over an earlier one. */
  readonly labels: readonly Variant[];
  readonly fallback: Variant;
  /**
   * Set for a module whose rules are layered: its layers in the order they apply (label rules, then host rules, each
   * in source order). `labels` then holds the cells other than the defaults' and `hosts` is empty.
   */
  readonly layered?: { readonly layers: readonly Variant[]; readonly overflow: CellOverflow | undefined };
}
