/**
 * Host scripts for end-to-end tests, made by the real compiler, never written by hand: what `dbellc script` prints,
 * and what a node's pod assembles from the compiled objects (program ConfigMap + settings object of the one
 * DaemonSet scheduled onto the node), which is what the harness runs.
 */
import yaml from "js-yaml";
import { analyze, compileManifests, scriptFor, type Analysis, type SourceText } from "../../../src/compile.js";
import { manifestStream } from "../../../src/backends/k8s/manifests.js";
import { assembledScript, daemonSetsFor, type K8sObject } from "../../support/pod-view.js";
import { renderHuman } from "../../../src/diagnostics/render.js";
import { moduleNamed } from "../../../src/modules/registry.js";
import type { HostModule, PodSpec } from "../../../src/modules/module.js";

/** One policy text (file name `policy.dbell`) or several files, read in order as one policy. */
export type PolicyInput = string | readonly SourceText[];

/** The node facts the compiler selects a variant by. */
export interface NodeIdentity {
  /** The `kubernetes.io/hostname` label. */
  readonly hostname: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export function policySources(policy: PolicyInput): readonly SourceText[] {
  return typeof policy === "string" ? [{ file: "policy.dbell", text: policy }] : policy;
}

/**
 * The host script `module` runs on `node` under `policy`: exactly what `dbellc script` prints and the module's Secret
 * carries. Throws with the rendered diagnostics if the policy has errors.
 */
export function compileHostScript(policy: PolicyInput, module: string, node: NodeIdentity): string {
  const a = analyzed(policy, module);
  return scriptFor(a, module, { hostname: node.hostname, labels: new Map(Object.entries(node.labels ?? {})) });
}

function analyzed(policy: PolicyInput, module: string): Analysis {
  if (!moduleNamed(module)) throw new Error(`unknown module ${module}`);
  const a = analyze(policySources(policy));
  if (!a.ok) throw new Error(`the test policy does not compile:\n${renderHuman(a.diagnostics, a.sources, { color: false })}`);
  return a;
}

/**
 * The host script the pod of `module` on `node` runs: the compiled stream read back as kubectl would get it, the one
 * DaemonSet whose affinity takes the node, and program + settings of the objects it mounts, joined as entry.sh
 * joins them. Throws unless exactly one DaemonSet schedules onto the node, or if the result differs from what
 * `dbellc script` prints.
 */
export function podHostScript(policy: PolicyInput, module: string, node: NodeIdentity): string {
  const a = analyzed(policy, module);
  const facts = { hostname: node.hostname, labels: new Map(Object.entries(node.labels ?? {})) };
  const objects = yaml.loadAll(manifestStream(compileManifests(a))) as K8sObject[];
  const ds = daemonSetsFor(objects, module, facts);
  if (ds.length !== 1) throw new Error(`${ds.length} DaemonSets of ${module} schedule onto node ${node.hostname}`);
  const script = assembledScript(objects, ds[0]!);
  if (script !== scriptFor(a, module, facts)) throw new Error(`the pod of ${module} on ${node.hostname} assembles another script than \`dbellc script\` prints`);
  return script;
}

/** The registered module of that name. */
export function hostModule(module: string): HostModule {
  const m = moduleNamed(module);
  if (!m) throw new Error(`unknown module ${module}`);
  return m;
}

/** How the module's pod runs its host script: file name on the node and chroot or nsenter. */
export function podOf(module: string): PodSpec {
  return hostModule(module).pod;
}
