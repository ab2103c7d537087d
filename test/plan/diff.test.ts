/** `--against` in detail: which settings count as added, changed and removed, and how nodes are grouped and named. */
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/compile.js";
import type { InventoryNode } from "../../src/plan/inventory.js";
import { plan } from "../../src/plan/plan.js";
import { groupText } from "../../src/plan/group.js";

function node(name: string, labels: Record<string, string> = {}): InventoryNode {
  return { name, hostname: name, labels: new Map(Object.entries({ "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", ...labels })) };
}

const nodes = [node("a1", { rack: "r1" }), node("a2", { rack: "r1" }), node("b1", { rack: "r2" }), node("w1", { "kubernetes.io/os": "windows" })];
const inventory = { file: "nodes.json", nodes, placeOf: () => ({ file: "nodes.json", start: 0, end: 0 }) };

function diff(old: string, now: string, module?: string) {
  const p = plan({ policy: analyze([{ file: "new.dbell", text: now }]), against: analyze([{ file: "old.dbell", text: old }]), inventory, ...(module ? { module } : {}) });
  return { p, d: p.diff! };
}

describe("plan --against", () => {
  it("tells added, changed and removed settings apart, and lists are compared whole", () => {
    const { d } = diff("set sysctl { a = 1  b = 2 }\nset apt blacklist = [x, y]\n", "set sysctl { a = 1  b = 3  c = 4 }\nset apt blacklist = [y, x]\n");
    const sysctl = d.groups.find((g) => g.module === "sysctl")!;
    expect(sysctl.changes).toEqual([
      { kind: "changed", key: "b", old: "2", value: "3" },
      { kind: "added", key: "c", value: "4" },
    ]);
    expect(d.groups.find((g) => g.module === "apt")!.changes).toEqual([{ kind: "changed", key: "blacklist", old: ["x", "y"], value: ["y", "x"] }]);
    // The Windows node runs no DaemonSet before or after: nothing changes on it.
    expect(sysctl.nodes).toEqual([0, 1, 2]);
    expect(d.moves).toEqual([]);
  });

  it("groups nodes by the same change and names a group by the label exactly its nodes carry", () => {
    const { p, d } = diff("set sysctl a = 1\n", "set sysctl a = 1\non label rack in [r1] set sysctl a = 2\n");
    expect(d.groups).toEqual([{ module: "sysctl", changes: [{ kind: "changed", key: "a", old: "1", value: "2" }], nodes: [0, 1] }]);
    expect(groupText(2, p.labels.describe([0, 1]), ["a1", "a2"])).toBe("2 nodes, label rack=r1");
    expect(d.moves).toEqual([{ module: "sysctl", old: "dbell-sysctl-default", new: expect.stringMatching(/^dbell-sysctl-label-rack-r1-/), nodes: [0, 1] }]);
    expect(d.nodes.map((n) => n.index)).toEqual([0, 1]);
  });

  it("names a group of one node by the node, and a group no label fits by its count", () => {
    const { p } = diff("", "");
    expect(groupText(1, p.labels.describe([2]), ["b1"])).toBe("node b1");
    expect(groupText(4, p.labels.describe([0, 1, 2, 3]), [])).toBe("4 nodes");
  });

  it("narrows a shared label by a second label, or by what the other nodes with it carry", () => {
    const fleet = [
      node("s1", { rack: "r1", storage: "true" }),
      node("s2", { rack: "r2", storage: "true" }),
      node("g1", { rack: "r1", gpu: "a100" }),
      node("g2", { rack: "r1", gpu: "h100" }),
      node("p1", { rack: "r1" }),
      node("p2", { rack: "r1" }),
      ...["x1", "x2", "x3", "x4", "x5", "x6"].map((n) => node(n, { pool: "x" })),
    ];
    const p = plan({ policy: analyze([{ file: "p.dbell", text: "on label storage in [true] set sysctl a = 1\n" }]), inventory: { ...inventory, nodes: fleet } });
    const text = (idx: number[]) => groupText(idx.length, p.labels.describe(idx), idx.map((i) => fleet[i]!.name));
    expect(text([0, 2, 3, 4, 5])).toBe("5 nodes, label rack=r1");
    expect(text([0])).toBe("node s1");
    expect(text([2, 3])).toBe("2 nodes, labels rack=r1 and gpu=*");
    expect(text([4, 5])).toBe("2 nodes, label rack=r1 except those with gpu=* or storage=*");
    // Nodes that differ only by hostname: up to three exceptions, more would not read well.
    expect(text([6, 7, 8])).toBe("3 nodes, label pool=x except those with kubernetes.io/hostname=x4 or kubernetes.io/hostname=x5 or kubernetes.io/hostname=x6");
    expect(text([6, 7])).toBe("2 nodes (of 6 with label pool=x)");
  });

  it("removes every setting and the DaemonSet when a module is turned off", () => {
    const { d } = diff("set sysctl a = 1\n", "disable sysctl\n");
    expect(d.groups).toEqual([{ module: "sysctl", changes: [{ kind: "removed", key: "a", old: "1" }], nodes: [0, 1, 2] }]);
    expect(d.moves).toEqual([{ module: "sysctl", old: "dbell-sysctl-default", new: undefined, nodes: [0, 1, 2] }]);
  });

  it("with --module, compares only that module", () => {
    const { d } = diff("set sysctl a = 1\nset limits l { domain = \"*\"  type = soft  item = nofile  value = 1 }\n", "set sysctl a = 2\n", "limits");
    expect(d.groups.map((g) => g.module)).toEqual(["limits"]);
  });

  it("finds nothing between a policy and itself", () => {
    const text = "set sysctl a = 1\non host a1 set sysctl a = 2\non label rack in [r2] unset sysctl\n";
    expect(diff(text, text).d).toEqual({ nodes: [], groups: [], moves: [] });
  });
});
