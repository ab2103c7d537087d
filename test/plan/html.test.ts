/** `plan --format html`: one self-contained page whose matrix, legend and change sets match the plan. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cli } from "../support/cli.js";
import { moduleNames } from "../../src/modules/registry.js";
import { inventoryJson } from "../../bench/plan-inventory.js";

const site = readFileSync("examples/site.dbell", "utf8");
const files = { "site.dbell": site, "nodes.json": inventoryJson({ nodes: 50, windows: 1 }) };

async function html(extra: string[] = [], more: Record<string, string> = {}): Promise<string> {
  const r = await cli(["plan", "site.dbell", "--nodes", "nodes.json", "--format", "html", ...extra], { ...files, ...more });
  expect(r.code).toBe(0);
  return r.stdout;
}

function all(text: string, re: RegExp): RegExpMatchArray[] {
  return [...text.matchAll(new RegExp(re.source, "g"))];
}

describe("plan --format html", () => {
  it("is one self-contained document: inline style, no scripts, no links out", async () => {
    const page = await html();
    expect(page.startsWith("<!doctype html>\n<html lang=\"en\">")).toBe(true);
    expect(page.trimEnd().endsWith("</html>")).toBe(true);
    expect(all(page, /<style>/)).toHaveLength(1);
    for (const banned of [/<script/i, /<link/i, /\bsrc=/i, /https?:\/\//i, /url\(/i, /@import/i, /@font-face/i]) expect(page).not.toMatch(banned);
    // Tags balance, so browsers do not have to guess.
    for (const tag of ["table", "tr", "details", "summary", "div", "h2", "h3"]) {
      expect(all(page, new RegExp(`<${tag}[ >]`)).length, tag).toBe(all(page, new RegExp(`</${tag}>`)).length);
    }
  });

  it("has a matrix row per node and a cell per module, holding the DaemonSet plan names", async () => {
    const page = await html();
    const j = JSON.parse((await cli(["plan", "site.dbell", "--nodes", "nodes.json", "--format", "json"], files)).stdout);
    const rows = all(page, /<tr data-node="([^"]+)">(.*?)<\/tr>/);
    expect(rows.map((r) => r[1]).sort()).toEqual(j.nodes.map((n: { name: string }) => n.name).sort());
    for (const row of rows) {
      const node = j.nodes.find((n: { name: string }) => n.name === row[1]);
      const cells = all(row[2]!, /<td class="cell ([^"]*)" data-module="([^"]+)" data-daemonset="([^"]*)"/);
      expect(cells.map((c) => c[2])).toEqual(j.modules.map((m: { module: string }) => m.module));
      for (const c of cells) {
        expect(c[3]).toBe(node.modules[c[2]!].daemonSet ?? "");
        // Coloured by DaemonSet; a node that no DaemonSet selects is hatched instead.
        expect(c[1]).toMatch(c[3] ? /^k\d+/ : /^none/);
      }
    }
  });

  it("groups the matrix by the values of the label keys the policy selects on", async () => {
    const page = await html();
    const groups = all(page, /<details class="group"( open)?><summary>([^<]+)<span class="count">(\d+) nodes?<\/span>/);
    // A fleet this small opens every group.
    expect(groups.every((g) => g[1] === " open")).toBe(true);
    expect(groups.map((g) => g[2])).toContain("compute_type=dpdk · node-role.kubernetes.io/storage=—");
    expect(groups.reduce((n, g) => n + Number(g[3]), 0)).toBe(50);
  });

  it("folds every group on a large fleet, each summary showing the DaemonSets its nodes run per module", async () => {
    const page = await html([], { "nodes.json": inventoryJson({ nodes: 250 }) });
    const groups = all(page, /<details class="group"( open)?><summary>([^<]+)<span class="count">(\d+) nodes?<\/span><span class="dist">(.*?)<\/span><\/summary>/);
    expect(groups).toHaveLength(4);
    expect(groups.every((g) => g[1] === undefined)).toBe(true);
    expect(groups.reduce((n, g) => n + Number(g[3]), 0)).toBe(250);
    // The packet-processing nodes run their own sysctl, ethtool and limits DaemonSets (legend letters c, b, b).
    const dpdk = groups.find((g) => g[2] === "compute_type=dpdk · node-role.kubernetes.io/storage=—")!;
    const chips = all(dpdk[4]!, /<span class="mod" title="(\w+)">(.*?)<\/span><\/span>/).map((m) => `${m[1]}:${m[2]!.replace(/<[^>]+>/g, "")}`);
    const own: Record<string, string> = { sysctl: "c", ethtool: "b", limits: "b" };
    expect(chips).toEqual(moduleNames().map((m) => `${m}:${own[m] ?? "a"}`));
  });

  it("has a legend per module, with the DaemonSets that select no node", async () => {
    const one = await html([], { "nodes.json": inventoryJson({ nodes: 1 }) });
    expect(all(one, /<table class="legend" data-module="/)).toHaveLength(9);
    expect(one).toMatch(/<tr class="idle"><td><\/td><td class="mono">dbell-sysctl-host-gateway-01-[0-9a-f]{8}<\/td><td>0<\/td>/);
    expect(one).toMatch(/<div class="stat" data-stat="select no node"><b>6<\/b>/);
  });

  it("shows the change sets with --against and marks the changed cells", async () => {
    const changed = site.replace("  vm.swappiness = 10\n", "  vm.swappiness = 20\n");
    const page = await html(["--against", "old.dbell"], { "site.dbell": changed, "old.dbell": site });
    const sets = all(page, /<div class="change" data-module="(\w+)" data-nodes="(\d+)">/);
    expect(sets.map((s) => s[1])).toEqual(["sysctl"]);
    expect(page).toContain('<li class="changed"><code>vm.swappiness: 10 → 20</code></li>');
    const marked = all(page, /<td class="cell k\d+ chg" data-module="sysctl"/).length;
    expect(marked).toBe(Number(sets[0]![2]));
    expect(page).not.toMatch(/class="cell[^"]* mov"/);
  });

  it("lists the warnings with their codes and places", async () => {
    const page = await html();
    expect(page).toMatch(/<div class="diag warning" data-code="DB6105"><b>warning\[DB6105\]<\/b> node <code>win-001<\/code> runs no DaemonSet of any module <span class="mono">nodes\.json:\d+<\/span>/);
    expect(page).toMatch(/<div class="stat" data-stat="warnings"><b>1<\/b>/);
  });

  it("escapes what comes from the inventory", async () => {
    const inv = JSON.parse(files["nodes.json"]);
    inv.items[5].metadata.labels["compute_type"] = "<b>";
    const page = await html([], { "nodes.json": JSON.stringify(inv) });
    expect(page).not.toContain("compute_type=<b>");
    expect(page).toContain("compute_type=&lt;b&gt;");
  });
});
