/**
 * The imported policy gives every node, per module, the settings Divingbell gave it: for each fixture and every
 * combination of the hostnames and labels it mentions, dbellc's chosen variant equals a reference of Divingbell's scheduling (./support).
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/compile.js";
import { importValues } from "../../src/import/import-values.js";
import { MODULE_IMPORTS } from "../../src/import/modules/index.js";
import { moduleNames } from "../../src/modules/registry.js";
import { divingbellConf, nodesFor, parseValues } from "./support/divingbell-reference.js";
import { divingbellLeaves, policyLeaves } from "./support/leaves.js";

const dir = join(import.meta.dirname, "fixtures");
/** Fixtures whose values the reference reads as written (no YAML 1.1 quirks to normalise). */
const fixtures = readdirSync(dir).filter((f) => f.endsWith(".yaml") && !f.startsWith("quirks"));

describe("imported policies give each node Divingbell's settings", () => {
  it("covers the gate-style fixtures", () => {
    expect(fixtures).toEqual(expect.arrayContaining(["overrides.yaml", "all-modules.yaml", "precedence.yaml"]));
  });

  for (const f of fixtures) {
    const text = readFileSync(join(dir, f), "utf8");
    const values = parseValues(text);
    const used = MODULE_IMPORTS.filter((m) => text.includes(`${m.divingbell}:`));
    const missing = used.filter((m) => !moduleNames().includes(m.name));
    it.skipIf(missing.length > 0)(`${f}: every node, every module`, () => {
      const imported = importValues(f, text);
      expect(imported.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const a = analyze([{ file: "imported.dbell", text: imported.dbell! }]);
      expect(a.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const nodes = nodesFor(values);
      let compared = 0;
      for (const node of nodes) {
        for (const m of used) {
          const want = divingbellLeaves(m.divingbell, divingbellConf(values, m.divingbell, node));
          const got = policyLeaves(a.resolution.variantFor(m.name, node).config);
          expect(Object.fromEntries(got), `${m.name} on ${node.hostname} ${JSON.stringify([...node.labels])}`).toEqual(Object.fromEntries(want));
          compared++;
        }
      }
      expect(compared).toBe(nodes.length * used.length);
    });
  }
});
