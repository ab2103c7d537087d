/**
 * The one place that knows how the Kubernetes backend shapes its output: it picks the DaemonSets out of the compiled
 * objects and compiles each one's scheduling into a predicate. Everything else in plan works from the DaemonSets'
 * names and their node affinity as Kubernetes would read them, so a backend that names or groups DaemonSets
 * differently needs a change here at most.
 */
import type { Manifest } from "../backends/k8s/daemonset.js";
import { compileScheduling, type NodePredicate, type SchedulingSpec } from "./node-affinity.js";

export interface ScheduledDaemonSet {
  readonly module: string;
  readonly name: string;
  readonly schedulesOn: NodePredicate;
}

/** The DaemonSets of each module, in output order. */
export function scheduledDaemonSets(manifests: readonly Manifest[]): Map<string, ScheduledDaemonSet[]> {
  const out = new Map<string, ScheduledDaemonSet[]>();
  for (const m of manifests) {
    if (m.object["kind"] !== "DaemonSet") continue;
    const spec = podSpec(m.object);
    const list = out.get(m.module) ?? out.set(m.module, []).get(m.module)!;
    list.push({ module: m.module, name: m.name, schedulesOn: compileScheduling(spec) });
  }
  return out;
}

function podSpec(ds: Record<string, unknown>): SchedulingSpec {
  const spec = ds["spec"] as { template?: { spec?: SchedulingSpec } } | undefined;
  const pod = spec?.template?.spec;
  if (!pod) throw new Error("internal: a DaemonSet without a pod template");
  return pod;
}
