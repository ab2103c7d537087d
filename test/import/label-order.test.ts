/** One order of label rules for all modules that keeps each module's precedence where selectors overlap. */
import { describe, expect, it } from "vitest";
import { orderLabels, overlap, type Selector } from "../../src/import/label-order.js";

const sel = (key: string, ...values: string[]): Selector => ({ id: `${key}=${values.join(",")}`, key, values });
const [a, b, c, d] = [sel("role", "db"), sel("zone", "x"), sel("role", "web"), sel("role", "db", "web")];

describe("orderLabels", () => {
  it("keeps each module's order when they agree", () => {
    const r = orderLabels(new Map([["sysctl", [a, b]], ["mounts", [b, d]], ["limits", [a, d]]]));
    expect(r.order.map((s) => s.id)).toEqual([a.id, b.id, d.id]);
    expect(r.conflicts).toEqual([]);
  });

  it("may reorder selectors that no node matches together", () => {
    expect(overlap(a, c)).toBe(false);
    const r = orderLabels(new Map([["sysctl", [a, c]], ["mounts", [c, a]]]));
    expect(r.conflicts).toEqual([]);
  });

  it("puts a selector after the ones it must beat, even when seen first", () => {
    const r = orderLabels(new Map([["sysctl", [b]], ["mounts", [a, b]]]));
    expect(r.order.map((s) => s.id)).toEqual([a.id, b.id]);
  });

  it("names the module whose order a cycle breaks", () => {
    const r = orderLabels(new Map([["sysctl", [a, b]], ["mounts", [b, a]]]));
    expect(r.conflicts).toEqual([{ module: "mounts", winner: a, loser: b }]);
  });
});
