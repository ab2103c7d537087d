/**
 * The language server with a node inventory configured, driven over stdio by a JSON-RPC client: a three-file policy
 * in `policy/` and kubeadm-shaped inventories (as `kubectl get nodes -o json|yaml` prints them) in `inventory/`.
 * Selector hovers tell how many nodes match; rules matching no node get DB6101-DB6104; the inventory is followed on
 * disk and through the `dbell.inventory` setting; a bad inventory is one message, and the server keeps serving.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inventoryJson, inventoryList, inventoryYaml, type InventoryOptions } from "../../bench/plan-inventory.js";
import { LspClient, type LspDiagnostic } from "./client.js";

const base = ["set sysctl vm.swappiness = 10", "on label rack in [r01, r02] set sysctl vm.swappiness = 20", ""].join("\n");
const roles = [
  "on label compute_type in [dpdk] set sysctl vm.overcommit_memory = 1", // 0
  "on label rack in [r99] set sysctl vm.dirty_ratio = 30", // 1: DB6102, rack is carried but not r99
  "on label zone in [zone-a] set sysctl vm.dirty_background_ratio = 5", // 2: DB6103, did you mean topology.kubernetes.io/zone
  "",
].join("\n");
const hosts = [
  "on host gateway-01 set sysctl net.ipv4.ip_forward = 1", // 0
  "on host worker-0O12 set sysctl vm.min_free_kbytes = 65536", // 1: DB6101, a letter O for a zero
  "on host worker-0150 set sysctl vm.vfs_cache_pressure = 50", // 2: only in the 200-node inventory
  "",
].join("\n");

const FLEET = { nodes: 200, windows: 2 };

let dir: string;
let uri: { base: string; roles: string; hosts: string };
let client: LspClient;
const messages: { type: number; message: string }[] = [];

type H = { contents: { value: string } } | null;
const at = (u: string, line: number, character: number) => ({ textDocument: { uri: u }, position: { line, character } });
const hoverText = async (u: string, line: number, character: number) => (await client.request<H>("textDocument/hover", at(u, line, character)))?.contents.value ?? "";
const inventoryCodes = (ds: readonly LspDiagnostic[]) => ds.map((d) => d.code).filter((c) => c.startsWith("DB61"));

/** The nodes of the generated fleet whose labels satisfy `test`, counted here from the raw JSON. */
function count(options: InventoryOptions, test: (labels: Record<string, string>) => boolean): number {
  const items = inventoryList(options)["items"] as { metadata: { labels: Record<string, string> } }[];
  return items.filter((n) => test(n.metadata.labels)).length;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "dbell-lsp-inv-"));
  mkdirSync(join(dir, "policy"));
  mkdirSync(join(dir, "inventory"));
  writeFileSync(join(dir, "policy/10-base.dbell"), base);
  writeFileSync(join(dir, "policy/20-roles.dbell"), roles);
  writeFileSync(join(dir, "policy/90-hosts.dbell"), hosts);
  writeFileSync(join(dir, "inventory/nodes.json"), inventoryJson(FLEET));
  const u = (f: string) => pathToFileURL(join(dir, "policy", f)).href;
  uri = { base: u("10-base.dbell"), roles: u("20-roles.dbell"), hosts: u("90-hosts.dbell") };
  client = LspClient.start();
  client.connection.onNotification("window/showMessage", (m: { type: number; message: string }) => messages.push(m));
  await client.request("initialize", {
    processId: process.pid,
    rootUri: pathToFileURL(dir).href,
    capabilities: {},
    initializationOptions: { debounceMs: 20, inventory: "inventory/nodes.json", inventoryPollMs: 50 },
  });
  client.notify("initialized", {});
}, 60000);

afterAll(async () => {
  expect(await client.stop()).toBe(0);
  rmSync(dir, { recursive: true, force: true });
});

