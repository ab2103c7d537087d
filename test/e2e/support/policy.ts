/** Host scripts for end-to-end tests, made by the real compiler (analyze + scriptFor), never written by hand. */
import { analyze, scriptFor, type SourceText } from "../../../src/compile.js";
import { renderHuman } from "../../../src/diagnostics/render.js";
import { moduleNamed } from "../../../src/modules/registry.js";
import type { PodSpec } from "../../../src/modules/module.js";

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
  if (!moduleNamed(module)) throw new Error(`unknown module ${module}`);
  const a = analyze(policySources(policy));
  if (!a.ok) throw new Error(`the test policy does not compile:\n${renderHuman(a.diagnostics, a.sources, { color: false })}`);
  return scriptFor(a, module, { hostname: node.hostname, labels: new Map(Object.entries(node.labels ?? {})) });
}

/** How the module's pod runs its host script: file name on the node and chroot or nsenter. */
export function podOf(module: string): PodSpec {
  const m = moduleNamed(module);
  if (!m) throw new Error(`unknown module ${module}`);
  return m.pod;
}
