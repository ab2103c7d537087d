/** Any inventory text, however broken, gets nodes or DB6001/DB6002 diagnostics inside the text; never an exception. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readInventory } from "../../src/plan/inventory.js";
import { inventoryJson, inventoryYaml } from "../../bench/plan-inventory.js";

function check(text: string): void {
  const r = readInventory("n", text);
  if (r.inventory) {
    expect(r.diagnostics).toEqual([]);
    for (const n of r.inventory.nodes) expect(n.labels.get("kubernetes.io/hostname")).toBe(n.hostname);
    return;
  }
  expect(r.diagnostics.length).toBeGreaterThan(0);
  for (const d of r.diagnostics) {
    expect(["DB6001", "DB6002"]).toContain(d.code);
    expect(d.span.start).toBeGreaterThanOrEqual(0);
    expect(d.span.end).toBeLessThanOrEqual(Math.max(1, text.length));
    expect(d.span.start).toBeLessThanOrEqual(d.span.end);
  }
}

/** Cuts one to four random slices out of `text`. */
const mutated = (text: string) =>
  fc.array(fc.tuple(fc.nat(text.length), fc.integer({ min: 1, max: 40 })), { minLength: 1, maxLength: 4 }).map((cuts) => {
    let t = text;
    for (const [at, len] of cuts) t = t.slice(0, at % (t.length + 1)) + t.slice((at % (t.length + 1)) + len);
    return t;
  });

describe("readInventory on broken input", () => {
  it("never throws on random JSON values", () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => check(JSON.stringify(v))), { numRuns: 300 });
  });

  it("never throws on random List-shaped values", () => {
    const labels = fc.dictionary(fc.constantFrom("kubernetes.io/hostname", "rack", "a/b"), fc.oneof(fc.string(), fc.integer(), fc.constant(null)));
    const item = fc.record({ kind: fc.constantFrom("Node", "Pod", undefined), metadata: fc.option(fc.record({ name: fc.oneof(fc.string(), fc.integer()), labels: fc.option(labels) }), { nil: undefined }) });
    fc.assert(fc.property(fc.record({ kind: fc.constantFrom("List", "NodeList", "Node", "Thing", undefined), items: fc.option(fc.array(item, { maxLength: 4 })) }), (v) => check(JSON.stringify(v))), { numRuns: 300 });
  });

  it("never throws on kubectl's JSON and YAML with random cuts", () => {
    fc.assert(fc.property(mutated(inventoryJson({ nodes: 2 })), check), { numRuns: 200 });
    fc.assert(fc.property(mutated(inventoryYaml({ nodes: 2 })), check), { numRuns: 200 });
  });
});