describe("dbellc lsp with an inventory", () => {
  it("reports rules that match no node of the inventory, in the file that has them, with a quick fix for a typo'd host", async () => {
    const forRoles = client.diagnostics(uri.roles, (p) => inventoryCodes(p.diagnostics).length > 0);
    const forHosts = client.diagnostics(uri.hosts, (p) => inventoryCodes(p.diagnostics).length > 0);
    const forBase = client.diagnostics(uri.base);
    client.notify("textDocument/didOpen", { textDocument: { uri: uri.roles, languageId: "dbell", version: 1, text: roles } });
    const r = (await forRoles).diagnostics.filter((d) => d.code.startsWith("DB61"));
    expect(r.map((d) => [d.code, d.range.start.line])).toEqual([
      ["DB6102", 1],
      ["DB6103", 2],
    ]);
    expect(r[0]!.message).toContain("label rule `rack in [r99]` matches no node in inventory/nodes.json");
    expect(r[1]!.message).toContain("help: did you mean `topology.kubernetes.io/zone`?");
    expect(r[1]!.severity).toBe(2);
    const h = (await forHosts).diagnostics.filter((d) => d.code.startsWith("DB61"));
    expect(h.map((d) => d.code)).toEqual(["DB6101"]);
    expect(h[0]!.range).toEqual({ start: { line: 1, character: 8 }, end: { line: 1, character: 19 } });
    expect(h[0]!.data).toEqual({ replacement: "worker-0012" });
    expect(inventoryCodes((await forBase).diagnostics)).toEqual([]);
    expect(messages).toEqual([]);
  });

  it("hovers on a selector with the number of inventory nodes it matches", async () => {
    const racks = count(FLEET, (l) => l["rack"] === "r01" || l["rack"] === "r02");
    expect(racks).toBe(80);
    expect(await hoverText(uri.base, 1, 12)).toContain(`Inventory: ${racks} nodes of inventory/nodes.json match (control-01, control-02, control-03, ...).`);
    const dpdk = count(FLEET, (l) => l["compute_type"] === "dpdk");
    expect(dpdk).toBeGreaterThan(1);
    expect(await hoverText(uri.roles, 0, 12)).toContain(`Inventory: ${dpdk} nodes of inventory/nodes.json match (worker-0002, worker-0012, worker-0022, ...).`);
    expect(await hoverText(uri.roles, 1, 12)).toContain("Inventory: no node of inventory/nodes.json matches.");
    expect(await hoverText(uri.hosts, 0, 10)).toContain("Inventory: 1 node of inventory/nodes.json matches (gateway-01).");
    expect(await hoverText(uri.hosts, 1, 10)).toContain("Inventory: no node of inventory/nodes.json has hostname `worker-0O12`; the closest hostname is `worker-0012`.");
    // The hover still says what the selector means and which rules it overlaps.
    expect(await hoverText(uri.base, 1, 12)).toMatch(/^\*\*label\*\* `rack` in \[`r01`, `r02`\][\s\S]*Overlapping rules/);
  });

  it("completes hostnames, label keys and label values from the inventory", async () => {
    type Item = { label: string; detail?: string };
    const doc = "untitled:Untitled-1";
    const complete = async (text: string, version: number) => {
      client.notify(version === 1 ? "textDocument/didOpen" : "textDocument/didChange", version === 1 ? { textDocument: { uri: doc, languageId: "dbell", version, text } } : { textDocument: { uri: doc, version }, contentChanges: [{ text }] });
      return client.request<Item[]>("textDocument/completion", at(doc, 0, text.length));
    };
    const hostItems = await complete("on host ", 1);
    expect(hostItems).toHaveLength(FLEET.nodes);
    expect(hostItems).toContainEqual({ label: "gateway-01", kind: 12, detail: "node in inventory/nodes.json" });
    const keys = await complete("on label ", 2);
    expect(keys.find((i) => i.label === "rack")?.detail).toBe(`label of ${FLEET.nodes} nodes in inventory/nodes.json`);
    expect(keys.find((i) => i.label === "compute_type")?.detail).toBe(`label of ${count(FLEET, (l) => l["compute_type"] !== undefined)} nodes in inventory/nodes.json`);
    const values = await complete("on label rack in [", 3);
    expect(values.map((i) => [i.label, i.detail])).toEqual(["r01", "r02", "r03", "r04", "r05"].map((r) => [r, `rack of ${count(FLEET, (l) => l["rack"] === r)} nodes in inventory/nodes.json`]));
    client.notify("textDocument/didClose", { textDocument: { uri: doc } });
    // In a policy that uses some names already, those come first.
    const used = await client.request<Item[]>("textDocument/completion", at(uri.roles, 1, 18));
    expect(used.map((i) => [i.label, i.detail])).toEqual([
      ["r01", "value of rack used in this policy"],
      ["r02", "value of rack used in this policy"],
      ["r99", "value of rack used in this policy"],
      ...["r03", "r04", "r05"].map((r) => [r, "rack of 40 nodes in inventory/nodes.json"]),
    ]);
  });

  it("follows the inventory file on disk without being told", async () => {
    const small = { nodes: 50 };
    const gone = client.diagnostics(uri.hosts, (p) => inventoryCodes(p.diagnostics).length === 2);
    writeFileSync(join(dir, "inventory/nodes.json"), inventoryJson(small));
    const h = (await gone).diagnostics.filter((d) => d.code.startsWith("DB61"));
    expect(h.map((d) => [d.code, d.range.start.line])).toEqual([
      ["DB6101", 1],
      ["DB6101", 2],
    ]);
    expect(h[1]!.message).toContain("no node in inventory/nodes.json has hostname `worker-0150`");
    const racks = count(small, (l) => l["rack"] === "r01" || l["rack"] === "r02");
    expect(racks).toBe(50);
    expect(await hoverText(uri.base, 1, 12)).toContain(`Inventory: ${racks} nodes of inventory/nodes.json match`);
  });

  it("shows one message for a bad inventory, serves on without counts, and recovers when it is fixed", async () => {
    const broken = join(dir, "inventory/nodes.yaml");
    writeFileSync(broken, inventoryYaml({ nodes: 3 }).replace("kubernetes.io/hostname: control-02", "kubernetes.io/hostname-typo: control-02"));
    const cleared = client.diagnostics(uri.hosts, (p) => inventoryCodes(p.diagnostics).length === 0);
    client.notify("workspace/didChangeConfiguration", { settings: { dbell: { inventory: "inventory/nodes.yaml" } } });
    await cleared;
    const hover = await hoverText(uri.base, 1, 12);
    expect(hover).toContain("**label** `rack`");
    expect(hover).not.toContain("Inventory:");
    await hoverText(uri.hosts, 0, 10);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.type).toBe(2);
    expect(messages[0]!.message).toMatch(/^dbellc: the inventory inventory\/nodes\.yaml:\d+:\d+ cannot be used: node `control-02` has no `kubernetes\.io\/hostname` label \[DB6002\]$/);

    const back = client.diagnostics(uri.hosts, (p) => inventoryCodes(p.diagnostics).length === 3);
    writeFileSync(broken, inventoryYaml({ nodes: 3 }));
    expect((await back).diagnostics.find((d) => d.code === "DB6101")?.message).toContain("no node in inventory/nodes.yaml has hostname `gateway-01`");
    expect(await hoverText(uri.base, 1, 12)).toContain("Inventory: 3 nodes of inventory/nodes.yaml match (control-01, control-02, control-03).");
    expect(messages).toHaveLength(1);
  });

  it("shows one message for an inventory that is not there, and drops the inventory when the setting is emptied", async () => {
    client.notify("workspace/didChangeConfiguration", { settings: { dbell: { inventory: "inventory/missing.json" } } });
    await expect.poll(() => messages.length).toBe(2);
    expect(messages[1]!.message).toBe(`dbellc: cannot read the inventory ${join(dir, "inventory/missing.json")} (no such file) [DB9002]; selector hovers show no node counts`);
    const none = client.diagnostics(uri.roles, (p) => inventoryCodes(p.diagnostics).length === 0);
    client.notify("workspace/didChangeConfiguration", { settings: { dbell: { inventory: "" } } });
    await none;
    expect(await hoverText(uri.hosts, 1, 10)).not.toContain("Inventory:");
    expect(messages).toHaveLength(2);
  });
});

