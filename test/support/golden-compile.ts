/**
 * The compile half of the golden runner: the `dbellc compile` stream of a case, each Secret's host script as text,
 * and the checks every compiled case must pass (same bytes twice, YAML that parses back into valid objects, every
 * Secret's host script equal to `dbellc script` for the nodes of its variant, scripts that pass `bash -n`).
 */
import { spawnSync } from "node:child_process";
import yaml from "js-yaml";
import { DaemonSet } from "kubernetes-models/apps/v1/DaemonSet";
import { Secret } from "kubernetes-models/v1/Secret";
import { expect } from "vitest";
import { analyze, compileManifests, scriptFor, type Analysis, type SourceText } from "../../src/compile.js";
import type { NodeFacts } from "../../src/ir/ir.js";
import type { Variant } from "../../src/lower/variants.js";
import { DEFAULT_IMAGE, type Manifest } from "../../src/backends/k8s/daemonset.js";
import { hostScriptKey } from "../../src/backends/k8s/entry-script.js";
import { moduleNamed } from "../../src/modules/registry.js";
import { manifestStream } from "../../src/backends/k8s/manifests.js";

export interface CompiledCase {
  readonly analysis: Analysis;
  readonly manifests: readonly Manifest[];
  /** Exactly what `dbellc compile` prints. */
  readonly stream: string;
  /**
   * Expected-file name → text: the decoded host script of every Secret of the modules the case configures (of all
   * modules when it configures none). Scripts of untouched modules are the same in every case; the stream has them.
   */
  readonly scripts: ReadonlyMap<string, string>;
}

export function compileCase(inputs: readonly SourceText[]): CompiledCase {
  const a = analyze(inputs);
  const manifests = compileManifests(a, { image: DEFAULT_IMAGE });
  const configured = new Set(a.policy.modules.filter((m) => a.policy.defaults.get(m)!.origins.length > 0 || a.policy.rules.some((r) => r.parts.has(m))));
  const scripts = new Map<string, string>();
  const objects = manifests.map((m) => m.object as unknown as K8sObject);
  for (const m of manifests) {
    if (m.kind !== "Secret" || (configured.size > 0 && !configured.has(m.module))) continue;
    scripts.set(`${m.name}.sh`, secretHostScript(objects, m.name));
  }
  return { analysis: a, manifests, stream: manifestStream(manifests), scripts };
}

export interface K8sObject {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly labels: Record<string, string> };
  readonly data?: Record<string, string>;
}

function secretData(objects: readonly K8sObject[], name: string, key: string): string {
  const s = objects.find((o) => o.kind === "Secret" && o.metadata.name === name);
  const b64 = s?.data?.[key];
  if (b64 === undefined) throw new Error(`no Secret ${name} with key ${key}`);
  return Buffer.from(b64, "base64").toString("utf8");
}

/** The host script the pods of variant `name` run: straight from its Secret, under the module's host script name. */
export function secretHostScript(objects: readonly K8sObject[], name: string): string {
  const s = objects.find((o) => o.kind === "Secret" && o.metadata.name === name);
  if (!s) throw new Error(`no Secret ${name}`);
  const keys = Object.keys(s.data ?? {}).sort();
  const module = moduleNamed(s.metadata.labels["app.kubernetes.io/component"]!)!;
  expect(keys, `data keys of Secret ${name}`).toEqual(["entry.sh", hostScriptKey(module)].sort());
  return secretData(objects, name, hostScriptKey(module));
}

export function entryScripts(objects: readonly K8sObject[]): string[] {
  return objects.filter((o) => o.kind === "Secret" && o.data?.["entry.sh"]).map((o) => secretData(objects, o.metadata.name, "entry.sh"));
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
    else new DaemonSet(d as never).validate();
  }

  // Each Secret read back from the stream carries what `dbellc script` prints for a node of its variant.
  const objects = docs as unknown as K8sObject[];
  let compared = 0;
  for (const m of c.manifests) {
    const node = nodeOf(m.variant);
    if (m.kind !== "Secret" || c.analysis.resolution.variantFor(m.module, node) !== m.variant) continue;
    expect(secretHostScript(objects, m.name), m.name).toBe(scriptFor(c.analysis, m.module, node));
    compared++;
  }
  expect(compared, "Secrets compared with `dbellc script`").toBeGreaterThanOrEqual(new Set(c.manifests.map((m) => m.module)).size);

  // One per variant, the same text for all variants of a module.
  const entries = [...new Set(entryScripts(objects))];
  expect(entries.length).toBeGreaterThan(0);
  for (const [name, text] of [...c.scripts, ...entries.map((t, i) => [`entry-${i}`, t] as const)]) {
    const r = spawnSync("bash", ["-n"], { input: text, encoding: "utf8" });
    expect(r.status, `${name}: bash -n\n${r.stderr}`).toBe(0);
  }
}
