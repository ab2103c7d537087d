/**
 * The compile half of the golden runner: the `dbellc compile` stream of a case, each Secret's host script as text,
 * and the checks every compiled case must pass (same bytes twice, YAML that parses back into valid objects, scripts
 * that pass `bash -n`).
 */
import { spawnSync } from "node:child_process";
import yaml from "js-yaml";
import { DaemonSet } from "kubernetes-models/apps/v1/DaemonSet";
import { Secret } from "kubernetes-models/v1/Secret";
import { expect } from "vitest";
import { analyze, compileManifests, type SourceText } from "../../src/compile.js";
import { DEFAULT_IMAGE, type Manifest } from "../../src/backends/k8s/daemonset.js";
import { manifestStream } from "../../src/backends/k8s/manifests.js";

export interface CompiledCase {
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
    if (m.kind !== "Secret" || !m.variant || (configured.size > 0 && !configured.has(m.module))) continue;
    scripts.set(`${m.name}.sh`, assembledScript(objects, m.name));
  }
  return { manifests, stream: manifestStream(manifests), scripts };
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

/** The host script the pods of variant `name` run: its head, its module's library, its calls. */
export function assembledScript(objects: readonly K8sObject[], name: string): string {
  const variant = objects.find((o) => o.kind === "Secret" && o.metadata.name === name)!;
  const library = `dbell-${variant.metadata.labels["app.kubernetes.io/component"]}-library`;
  return secretData(objects, name, "head.sh") + secretData(objects, library, "library.sh") + secretData(objects, name, "calls.sh");
}

export function entryScripts(objects: readonly K8sObject[]): string[] {
  return objects.filter((o) => o.kind === "Secret" && o.data?.["entry.sh"]).map((o) => secretData(objects, o.metadata.name, "entry.sh"));
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

  const entries = entryScripts(c.manifests.map((m) => m.object as unknown as K8sObject));
  expect(entries.length).toBeGreaterThan(0);
  for (const [name, text] of [...c.scripts, ...entries.map((t, i) => [`entry-${i}`, t] as const)]) {
    const r = spawnSync("bash", ["-n"], { input: text, encoding: "utf8" });
    expect(r.status, `${name}: bash -n\n${r.stderr}`).toBe(0);
  }
}
