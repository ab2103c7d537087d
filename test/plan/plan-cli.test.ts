/** `dbellc plan`, run in-process on realistic inventories: human and JSON output, warnings, changes and exit codes. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cli } from "../support/cli.js";
import { moduleNames } from "../../src/modules/registry.js";
import { inventoryJson, inventoryYaml } from "../../bench/plan-inventory.js";

const site = readFileSync("examples/site.dbell", "utf8");
const nodes50 = inventoryJson({ nodes: 50 });
const files = { "site.dbell": site, "nodes.json": nodes50 };
/** The site example after a change: swappiness 10 → 20 everywhere, and a new rule for rack r02. */
const changed = site.replace("  vm.swappiness = 10\n", "  vm.swappiness = 20\n") + "\non label rack in [r02] set sysctl net.core.somaxconn = 8192\n";

describe("plan without --against", () => {
  it("prints per module each DaemonSet with its nodes and settings digest, and the fleet matrix", async () => {
    const r = await cli(["plan", "site.dbell", "--nodes", "nodes.json"], files);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^sysctl:\n {2}a {3}dbell-sysctl-default +36 nodes {2}settings [0-9a-f]{12} {2}the defaults$/m);
    expect(r.stdout).toMatch(/^ {2}\w+ +dbell-sysctl-host-gateway-01-[0-9a-f]{8} +1 node {3}settings [0-9a-f]{12} {2}host gateway-01 \(site\.dbell:73\)$/m);
    expect(r.stdout).toMatch(/^ {2}\w+ +dbell-sysctl-label-storage-true-[0-9a-f]{8} +4 nodes/m);
    // One matrix row per node, one column per module.
    const header = r.stdout.split("\n").findIndex((l) => l.startsWith("node "));
    expect(r.stdout.split("\n")[header]).toMatch(new RegExp(`^node +${moduleNames().join(" {2}")}$`));
    const rows = r.stdout.split("\n").slice(header + 1, header + 51);
    expect(rows.map((l) => l.split(/ +/)[0])).toEqual(JSON.parse(nodes50).items.map((n: { metadata: { name: string } }) => n.metadata.name));
    expect(rows.find((l) => l.startsWith("gateway-01"))!.split(/ +/)[1]).not.toBe("a");
    expect(r.stdout).toMatch(/^summary: 50 nodes, 9 modules, 15 DaemonSets$/m);
  });

  it("works on one node and on a single Node object, and reads YAML", async () => {
    const one = await cli(["plan", "site.dbell", "--nodes", "n.yaml"], { "site.dbell": site, "n.yaml": inventoryYaml({ nodes: 1 }) });
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/^control-01 +a +a +a +a +a +a +a +a +a$/m);
    const node = JSON.stringify(JSON.parse(inventoryJson({ nodes: 5 })).items[3]);
    const single = await cli(["plan", "site.dbell", "--nodes", "node.json"], { "site.dbell": site, "node.json": node });
    expect(single.stdout).toMatch(/^gateway-01 +a +a/m);
    expect(single.stdout).toMatch(/^ {6}dbell-sysctl-default +selects no node$/m);
    expect(single.stdout).toMatch(/^summary: 1 node, 9 modules, 15 DaemonSets, 6 select no node$/m);
  });

  it("warns about host rules, label rules, keys and values the inventory does not have, with did-you-mean", async () => {
    const policy = `${site}
on host gatway-01 set sysctl vm.swappiness = 1
on label compute_type in [dpdk, fpga] set limits memlock2 { domain = "*"  type = "-"  item = memlock  value = unlimited }
on label compute_type in [gpu] set sysctl vm.a = 1
on label zone in [zone-a] set perm rerun_policy = never
`;
    const r = await cli(["plan", "site.dbell", "--nodes", "nodes.json"], { ...files, "site.dbell": policy });
    expect(r.code).toBe(0);
    const codes = [...r.stderr.matchAll(/warning\[(DB\d+)\]/g)].map((m) => m[1]);
    expect(codes).toEqual(["DB6101", "DB6104", "DB6102", "DB6103"]);
    expect(r.stderr).toContain("did you mean `gateway-01`?");
    expect(r.stderr).toContain("--> site.dbell:77:9");
    expect(r.stderr).toContain("did you mean `topology.kubernetes.io/zone`?");
    expect(r.stderr).toContain("nodes carry `compute_type` = `dpdk`, `sriov`");
  });

  it("warns about nodes no DaemonSet selects, at the node in the inventory", async () => {
    const r = await cli(["plan", "site.dbell", "--nodes", "nodes.json"], { ...files, "nodes.json": inventoryJson({ nodes: 50, windows: 1 }) });
    expect(r.stderr).toContain("warning[DB6105]: node `win-001` runs no DaemonSet of any module");
    expect(r.stderr).toMatch(/--> nodes\.json:\d+:25\n/);
    expect(r.stdout).toMatch(/\(none\) +1 node {3}settings - /);
  });

  it("restricts the plan to one module with --module", async () => {
    const r = await cli(["plan", "site.dbell", "--nodes", "nodes.json", "--module", "mounts"], files);
    expect(r.stdout).toMatch(/^node +mounts$/m);
    expect(r.stdout).not.toContain("sysctl");
  });
});

