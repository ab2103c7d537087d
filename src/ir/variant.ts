/** The configurations of one module that lowering resolves and the checks and backends read: one per rule, plus the defaults. */
import type { HostTarget, LabelTarget, MapNode, ModulePart, Rule } from "./ir.js";

/** The label every Kubernetes node carries with its hostname; `on host` rules select on it. */
export const HOSTNAME_LABEL = "kubernetes.io/hostname";

export interface Variant {
  readonly module: string;
  /** Stable identity: `default`, `host:NAME` or `label:KEY=V1,V2`. */
  readonly id: string;
  readonly target: { readonly kind: "Default" } | HostTarget | LabelTarget;
  /** The rule and its part for this module; absent for the defaults. */
  readonly rule?: Rule;
  readonly part?: ModulePart;
  readonly config: MapNode;
}

export interface ModuleVariants {
  readonly module: string;
  /** Host rules in source order. */
  readonly hosts: readonly Variant[];
  /** Label rules in source order: a later one wins over an earlier one. */
  readonly labels: readonly Variant[];
  readonly fallback: Variant;
}
