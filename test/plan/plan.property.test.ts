/**
 * plan's contract, as a property: for every node and module, the DaemonSet plan names is the one DaemonSet the
 * scheduler puts on the node (checked with the test suite's own affinity evaluator, written separately from plan's),
 * it runs the variant explain names, and plan's settings for the node are exactly explain's. Random policies and
 * nodes, and the site example on realistic inventories of 1, 50 and 5,000 nodes.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyze, compileManifests, type Analysis } from "../../src/compile.js";
import type { Manifest } from "../../src/backends/k8s/daemonset.js";
import { explainNode } from "../../src/lower/explain.js";
import { moduleNames } from "../../src/modules/registry.js";
import { planFleet } from "../../src/plan/fleet.js";
import { readInventory, type InventoryNode } from "../../src/plan/inventory.js";
import { podSchedulesOn } from "../k8s/node-affinity.js";
import { inventoryJson } from "../../bench/plan-inventory.js";

const HOSTS = ["h0", "h1", "superhost", "rack1-node-0001.example.com"];
const KEYS = ["role", "zone", "node-role.kubernetes.io/compute", "kubernetes.io/hostname"];
const VALUES = ["a", "b", "true", "h0"];
const SYSCTLS = ["vm.a", "vm.b", "net.c"];

const statementArb = fc.oneof(
  fc.tuple(fc.constantFrom(...SYSCTLS), fc.integer({ min: 0, max: 3 })).map(([k, v]) => `set sysctl ${k} = ${v}`),
  fc.constantFrom(...SYSCTLS).map((k) => `unset sysctl ${k}`),
  fc.constantFrom("set limits l { domain = \"*\"  type = soft  item = nofile  value = 10 }", "unset limits", "set perm rerun_policy = always"),
);
const targetArb = fc.oneof(
  fc.constantFrom(...HOSTS).map((h) => `host ${h}`),
  fc.tuple(fc.constantFrom(...KEYS), fc.subarray(VALUES, { minLength: 1 })).map(([k, vs]) => `label ${k} in [${vs.join(", ")}]`),
);
const policyArb = fc
  .tuple(fc.subarray(SYSCTLS), fc.array(fc.tuple(targetArb, fc.array(statementArb, { minLength: 1, maxLength: 3 })), { maxLength: 8 }))
  .map(([defaults, rules]) => [...defaults.map((k) => `set sysctl ${k} = 9`), ...rules.map(([t, body]) => `on ${t} {\n  ${body.join("\n  ")}\n}`)].join("\n") + "\n");

const nodeArb: fc.Arbitrary<InventoryNode> = fc
  .record({
    hostname: fc.constantFrom(...HOSTS, "other"),
    labels: fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), { maxKeys: 3 }),
    os: fc.constantFrom("linux", "linux", "linux", "windows", undefined),
  })
  .map(({ hostname, labels, os }) => {
    const m = new Map(Object.entries(labels));
    if (os) m.set("kubernetes.io/os", os);
    m.set("kubernetes.io/hostname", hostname);
    return { name: `node-${hostname}`, hostname, labels: m };
  });

type PodSpec = Parameters<typeof podSchedulesOn>[0];
const podSpec = (m: Manifest): PodSpec => (m.object as unknown as { spec: { template: { spec: PodSpec } } }).spec.template.spec;

/** Checks every node and module of the plan; returns how many placements it checked. */
function checkPlan(a: Analysis, nodes: readonly InventoryNode[]): number {
  const daemonSets = compileManifests(a, { image: "img" }).filter((m) => m.kind === "DaemonSet");
  const plan = planFleet(a, nodes);
  let checked = 0;
  plan.nodes.forEach((np, i) => {
    const node = nodes[i]!;
    for (const m of a.policy.modules) {
      const p = np.modules.get(m)!;
      const scheduled = daemonSets.filter((d) => d.module === m && podSchedulesOn(podSpec(d), node));
      expect(scheduled.length, `${node.name} ${m}`).toBeLessThanOrEqual(1);
      expect(p.daemonSet).toBe(scheduled[0]?.name);
      expect(p.alsoSelectedBy).toEqual([]);
      if (node.labels.get("kubernetes.io/os") !== "linux") {
        expect(p.daemonSet).toBeUndefined();
        continue;
      }
      expect(p.daemonSet).toBeDefined();
      const explained = explainNode(a.resolution, node, m)[0]!;
      // The DaemonSet runs the variant explain names (variants with equal settings share one)...
      expect(scheduled[0]!.variants.map((v) => v.id)).toContain(explained.chosen.id);
      // ...and plan reports explain's settings, in explain's order.
      expect(p.settings.settings).toEqual(explained.values.map((v) => ({ key: v.path.join(" "), value: v.value })));
      checked++;
    }
  });
  return checked;
}

describe("plan agrees with the scheduler and with explain", () => {
  it("for random policies and nodes", () => {
    fc.assert(
      fc.property(policyArb, fc.array(nodeArb, { minLength: 1, maxLength: 8 }), (text, nodes) => {
        const a = analyze([{ file: "p.dbell", text }]);
        // Random rules may set a key twice in one rule (an error); overlap errors do not change the objects.
        fc.pre(!a.diagnostics.some((d) => d.severity === "error" && !d.code.startsWith("DB3")));
        checkPlan(a, nodes);
      }),
      { numRuns: 150 },
    );
  });

  it.each([1, 50, 5000])("for the site example on %i realistic nodes", (n) => {
    const a = analyze([{ file: "examples/site.dbell", text: readFileSync("examples/site.dbell", "utf8") }]);
    const inv = readInventory("nodes.json", inventoryJson({ nodes: n, windows: n > 1 ? 2 : 0 })).inventory!;
    const checked = checkPlan(a, inv.nodes);
    const linux = inv.nodes.filter((x) => x.labels.get("kubernetes.io/os") === "linux").length;
    expect(checked).toBe(linux * moduleNames().length);
    // The inventory exercises every kind of rule of the site example.
    if (n >= 50) {
      const rules = new Set(planFleet(a, inv.nodes).nodes.flatMap((np) => [...np.modules.values()].map((p) => p.rule.kind)));
      expect(rules).toEqual(new Set(["Default", "Host", "Label"]));
    }
  }, 60_000);
});