describe("plan --against", () => {
  const withOld = { ...files, "site.dbell": changed, "old.dbell": site };

  it("groups the nodes that get the same change and names them by label", async () => {
    const r = await cli(["plan", "site.dbell", "--nodes", "nodes.json", "--against", "old.dbell"], withOld);
    expect(r.code).toBe(0);
    // The storage nodes of rack r01 unset vm.swappiness, so only they keep their settings.
    expect(r.stdout).toContain("changes against old.dbell: 47 of 50 nodes change");
    expect(r.stdout).toMatch(/^sysctl: 37 nodes, label rack=r01 except those with node-role\.kubernetes\.io\/storage=\*\n {4}~ vm\.swappiness: 10 → 20\n\n/m);
    // Rack r02 holds nodes 41-50: the new rack rule is the last label rule, so it wins over the dpdk and storage rules.
    expect(r.stdout).toMatch(/^sysctl: 7 nodes, label rack=r02 except those with compute_type=\* or node-role\.kubernetes\.io\/storage=\*\n {4}~ net\.core\.somaxconn: 4096 → 8192\n {4}~ vm\.swappiness: 10 → 20\n/m);
    expect(r.stdout).toMatch(/^sysctl: 2 nodes, labels rack=r02 and compute_type=\*\n(?: {4}[~+-].*\n)*? {4}- vm\.nr_hugepages \(was 1024\)\n\n/m);
    expect(r.stdout).toMatch(/^sysctl: node worker-0040\n {4}~ net\.core\.somaxconn: 4096 → 8192\n {4}- vm\.dirty_ratio \(was 10\)\n {4}\+ vm\.swappiness = 20\n/m);
    expect(r.stdout).toMatch(/^DaemonSet changes/m);
    expect(r.stdout).toMatch(/^ {2}sysctl: 7 nodes, label rack=r02 except those with compute_type=\* or node-role\.kubernetes\.io\/storage=\*: dbell-sysctl-default → dbell-sysctl-label-rack-r02-[0-9a-f]{8}$/m);
    expect(r.stdout).toMatch(/^ {2}sysctl: node worker-0040: dbell-sysctl-label-storage-true-[0-9a-f]{8} → dbell-sysctl-label-rack-r02-[0-9a-f]{8}$/m);
    expect(r.stdout).toMatch(/^summary: 50 nodes, 9 modules, 16 DaemonSets, 47 nodes change, 10 change DaemonSet$/m);
  });

  it("exits 1 with --exit-code when anything changes, 0 when nothing does", async () => {
    expect((await cli(["plan", "site.dbell", "--nodes", "nodes.json", "--against", "old.dbell", "--exit-code"], withOld)).code).toBe(1);
    const same = await cli(["plan", "site.dbell", "--nodes", "nodes.json", "--against", "old.dbell", "--exit-code"], { ...files, "old.dbell": site });
    expect(same.code).toBe(0);
    expect(same.stdout).toContain("0 of 50 nodes change");
    expect((await cli(["plan", "site.dbell", "--nodes", "nodes.json", "--against", "old.dbell"], withOld)).code).toBe(0);
  });

  it("lists a node whose DaemonSet changes even when its settings stay equal", async () => {
    // Configurations with equal settings share one DaemonSet, named after its first rule: a new, earlier rule with
    // rack r02's settings renames the DaemonSet that rack r02's nodes run, while their settings stay the same.
    const rule = "on label rack in [r02] set sysctl vm.swappiness = 31\n";
    const before = site + "\n" + rule;
    const after = site + "\non label zone in [nowhere] set sysctl vm.swappiness = 31\n" + rule;
    const r = await cli(["plan", "site.dbell", "--nodes", "nodes.json", "--against", "old.dbell", "--format", "json"], { ...files, "site.dbell": after, "old.dbell": before });
    const j = JSON.parse(r.stdout);
    const move = j.changes.daemonSetChanges.find((m: { old: string }) => /^dbell-sysctl-label-rack-r02-/.test(m.old));
    expect(move.new).toMatch(/^dbell-sysctl-label-zone-nowhere-/);
    expect(move.nodes.length).toBeGreaterThan(0);
    const withSettings = new Set(j.changes.groups.flatMap((g: { nodes: string[] }) => g.nodes));
    for (const n of move.nodes) expect(withSettings.has(n)).toBe(false);
    const node = j.changes.nodes.find((n: { name: string }) => n.name === move.nodes[0]);
    expect(node.modules).toEqual([{ module: "sysctl", daemonSet: { old: move.old, new: move.new }, changes: [] }]);
  });

  it("handles 5,000 nodes", async () => {
    const r = await cli(["plan", "site.dbell", "--nodes", "nodes.json", "--against", "old.dbell", "--format", "json"], { ...withOld, "nodes.json": inventoryJson({ nodes: 5000 }) });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.summary.nodes).toBe(5000);
    // Only sysctl changes, so every changed node is in exactly one group.
    expect(j.changes.groups.reduce((n: number, g: { nodes: string[] }) => n + g.nodes.length, 0)).toBe(j.summary.changedNodes);
    expect(j.summary.changedNodes).toBeGreaterThan(4000);
    expect(j.changes.nodes).toHaveLength(j.summary.changedNodes);
  }, 60_000);
});

