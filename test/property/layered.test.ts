/**
 * Layered rules against a brute-force reference model (docs/language.md): for random layered policies and random
 * nodes, the Kubernetes affinity evaluator schedules exactly one DaemonSet per module on every node, and the
 * settings it mounts are those of a plain policy holding the reference merge (defaults, then every matching label
 * layer in source order, then the host layer; unsets before sets within a layer).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyze, compileManifests, type Analysis } from "../../src/compile.js";
import type { Manifest } from "../../src/backends/k8s/daemonset.js";
import { SETTINGS_KEY } from "../../src/backends/k8s/entry-script.js";
import { podSchedulesOn } from "../k8s/node-affinity.js";

type Target = { kind: "host"; name: string } | { kind: "label"; key: string; values: string[] };
interface Layer {
  target: Target;
  sets: [string, string][];
  unsets: string[];
}
interface Node {
  hostname: string;
  labels: Map<string, string>;
}

const KEYS = ["vm.a", "vm.b", "net.core.c", "kernel.d"];
const HOSTS = ["h1", "h2"];
const LABEL_KEYS = ["role", "zone", "storage", "kubernetes.io/hostname"];
const LABEL_VALUES = ["x", "y", "h1"];

const setsArb = fc.uniqueArray(fc.tuple(fc.constantFrom(...KEYS), fc.integer({ min: 0, max: 3 }).map(String)), { selector: (s) => s[0], maxLength: 3 });
const targetArb: fc.Arbitrary<Target> = fc.oneof(
  fc.constantFrom(...HOSTS).map((name) => ({ kind: "host" as const, name })),
  fc.tuple(fc.constantFrom(...LABEL_KEYS), fc.uniqueArray(fc.constantFrom(...LABEL_VALUES), { minLength: 1, maxLength: 2 })).map(([key, values]) => ({ kind: "label" as const, key, values: values.sort() })),
);
const layerArb: fc.Arbitrary<Layer> = fc
  .record({ target: targetArb, sets: setsArb, unsets: fc.uniqueArray(fc.constantFrom(...KEYS), { maxLength: 2 }) })
  .map((l) => ({ ...l, unsets: l.unsets.filter((u) => !l.sets.some(([k]) => k === u)) }))
  .filter((l) => l.sets.length + l.unsets.length > 0);
const policyArb = fc
  .record({ defaults: setsArb, layers: fc.array(layerArb, { maxLength: 7 }) })
  // Blocks naming one target are one rule: keep each target's first layer.
  .map((p) => ({ ...p, layers: p.layers.filter((l, i) => p.layers.findIndex((o) => JSON.stringify(o.target) === JSON.stringify(l.target)) === i) }));
const nodeArb: fc.Arbitrary<Node> = fc
  .record({ hostname: fc.constantFrom(...HOSTS, "other"), labels: fc.dictionary(fc.constantFrom("role", "zone", "storage", "rack"), fc.constantFrom(...LABEL_VALUES, "z"), { maxKeys: 4 }) })
  .map(({ hostname, labels }) => ({ hostname, labels: new Map([...Object.entries(labels), ["kubernetes.io/hostname", hostname], ["kubernetes.io/os", "linux"]]) }));

function targetText(t: Target): string {
  return t.kind === "host" ? `host ${t.name}` : `label ${t.key} in [${t.values.join(", ")}]`;
}

function policyText(p: { defaults: [string, string][]; layers: Layer[] }): string {
  const lines = p.defaults.map(([k, v]) => `set sysctl ${k} = ${v}`);
  // A plain module beside the layered one: layering is per module.
  lines.push("on label role in [x] set limits nofile { domain = \"*\", type = soft, item = nofile, value = 4096 }");
  for (const l of p.layers) lines.push(`layer on ${targetText(l.target)} {`, ...l.unsets.map((u) => `  unset sysctl ${u}`), ...l.sets.map(([k, v]) => `  set sysctl ${k} = ${v}`), "}");
  return lines.join("\n") + "\n";
}

function matches(t: Target, n: Node): boolean {
  return t.kind === "host" ? n.hostname === t.name : t.values.includes(n.labels.get(t.key) ?? "\0");
}

/** The obviously-correct merge: label layers in source order, then host layers, over the defaults. */
function reference(p: { defaults: [string, string][]; layers: Layer[] }, n: Node): Map<string, string> {
  const out = new Map(p.defaults);
  const ordered = [...p.layers.filter((l) => l.target.kind === "label"), ...p.layers.filter((l) => l.target.kind === "host")];
  for (const l of ordered) {
    if (!matches(l.target, n)) continue;
    for (const u of l.unsets) out.delete(u);
    for (const [k, v] of l.sets) out.set(k, v);
  }
  return out;
}

