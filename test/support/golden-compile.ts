/**
 * The compile half of the golden runner: the `dbellc compile` stream of a case, the host script each DaemonSet's
 * pod assembles, and the checks every compiled case must pass (same bytes twice, YAML that parses back into valid
 * objects, every assembled host script equal to `dbellc script` for the nodes of its variants, scripts that pass
 * `bash -n`).
 */
import { spawnSync } from "node:child_process";
import yaml from "js-yaml";
import { DaemonSet } from "kubernetes-models/apps/v1/DaemonSet";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Secret } from "kubernetes-models/v1/Secret";
import { expect } from "vitest";
import { analyze, compileManifests, scriptFor, type Analysis, type SourceText } from "../../src/compile.js";
import type { NodeFacts } from "../../src/ir/ir.js";
import type { Variant } from "../../src/ir/variant.js";
import type { Manifest } from "../../src/backends/k8s/daemonset.js";
import { manifestStream } from "../../src/backends/k8s/manifests.js";
import { assembledScript, daemonSetsFor, podEntryScript, type K8sObject } from "./pod-view.js";

export type { K8sObject } from "./pod-view.js";

export interface CompiledCase {
  readonly analysis: Analysis;
  readonly manifests: readonly Manifest[];
  /** Exactly what `dbellc compile` prints. */
  readonly stream: string;
  /**
   * Expected-file name → text: the host script each DaemonSet's pod assembles, for the modules the case configures
   * (all modules when it configures none). Scripts of untouched modules are the same in every case.
   */
  readonly scripts: ReadonlyMap<string, string>;
}

export function compileCase(inputs: readonly SourceText[]): CompiledCase {
  const a = analyze(inputs);
  const manifests = compileManifests(a);
  const configured = new Set(a.policy.modules.filter((m) => a.policy.defaults.get(m)!.origins.length > 0 || a.policy.rules.some((r) => r.parts.has(m))));
  const scripts = new Map<string, string>();
  const objects = manifests.map((m) => JSON.parse(JSON.stringify(m.object)) as K8sObject);
  for (const m of manifests) {
    if (m.kind !== "DaemonSet" || (configured.size > 0 && !configured.has(m.module))) continue;
    scripts.set(`${m.name}.sh`, assembledScript(objects, objects.find((o) => o.kind === "DaemonSet" && o.metadata.name === m.name)!));
  }
  return { analysis: a, manifests, stream: manifestStream(manifests), scripts };
}

/** A node the variant is written for; a later rule may still take it (then the caller skips the variant). */
function nodeOf(v: Variant): NodeFacts {
  const t = v.target;
  const hostname = t.kind === "Host" ? t.name : "node-of-no-host-rule";
  const labels = new Map([["kubernetes.io/hostname", hostname]]);
  if (t.kind === "Label") labels.set(t.key, t.values[0]!);
  return { hostname, labels };
}

/** The checks every compiled case must pass besides its snapshots. */
export function checkCompiled(inputs: readonly SourceText[], c: CompiledCase): void {
  expect(compileCase(inputs).stream, "compiling twice gives the same bytes").toBe(c.stream);

  const docs = yaml.loadAll(c.stream) as Record<string, unknown>[];
  expect(docs).toEqual(c.manifests.map((m) => JSON.parse(JSON.stringify(m.object))));
  for (const d of docs) {
    if (d["kind"] === "Secret") new Secret(d as never).validate();
    else if (d["kind"] === "ConfigMap") new ConfigMap(d as never).validate();
    else new DaemonSet(d as never).validate();
  }

  // For a node of every variant, the one DaemonSet scheduled onto it assembles what `dbellc script` prints.
  const objects = docs as unknown as K8sObject[];
  let compared = 0;
  for (const module of c.analysis.policy.modules) {
    for (const v of c.analysis.resolution.all(module)) {
      const node = nodeOf(v);
      if (c.analysis.resolution.variantFor(module, node) !== v) continue;
      const ds = daemonSetsFor(objects, module, node);
      expect(ds, `${module} DaemonSets on a node of ${v.id}`).toHaveLength(1);
      expect(assembledScript(objects, ds[0]!), `${module} ${v.id}`).toBe(scriptFor(c.analysis, module, node));
      compared++;
    }
  }
  expect(compared, "variants compared with `dbellc script`").toBeGreaterThanOrEqual(c.analysis.policy.modules.length);

  // One per module.
  const entries = [...new Set(objects.filter((o) => o.kind === "DaemonSet").map((o) => podEntryScript(objects, o)))];
  expect(entries.length).toBe(c.analysis.policy.modules.length);
  for (const [name, text] of [...c.scripts, ...entries.map((t, i) => [`entry-${i}`, t] as const)]) {
    const r = spawnSync("bash", ["-n"], { input: text, encoding: "utf8" });
    expect(r.status, `${name}: bash -n\n${r.stderr}`).toBe(0);
  }
}