describe("plan --format json", () => {
  it("is versioned, lists settings once per digest, and refers to them from each node", async () => {
    const r = await cli(["plan", "site.dbell", "--nodes", "nodes.json", "--format", "json"], files);
    const j = JSON.parse(r.stdout);
    expect(j.version).toBe(1);
    expect(j.nodes).toHaveLength(50);
    const gw = j.nodes.find((n: { name: string }) => n.name === "gateway-01");
    expect(gw.modules.sysctl.rule).toEqual({ kind: "host", name: "gateway-01", origin: { file: "site.dbell", line: 73 } });
    expect(j.settings.sysctl[gw.modules.sysctl.digest]).toContainEqual({ key: "net.ipv4.conf.all.rp_filter", value: "2" });
    expect(j.modules.map((m: { module: string }) => m.module)).toEqual(moduleNames());
    expect(j.diagnostics).toEqual([]);
    expect(j).not.toHaveProperty("changes");
  });

  it("carries the changes, groups and DaemonSet changes with --against", async () => {
    const r = await cli(["plan", "site.dbell", "--nodes", "nodes.json", "--format", "json", "--against", "old.dbell"], { ...files, "site.dbell": changed, "old.dbell": site });
    const j = JSON.parse(r.stdout);
    const g = j.changes.groups.find((x: { label: { value: string } | null }) => x.label?.value === "r01");
    expect(g).toMatchObject({
      module: "sysctl",
      label: { key: "rack", value: "r01", exact: false, carriers: 40, and: null, without: ["node-role.kubernetes.io/storage=*"] },
      changes: [{ kind: "changed", key: "vm.swappiness", old: "10", new: "20" }],
    });
    const pair = j.changes.groups.find((x: { label: { and: unknown } | null }) => x.label?.and);
    expect(pair.label).toEqual({ key: "rack", value: "r02", exact: false, carriers: 10, and: { key: "compute_type", value: null }, without: [] });
    expect(j.changes.daemonSetChanges[0]).toMatchObject({ module: "sysctl", old: "dbell-sysctl-default" });
    expect(j.summary.changedNodes).toBe(47);
  });
});

describe("plan: bad input", () => {
  it("reports a malformed inventory with its place and exit 1, never a stack trace", async () => {
    const r = await cli(["plan", "site.dbell", "--nodes", "nodes.json"], { ...files, "nodes.json": nodes50.slice(0, 5000) });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error\[DB6001\]: not valid JSON/m);
    expect(r.stderr).toMatch(/--> nodes\.json:\d+:\d+/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const partial = await cli(["plan", "site.dbell", "--nodes", "nodes.json"], { ...files, "nodes.json": '{"kind":"List","items":[{"kind":"Node","metadata":{"name":"a","labels":{"rack":"r1"}}}]}' });
    expect(partial.code).toBe(1);
    expect(partial.stderr).toContain("error[DB6002]: node `a` has no `kubernetes.io/hostname` label");
  });

  it("exits 2 on usage errors", async () => {
    for (const argv of [
      ["plan", "site.dbell"],
      ["plan", "site.dbell", "--nodes", "missing.json"],
      ["plan", "site.dbell", "--nodes", "nodes.json", "--exit-code"],
      ["plan", "site.dbell", "--nodes", "nodes.json", "--module", "sysctll"],
      ["plan", "site.dbell", "--nodes", "nodes.json", "--format", "xml"],
    ]) {
      const r = await cli(argv, files);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("exits 1 on errors in the policy or the old policy", async () => {
    expect((await cli(["plan", "site.dbell", "--nodes", "nodes.json"], { ...files, "site.dbell": "set sysctll a = 1\n" })).code).toBe(1);
    const r = await cli(["plan", "site.dbell", "--nodes", "nodes.json", "--against", "old.dbell"], { ...files, "old.dbell": "set sysctll a = 1\n" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--> old.dbell:1:5");
  });
});
