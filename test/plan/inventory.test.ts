/** Reading node inventories: kubectl's JSON and YAML, Lists and single Nodes, and every malformed shape with its place. */
import { describe, expect, it } from "vitest";
import { readInventory } from "../../src/plan/inventory.js";
import { inventoryJson, inventoryList, inventoryYaml } from "../../bench/plan-inventory.js";

/** The text a diagnostic underlines. */
function underlined(text: string, d: { span: { start: number; end: number } }): string {
  return text.slice(d.span.start, d.span.end);
}

function only(file: string, text: string) {
  const r = readInventory(file, text);
  expect(r.inventory).toBeUndefined();
  return r.diagnostics;
}

describe("readInventory", () => {
  it("reads `kubectl get nodes -o json` of 1, 50 and 5,000 nodes, hostnames from kubernetes.io/hostname", () => {
    for (const n of [1, 50, 5000]) {
      const r = readInventory("nodes.json", inventoryJson({ nodes: n }));
      expect(r.diagnostics).toEqual([]);
      expect(r.inventory!.nodes).toHaveLength(n);
      for (const node of r.inventory!.nodes) expect(node.hostname).toBe(node.labels.get("kubernetes.io/hostname"));
    }
  });

  it("reads `-o yaml` to the same nodes and labels, quoted values staying strings", () => {
    const j = readInventory("n.json", inventoryJson({ nodes: 50 })).inventory!;
    const y = readInventory("n.yaml", inventoryYaml({ nodes: 50 })).inventory!;
    expect(y.nodes.map((n) => [n.name, [...n.labels]])).toEqual(j.nodes.map((n) => [n.name, [...n.labels]]));
    expect(y.nodes.find((n) => n.labels.has("node-role.kubernetes.io/storage"))!.labels.get("node-role.kubernetes.io/storage")).toBe("true");
  });

  it("reads a single Node and a NodeList whose items have no kind (the API's own shape)", () => {
    const list = inventoryList({ nodes: 3 }) as { items: Record<string, unknown>[] };
    const single = readInventory("node.json", JSON.stringify(list.items[1]));
    expect(single.inventory!.nodes.map((n) => n.name)).toEqual(["control-02"]);
    const api = { kind: "NodeList", apiVersion: "v1", items: list.items.map(({ kind: _k, ...rest }) => rest) };
    expect(readInventory("api.json", JSON.stringify(api)).inventory!.nodes).toHaveLength(3);
  });

  it("reads JSON behind a byte-order mark, and reports an empty file", () => {
    expect(readInventory("n.json", "\ufeff" + inventoryJson({ nodes: 2 })).inventory!.nodes).toHaveLength(2);
    expect(only("empty.json", "").map((d) => d.code)).toEqual(["DB6002"]);
    expect(only("bad.json", "\ufeff{,}")[0]!.span.start).toBe(2);
  });

  it("places each node at its name, in JSON and YAML", () => {
    const text = inventoryJson({ nodes: 50 });
    const inv = readInventory("n.json", text).inventory!;
    for (const i of [49, 0, 17]) expect(underlined(text, { span: inv.placeOf(i) })).toBe(`"${inv.nodes[i]!.name}"`);
    const ytext = inventoryYaml({ nodes: 5 });
    const yinv = readInventory("n.yaml", ytext).inventory!;
    expect(underlined(ytext, { span: yinv.placeOf(4) })).toBe(yinv.nodes[4]!.name);
  });

  it("reports text that is not JSON or YAML with its place (DB6001)", () => {
    const text = '{\n  "kind": "List",\n  "items": [\n    { "metadata": { "name": "a" }, }\n  ]\n}\n';
    const [d] = only("n.json", text);
    expect(d!.code).toBe("DB6001");
    expect(text.slice(0, d!.span.start).split("\n")).toHaveLength(4);
    const cut = inventoryJson({ nodes: 2 }).slice(0, 900);
    expect(only("cut.json", cut)[0]!.code).toBe("DB6001");
    const y = "kind: List\nitems:\n  - metadata:\n      name: a\n     labels: {}\n";
    const [yd] = only("n.yaml", y);
    expect(yd!.code).toBe("DB6001");
    expect(y.slice(0, yd!.span.start).split("\n").length).toBeGreaterThanOrEqual(4);
  });

  it.each([
    ["a list of pods", { kind: "PodList", items: [] }, "DB6002", '"PodList"'],
    ["a Pod among nodes", { kind: "List", items: [{ kind: "Pod", metadata: { name: "p", labels: {} } }] }, "DB6002", '"Pod"'],
    ["no items", { kind: "List", items: [] }, "DB6002", "[]"],
    ["a node without a name", { kind: "List", items: [{ kind: "Node", metadata: { labels: { "kubernetes.io/hostname": "a" } } }] }, "DB6002", '{"labels":{"kubernetes.io/hostname":"a"}}'],
    ["a node without labels", { kind: "List", items: [{ kind: "Node", metadata: { name: "a" } }] }, "DB6002", '{"name":"a"}'],
    ["a node without the hostname label", { kind: "List", items: [{ kind: "Node", metadata: { name: "a", labels: { rack: "r1" } } }] }, "DB6002", '{"rack":"r1"}'],
    ["a label that is not a string", { kind: "List", items: [{ kind: "Node", metadata: { name: "a", labels: { "kubernetes.io/hostname": "a", rack: 7 } } }] }, "DB6002", "7"],
    ["a number", 42, "DB6002", "42"],
  ])("reports %s at its place (DB6002)", (_name, value, code, place) => {
    const text = JSON.stringify(value);
    const ds = only("n.json", text);
    expect(ds.map((d) => d.code)).toEqual([code]);
    expect(underlined(text, ds[0]!)).toBe(place);
  });

  it("reports a node listed twice at the second, pointing to the first", () => {
    const node = (n: string) => ({ kind: "Node", metadata: { name: n, labels: { "kubernetes.io/hostname": n } } });
    const text = JSON.stringify({ kind: "List", items: [node("a"), node("b"), node("a")] }, null, 2);
    const [d] = only("n.json", text);
    expect(d!.code).toBe("DB6002");
    expect(d!.span.start).toBeGreaterThan(text.indexOf('"b"'));
    expect(d!.related![0]!.span.start).toBeLessThan(text.indexOf('"b"'));
  });

  it("places structure problems in YAML too", () => {
    const y = "kind: List\nitems:\n  - kind: Node\n    metadata:\n      name: a\n      labels:\n        rack: r1\n";
    const [d] = only("n.yaml", y);
    expect(d!.code).toBe("DB6002");
    expect(underlined(y, d!)).toBe("rack: r1");
  });
});
