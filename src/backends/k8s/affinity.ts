/**
 * Node affinity per variant, so that every node matches exactly one DaemonSet of a module: the one whose variant
 * `Resolution.variantFor` picks (docs/language.md, Semantics). A variant's nodes are those its own selector matches minus those of
 * every rule that beats it: host rules beat all label rules, a later label rule beats an earlier one, and every rule
 * beats the defaults. Exclusions are grouped by label key — `k NotIn A` and `k NotIn B` is `k NotIn A∪B` — and an
 * exclusion on a variant's own key keeps only the values its own `In` allows, which keeps the lists short.
 * The cells of a layered module bring their own terms, which partition the nodes already.
 */
import type { HostTarget, LabelTarget } from "../../ir/ir.js";
import { HOSTNAME_LABEL, type ModuleVariants, type Variant } from "../../ir/variant.js";
import { shared } from "./yaml.js";
import { byCodeUnit } from "../../ir/order.js";


export interface Requirement {
  readonly key: string;
  readonly operator: "In" | "NotIn";
  readonly values: readonly string[];
}

/** The values every beating rule selects per key; sorted copies are made once per change and shared. */
class Exclusions {
  private readonly sets = new Map<string, Set<string>>();
  private readonly sorted = new Map<string, readonly string[]>();

  add(key: string, values: Iterable<string>): void {
    let s = this.sets.get(key);
    if (!s) this.sets.set(key, (s = new Set()));
    for (const v of values) s.add(v);
    this.sorted.delete(key);
  }

  /** `NotIn` requirements for a variant selecting `own` (undefined for the defaults), by key in byte order. */
  requirements(own?: LabelTarget): Requirement[] {
    const out: Requirement[] = [];
    for (const key of [...this.sets.keys()].sort(byCodeUnit)) {
      const s = this.sets.get(key)!;
      if (own && own.key === key) {
        const values = own.values.filter((v) => s.has(v));
        if (values.length) out.push({ key, operator: "NotIn", values });
      } else out.push({ key, operator: "NotIn", values: this.sortedValues(key, s) });
    }
    return out;
  }

  private sortedValues(key: string, s: Set<string>): readonly string[] {
    let v = this.sorted.get(key);
    // The same list goes into many DaemonSets (every label variant excludes the module's hosts): render it once.
    if (!v) this.sorted.set(key, (v = shared([...s].sort(byCodeUnit))));
    return v;
  }
}


/**
 * The match expressions (one node-selector term) of every variant of a module; undefined means no affinity, which
 * is the case only for the defaults of a module without rules. Never an empty list: an empty term matches no node
 * (Divingbell's trap: an empty override block gave a DaemonSet that no node ran).
 */
export function moduleAffinities(mv: ModuleVariants): Map<Variant, Term | undefined> {
  const out = new Map<Variant, Term | undefined>();
  if (mv.layered) {
    // A cell's terms come with it (lower/layers.ts); a module of one cell matches every node and needs none.
    for (const v of [mv.fallback, ...mv.labels]) out.set(v, v.cell && v.cell.terms.some((t) => t.length > 0) ? v.cell.terms[0] : undefined);
    return out;
  }
  if (mv.hosts.length === 0 && mv.labels.length === 0) {
    out.set(mv.fallback, undefined);
    return out;
  }
  const beaters = new Exclusions();
  for (const h of mv.hosts) {
    const name = (h.target as HostTarget).name;
    out.set(h, [{ key: HOSTNAME_LABEL, operator: "In", values: [name] }]);
    beaters.add(HOSTNAME_LABEL, [name]);
  }
  // From the last label rule back: each one is beaten by the hosts and by every label rule after it.
  for (let i = mv.labels.length - 1; i >= 0; i--) {
    const v = mv.labels[i]!;
    const t = v.target as LabelTarget;
    out.set(v, [{ key: t.key, operator: "In", values: t.values }, ...beaters.requirements(t)]);
    beaters.add(t.key, t.values);
  }
  out.set(mv.fallback, beaters.requirements());
  return out;
}

/** One node-selector term: its match expressions. */
export type Term = readonly Requirement[];

/**
 * The node-selector terms of a DaemonSet serving several variants: the union of their terms (Kubernetes ORs the terms
 * of a required node affinity), with the one-host terms of host variants collapsed into a single
 * `kubernetes.io/hostname In [...]` in byte order. Undefined when a variant has no affinity (it is then the only one).
 */
export function unionTerms(variants: readonly Variant[], affinities: ReadonlyMap<Variant, Term | undefined>): Term[] | undefined {
  const terms: Term[] = [];
  const hosts: string[] = [];
  for (const v of variants) {
    const t = affinities.get(v);
    if (t === undefined) return undefined;
    if (v.cell) terms.push(...v.cell.terms);
    else if (v.target.kind === "Host") hosts.push(v.target.name);
    else terms.push(t);
  }
  if (hosts.length > 0) terms.push([{ key: HOSTNAME_LABEL, operator: "In", values: hosts.sort(byCodeUnit) }]);
  return terms;
}
