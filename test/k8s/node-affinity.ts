/**
 * Kubernetes' scheduling predicate for a DaemonSet pod, written from the API reference (NodeSelectorRequirement):
 * nodeSelector labels must all be present with equal values; required node-affinity terms are ORed, the expressions
 * of a term are ANDed; `In` needs the label present with a listed value, `NotIn` holds when the label is absent or has
 * another value, `Exists`/`DoesNotExist` test presence. An empty term matches no node (as kube-scheduler does).
 */

export interface Node {
  readonly labels: ReadonlyMap<string, string>;
}

interface Expression {
  readonly key: string;
  readonly operator: string;
  readonly values?: readonly string[];
}

interface PodSpecLike {
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly affinity?: {
    readonly nodeAffinity?: {
      readonly requiredDuringSchedulingIgnoredDuringExecution?: {
        readonly nodeSelectorTerms: readonly { readonly matchExpressions?: readonly Expression[]; readonly matchFields?: readonly Expression[] }[];
      };
    };
  };
}

export function expressionMatches(e: Expression, labels: ReadonlyMap<string, string>): boolean {
  const have = labels.get(e.key);
  const values = e.values ?? [];
  switch (e.operator) {
    case "In":
      if (values.length === 0) throw new Error(`invalid: ${e.key} In needs values`);
      return have !== undefined && values.includes(have);
    case "NotIn":
      if (values.length === 0) throw new Error(`invalid: ${e.key} NotIn needs values`);
      return have === undefined || !values.includes(have);
    case "Exists":
      return have !== undefined;
    case "DoesNotExist":
      return have === undefined;
    default:
      throw new Error(`operator ${e.operator} is not supported by this evaluator`);
  }
}

/** Whether a pod with this spec may be scheduled onto `node` (labels only: taints and resources are not modelled). */
export function podSchedulesOn(spec: PodSpecLike, node: Node): boolean {
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) if (node.labels.get(k) !== v) return false;
  const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return true;
  return required.nodeSelectorTerms.some((term) => {
    if (term.matchFields?.length) throw new Error("matchFields is not supported by this evaluator");
    const exprs = term.matchExpressions ?? [];
    return exprs.length > 0 && exprs.every((e) => expressionMatches(e, node.labels));
  });
}