describe("dbellc lsp with an inventory the client watches", () => {
  it("rechecks at once when the client reports the inventory changed", async () => {
    const own = LspClient.start();
    const file = join(dir, "inventory/watched.json");
    writeFileSync(file, inventoryJson({ nodes: 200 }));
    try {
      // Polling every 1000 s: only the client's report can trigger the recheck within the test.
      await own.request("initialize", { processId: process.pid, rootUri: pathToFileURL(dir).href, capabilities: {}, initializationOptions: { debounceMs: 20, inventory: file, inventoryPollMs: 1_000_000 } });
      own.notify("initialized", {});
      const first = own.diagnostics(uri.hosts, (p) => p.diagnostics.some((d) => d.code === "DB6101"));
      own.notify("textDocument/didOpen", { textDocument: { uri: uri.hosts, languageId: "dbell", version: 1, text: hosts } });
      expect((await first).diagnostics.filter((d) => d.code === "DB6101")).toHaveLength(1);
      const more = own.diagnostics(uri.hosts, (p) => p.diagnostics.filter((d) => d.code === "DB6101").length === 2);
      writeFileSync(file, inventoryJson({ nodes: 50 }));
      own.notify("workspace/didChangeWatchedFiles", { changes: [{ uri: pathToFileURL(file).href, type: 2 }] });
      await more;
    } finally {
      expect(await own.stop()).toBe(0);
    }
  });
});
