/** Counting the nodes a target selects, for hovers: hosts by the hostname label, labels by key and values. */
import { describe, expect, it } from "vitest";
import { readInventory } from "../../src/plan/inventory.js";
import { targetMatch, targetMatchText } from "../../src/plan/target-match.js";
import { inventoryJson } from "../../bench/plan-inventory.js";

const inv = readInventory("nodes.json", inventoryJson({ nodes: 50 })).inventory!;
const span = { file: "p.dbell", start: 0, end: 0 };

describe("targetMatch", () => {
  it("counts the nodes a label selector matches, with the first names", () => {
    const m = targetMatch(inv, { kind: "Label", key: "compute_type", values: ["dpdk", "sriov"], origin: span });
    expect(m).toEqual({ nodes: 9, examples: ["worker-0002", "worker-0007", "worker-0012"] });
    expect(targetMatchText(inv, m)).toBe("9 nodes of nodes.json match (worker-0002, worker-0007, worker-0012, ...)");
  });

  it("matches host rules by the kubernetes.io/hostname label, and says when nothing matches", () => {
    const one = targetMatch(inv, { kind: "Host", name: "gateway-01", origin: span });
    expect(targetMatchText(inv, one)).toBe("1 node of nodes.json matches (gateway-01)");
    const none = targetMatch(inv, { kind: "Label", key: "rack", values: ["r99"], origin: span });
    expect(targetMatchText(inv, none)).toBe("no node of nodes.json matches");
    // An empty label value is a value: the control-plane role label is written with "".
    expect(targetMatch(inv, { kind: "Label", key: "node-role.kubernetes.io/control-plane", values: [""], origin: span }).nodes).toBe(3);
  });
});