function settingsText(manifests: readonly Manifest[], ds: Manifest): string {
  const spec = (ds.object as unknown as { spec: { template: { spec: { volumes: { name: string; configMap?: { name: string } }[] } } } }).spec.template.spec;
  const name = spec.volumes.find((v) => v.name === "settings")!.configMap!.name;
  const cm = manifests.find((m) => m.role === "settings" && m.name === name)!;
  return (cm.object as unknown as { data: Record<string, string> }).data[SETTINGS_KEY]!;
}

const plainCache = new Map<string, string>();
/** The sysctl settings text of a plain policy that sets exactly `values`. */
function plainSettings(values: Map<string, string>): string {
  const text = [...values].map(([k, v]) => `set sysctl ${k} = ${v}`).join("\n") + "\n";
  let s = plainCache.get(text);
  if (s === undefined) {
    const ms = compileManifests(analyze([{ file: "ref.dbell", text }]));
    plainCache.set(text, (s = settingsText(ms, ms.find((m) => m.module === "sysctl" && m.kind === "DaemonSet")!)));
  }
  return s;
}

function podSpec(m: Manifest): Parameters<typeof podSchedulesOn>[0] {
  return (m.object as unknown as { spec: { template: { spec: Parameters<typeof podSchedulesOn>[0] } } }).spec.template.spec;
}

function compile(text: string): { a: Analysis; manifests: Manifest[] } {
  const a = analyze([{ file: "p.dbell", text }]);
  expect(a.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return { a, manifests: compileManifests(a) };
}

describe("layered rules", () => {
  it("schedule exactly one DaemonSet per module per node, with the settings of the reference merge", () => {
    fc.assert(
      fc.property(policyArb, fc.array(nodeArb, { minLength: 1, maxLength: 8 }), (p, nodes) => {
        const { a, manifests } = compile(policyText(p));
        const daemonSets = manifests.filter((m) => m.kind === "DaemonSet");
        for (const node of nodes) {
          for (const m of a.policy.modules) {
            const on = daemonSets.filter((d) => d.module === m && podSchedulesOn(podSpec(d), node));
            expect(on).toHaveLength(1);
            if (m === "sysctl") {
              expect(settingsText(manifests, on[0]!)).toBe(plainSettings(reference(p, node)));
              expect(on[0]!.variants).toContain(a.resolution.variantFor(m, node));
            }
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it("give a node with two roles the union of both, and each role alone its own", () => {
    const text = "set sysctl vm.a = 1\nlayer on label storage in [yes] set sysctl vm.b = 2\nlayer on label compute in [yes] set sysctl vm.c = 3\n";
    const { a } = compile(text);
    const cfg = (labels: [string, string][]) => [...a.resolution.variantFor("sysctl", { hostname: "n", labels: new Map(labels) }).config.entries.keys()].sort();
    expect(cfg([["storage", "yes"], ["compute", "yes"]])).toEqual(["vm.a", "vm.b", "vm.c"]);
    expect(cfg([["storage", "yes"]])).toEqual(["vm.a", "vm.b"]);
    expect(cfg([])).toEqual(["vm.a"]);
  });

  it("keep independent roles to one term per combination, and refuse more than the limit (DB3010)", () => {
    const roles = (n: number) => Array.from({ length: n }, (_, i) => `layer on label role-${i} in [yes] set sysctl vm.r${i} = 1`).join("\n") + "\n";
    const ten = analyze([{ file: "p.dbell", text: roles(10) }]);
    expect(ten.ok).toBe(true);
    const mv = ten.resolution.variants("sysctl");
    const cells = [mv.fallback, ...mv.labels];
    expect(cells).toHaveLength(1024);
    expect(cells.every((c) => c.cell!.terms.length === 1)).toBe(true);
    const eleven = analyze([{ file: "p.dbell", text: roles(11) }]);
    expect(eleven.diagnostics.map((d) => d.code)).toContain("DB3010");
    expect(eleven.ok).toBe(false);
  });

  it("share one term across values of one key that configure alike, however many layers there are", () => {
    const text = Array.from({ length: 40 }, (_, i) => `layer on label role in [r${i}] set sysctl vm.a = ${i % 2}`).join("\n") + "\n";
    const { a, manifests } = compile(text);
    const mv = a.resolution.variants("sysctl");
    expect([mv.fallback, ...mv.labels]).toHaveLength(3);
    expect(manifests.filter((m) => m.kind === "DaemonSet" && m.module === "sysctl")).toHaveLength(3);
  });
});
