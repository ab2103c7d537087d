/**
 * The scheduling contract, as a property: for random policies (host rules, label rules with repeated keys and
 * overlapping values, rules touching random modules), random groupings of variants into shared configurations, and
 * random nodes, every node runs exactly one DaemonSet per module — the one whose configuration holds the variant
 * `Resolution.variantFor` picks — and non-Linux nodes run none.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/compile.js";
import { moduleManifests, type Manifest } from "../../src/backends/k8s/daemonset.js";
import { moduleNamed, moduleNames } from "../../src/modules/registry.js";
import type { NodeFacts } from "../../src/ir/ir.js";
import { podSchedulesOn } from "./node-affinity.js";

const HOSTS = ["h0", "h1", "h2", "superhost", "a".repeat(63), "rack1-node-0001.example.com"];
const KEYS = ["role", "zone", "node-role.kubernetes.io/compute", "kubernetes.io/hostname", "kubernetes.io/os", "x"];
const VALUES = ["a", "b", "c", "true", "linux", "h0", "h1"];

interface RuleSpec {
  readonly target: string;
  readonly modules: readonly string[];
}

const modulesArb = fc.subarray(moduleNames(), { minLength: 1 });
const ruleArb: fc.Arbitrary<RuleSpec> = fc.oneof(
  fc.record({ target: fc.constantFrom(...HOSTS).map((h) => `host ${h}`), modules: modulesArb }),
  fc.record({
    target: fc.tuple(fc.constantFrom(...KEYS), fc.subarray(VALUES, { minLength: 1 })).map(([k, vs]) => `label ${k} in [${vs.join(", ")}]`),
    modules: modulesArb,
  }),
);

const nodeArb: fc.Arbitrary<NodeFacts> = fc
  .record({
    hostname: fc.constantFrom(...HOSTS, "other"),
    labels: fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), { maxKeys: 4 }),
    os: fc.constantFrom("linux", "linux", "linux", "windows", undefined),
  })
  .map(({ hostname, labels, os }) => {
    const m = new Map(Object.entries(labels));
    m.delete("kubernetes.io/os");
    if (os) m.set("kubernetes.io/os", os);
    // Kubernetes sets this label from the node's host name; the policy's host rules match it.
    m.set("kubernetes.io/hostname", hostname);
    return { hostname, labels: m };
  });

function policyText(rules: readonly RuleSpec[], disabled: readonly string[]): string {
  const lines = disabled.map((m) => `disable ${m}`);
  for (const r of rules) lines.push(`on ${r.target} {`, ...r.modules.filter((m) => !disabled.includes(m)).map((m) => `  unset ${m}`), "}");
  return lines.join("\n") + "\n";
}

/** Which of three configurations a variant has: variants of one module share DaemonSets in varying groups. */
function group(id: string, salt: number): number {
  let h = salt;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) % 1009;
  return h % 3;
}

function compile(text: string, salt = 0): { manifests: Manifest[]; analysis: ReturnType<typeof analyze> } {
  const analysis = analyze([{ file: "p.dbell", text }]);
  const unexpected = analysis.diagnostics.filter((d) => d.severity === "error" && !d.code.startsWith("DB3"));
  expect(unexpected).toEqual([]);
  const manifests = analysis.policy.modules.flatMap((m) =>
    // Scheduling depends on the scripts only through which variants share settings: a stand-in groups them.
    moduleManifests(moduleNamed(m)!, analysis.resolution.variants(m), analysis.policy.deploy.get(m)!, { scriptParts: (v) => ({ program: "", settings: `# ${group(v.id, salt)}\n` }) }, { secretKey: "k" }),
  );
  return { manifests, analysis };
}

type PodSpec = Parameters<typeof podSchedulesOn>[0];

function podSpec(m: Manifest): PodSpec {
  return (m.object as unknown as { spec: { template: { spec: PodSpec } } }).spec.template.spec;
}

describe("scheduling", () => {
  it("every node runs exactly the DaemonSet of the variant variantFor picks, per module", () => {
    fc.assert(
      fc.property(fc.array(ruleArb, { maxLength: 12 }), fc.subarray(moduleNames(), { maxLength: 2 }), fc.array(nodeArb, { minLength: 1, maxLength: 8 }), fc.nat(1000), (rules, disabled, nodes, salt) => {
        const { manifests, analysis } = compile(policyText(rules, disabled), salt);
        const daemonSets = manifests.filter((m) => m.kind === "DaemonSet");
        expect(new Set(daemonSets.map((d) => d.module))).toEqual(new Set(moduleNames().filter((m) => !disabled.includes(m))));
        for (const node of nodes) {
          for (const m of analysis.policy.modules) {
            const matching = daemonSets.filter((d) => d.module === m && podSchedulesOn(podSpec(d), node));
            if (node.labels.get("kubernetes.io/os") !== "linux") {
              expect(matching).toEqual([]);
              continue;
            }
            expect(matching).toHaveLength(1);
            expect(matching[0]!.variants).toContain(analysis.resolution.variantFor(m, node));
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("names are unique per kind and valid DNS labels, whatever the rules", () => {
    fc.assert(
      fc.property(fc.array(ruleArb, { maxLength: 12 }), (rules) => {
        const { manifests } = compile(policyText(rules, []));
        for (const kind of ["ConfigMap", "Secret", "DaemonSet"]) {
          const names = manifests.filter((m) => m.kind === kind).map((m) => m.name);
          expect(new Set(names).size).toBe(names.length);
          for (const n of names) expect(n).toMatch(kind === "DaemonSet" ? /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/ : /^[a-z0-9]([-a-z0-9]{0,251}[a-z0-9])?$/);
        }
      }),
      { numRuns: 100 },
    );
  });
});
