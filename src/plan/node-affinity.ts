/**
 * The scheduler's node predicate for a DaemonSet's pods, from the API reference (NodeSelectorRequirement,
 * NodeSelectorTerm): every `nodeSelector` label must be present with an equal value; the required node-affinity terms
 * are ORed and the requirements of one term ANDed; an empty term matches no node (kube-scheduler); `In`/`NotIn`
 * compare the label's value to a set, `Exists`/`DoesNotExist` test presence, `Gt`/`Lt` compare integers; in
 * `matchFields` only `metadata.name` is a field. Taints are left out on purpose: dbellc's pods tolerate them.
 *
 * A selector is compiled once into a predicate, so checking thousands of nodes costs a few set lookups each.
 * https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#NodeAffinity
 */

export interface NodeLike {
  /** `metadata.name`, which `matchFields` reads. */
  readonly name: string;
  readonly labels: ReadonlyMap<string, string>;
}

export interface NodeSelectorRequirement {
  readonly key: string;
  readonly operator: string;
  readonly values?: readonly string[];
}

export interface NodeSelectorTerm {
  readonly matchExpressions?: readonly NodeSelectorRequirement[];
  readonly matchFields?: readonly NodeSelectorRequirement[];
}

/** The scheduling part of a pod spec. */
export interface SchedulingSpec {
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly affinity?: {
    readonly nodeAffinity?: {
      readonly requiredDuringSchedulingIgnoredDuringExecution?: { readonly nodeSelectorTerms: readonly NodeSelectorTerm[] };
    };
  };
}

export type NodePredicate = (node: NodeLike) => boolean;

/** Thrown for a selector the API server would reject; the objects come from the compiler, so that is a bug there. */
export class InvalidSelector extends Error {}

export function compileScheduling(spec: SchedulingSpec): NodePredicate {
  const selector = Object.entries(spec.nodeSelector ?? {});
  const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  const terms = required?.nodeSelectorTerms.map(compileTerm);
  if (required && required.nodeSelectorTerms.length === 0) throw new InvalidSelector("nodeSelectorTerms must not be empty");
  return (node) => {
    for (const [k, v] of selector) if (node.labels.get(k) !== v) return false;
    return terms === undefined || terms.some((t) => t(node));
  };
}

function compileTerm(term: NodeSelectorTerm): NodePredicate {
  const exprs = (term.matchExpressions ?? []).map((e) => compileRequirement(e, (n) => n.labels.get(e.key)));
  const fields = (term.matchFields ?? []).map((e) => {
    if (e.key !== "metadata.name") throw new InvalidSelector(`matchFields supports only metadata.name, not ${e.key}`);
    if (e.operator !== "In" && e.operator !== "NotIn") throw new InvalidSelector(`matchFields supports only In and NotIn, not ${e.operator}`);
    return compileRequirement(e, (n) => n.name);
  });
  const all = [...exprs, ...fields];
  if (all.length === 0) return () => false;
  return (node) => all.every((p) => p(node));
}

function compileRequirement(e: NodeSelectorRequirement, read: (n: NodeLike) => string | undefined): NodePredicate {
  const values = e.values ?? [];
  switch (e.operator) {
    case "In":
    case "NotIn": {
      if (values.length === 0) throw new InvalidSelector(`${e.key} ${e.operator} needs values`);
      const set = new Set(values);
      if (e.operator === "In") return (n) => {
        const v = read(n);
        return v !== undefined && set.has(v);
      };
      return (n) => {
        const v = read(n);
        return v === undefined || !set.has(v);
      };
    }
    case "Exists":
    case "DoesNotExist":
      if (values.length) throw new InvalidSelector(`${e.key} ${e.operator} takes no values`);
      return e.operator === "Exists" ? (n) => read(n) !== undefined : (n) => read(n) === undefined;
    case "Gt":
    case "Lt": {
      if (values.length !== 1 || !/^-?\d+$/.test(values[0]!)) throw new InvalidSelector(`${e.key} ${e.operator} needs one integer value`);
      const bound = BigInt(values[0]!);
      const gt = e.operator === "Gt";
      return (n) => {
        const v = read(n);
        if (v === undefined || !/^-?\d+$/.test(v)) return false;
        return gt ? BigInt(v) > bound : BigInt(v) < bound;
      };
    }
    default:
      throw new InvalidSelector(`unknown operator ${e.operator}`);
  }
}
