/**
 * Imported policies, compiled: on the Divingbell fixtures, every node is scheduled exactly one DaemonSet per module
 * (evaluated with Kubernetes' node-affinity rules), and that DaemonSet's pod assembles the host script of the
 * variant whose settings equal what Divingbell gave the node (docs/import.md, by the reference in ./support).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { analyze, compileManifests, variantScript } from "../../src/compile.js";
import { manifestStreamParts } from "../../src/backends/k8s/manifests.js";
import { importValues } from "../../src/import/import-values.js";
import { MODULE_IMPORTS } from "../../src/import/modules/index.js";
import { podSchedulesOn } from "../k8s/node-affinity.js";
import { assembledScript, type K8sObject } from "../support/pod-view.js";
import { divingbellConf, nodesFor, parseValues } from "./support/divingbell-reference.js";
import { divingbellLeaves, policyLeaves } from "./support/leaves.js";

type Obj = {
  kind: string;
  metadata: { name: string; labels: Record<string, string> };
  data?: Record<string, string>;
  spec?: { template: { spec: Parameters<typeof podSchedulesOn>[0] & { volumes: { name: string; secret?: { secretName: string }; configMap?: { name: string } }[] } } };
};

/** Leaves as sorted JSON, so two settings compare equal whatever order their keys were written in. */
function canonical(leaves: Iterable<[string, unknown]>): string {
  return JSON.stringify([...leaves].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const fixtures = ["overrides.yaml", "precedence.yaml", "all-modules.yaml"];

describe("imported policies schedule each node onto Divingbell's variant", () => {
  for (const f of fixtures) {
    it(f, () => {
      const text = readFileSync(join(import.meta.dirname, "fixtures", f), "utf8");
      const values = parseValues(text);
      const imported = importValues(f, text);
      const a = analyze([{ file: "imported.dbell", text: imported.dbell! }]);
      expect(a.ok).toBe(true);
      const objects = [...manifestStreamParts(compileManifests(a, { image: "img" }))].flatMap((t) => yaml.loadAll(t) as Obj[]);
      const daemonSets = objects.filter((o) => o.kind === "DaemonSet");
      const used = MODULE_IMPORTS.filter((m) => text.includes(`${m.divingbell}:`));
      expect(used.length).toBeGreaterThan(0);
      let checked = 0;
      for (const node of nodesFor(values)) {
        const labels = new Map([...node.labels, ["kubernetes.io/hostname", node.hostname], ["kubernetes.io/os", "linux"]]);
        for (const m of used) {
          const mine = daemonSets.filter((d) => d.metadata.labels["app.kubernetes.io/component"] === m.name && podSchedulesOn(d.spec!.template.spec, { labels }));
          expect(mine, `${m.name} on ${node.hostname} ${JSON.stringify([...node.labels])}`).toHaveLength(1);
          // The variant whose settings are Divingbell's for this node...
          const want = canonical(divingbellLeaves(m.divingbell, divingbellConf(values, m.divingbell, node)));
          const variant = a.resolution.all(m.name).find((v) => canonical(policyLeaves(v.config)) === want);
          expect(variant, `a variant of ${m.name} with ${want}`).toBeDefined();
          // ...is the one whose script the scheduled DaemonSet's pod assembles.
          const carried = assembledScript(objects as K8sObject[], mine[0] as K8sObject);
          expect(canonical(policyLeaves(a.resolution.variantFor(m.name, node).config))).toBe(want);
          expect(carried).toBe(variantScript(a.resolution.variantFor(m.name, node)));
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(0);
    });
  }
});
