/** `dbellc check` and `dbellc explain`, run in-process. */
import { describe, expect, it } from "vitest";
import { cli } from "../support/cli.js";

const good = "set sysctl vm.swappiness = 10\non label role in [db] set sysctl vm.swappiness = 1\n";
const warn = "on label a in [x] set sysctl vm.a = 1\non label b in [y] set sysctl vm.a = 2\n";
const bad = "set sysctll vm.swappiness = 10\n";

describe("check", () => {
  it("exits 0 on a clean policy", async () => {
    const r = await cli(["check", "p.dbell"], { "p.dbell": good });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("no problems");
  });

  it("exits 1 on errors and prints them with place and carets", async () => {
    const r = await cli(["check", "p.dbell"], { "p.dbell": bad });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error[DB2001]");
    expect(r.stderr).toContain("--> p.dbell:1:5");
    expect(r.stderr).toContain("^^^^^^^");
  });

  it("passes warnings, unless --deny-warnings", async () => {
    expect((await cli(["check", "p.dbell"], { "p.dbell": warn })).code).toBe(0);
    expect((await cli(["check", "--deny-warnings", "p.dbell"], { "p.dbell": warn })).code).toBe(1);
  });

  it("prints versioned JSON on stdout with --format json", async () => {
    const r = await cli(["check", "--format", "json", "p.dbell"], { "p.dbell": bad });
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.version).toBe(1);
    expect(j.diagnostics[0]).toMatchObject({ code: "DB2001", file: "p.dbell", start: { line: 1, col: 5 } });
    expect(j.summary).toEqual({ errors: 1, warnings: 0, acknowledged: 0 });
  });

  it("reads several files as one policy, in order", async () => {
    const r = await cli(["check", "a.dbell", "b.dbell"], { "a.dbell": "on host h set sysctl vm.a = 1\n", "b.dbell": "on host h set sysctl vm.a = 2\n" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error[DB2009]");
    expect(r.stderr).toContain("--> b.dbell:1:");
    expect(r.stderr).toContain("first set here: a.dbell:1:");
  });

  it("exits 2 on usage errors, without a stack trace", async () => {
    for (const argv of [["check", "missing.dbell"], ["check"], ["check", "--format", "xml", "p.dbell"], ["frobnicate"]]) {
      const r = await cli(argv, { "p.dbell": good });
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("colours output only for a terminal without NO_COLOR", async () => {
    const r = await cli(["check", "p.dbell"], { "p.dbell": bad });
    expect(r.stderr).not.toContain("\x1b[");
  });
});

describe("explain", () => {
  const policy = [
    "set sysctl vm.swappiness = 10",
    "set sysctl net.ipv4.ip_forward = 1",
    "on label compute_type in [dpdk, sriov] set sysctl net.ipv4.ip_forward = 0",
    "on host superhost set sysctl vm.swappiness = 1",
    "",
  ].join("\n");

  it("names the rule, each value's origin, and the rules not applied", async () => {
    const r = await cli(["explain", "p.dbell", "--host", "n1", "--label", "compute_type=dpdk", "--module", "sysctl"], { "p.dbell": policy });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("sysctl: label compute_type in [dpdk, sriov] (p.dbell:3)");
    expect(r.stdout).toMatch(/net\.ipv4\.ip_forward = 0\s+# p\.dbell:3\n/);
    expect(r.stdout).toMatch(/vm\.swappiness = 10\s+# p\.dbell:1 \(defaults\)/);
    expect(r.stdout).toContain("not applied: host superhost (p.dbell:4): the node's hostname is n1");
  });

  it("prefers the host rule and says why the label rule lost", async () => {
    const r = await cli(["explain", "p.dbell", "--host", "superhost", "--label", "compute_type=sriov", "--format", "json"], { "p.dbell": policy });
    const j = JSON.parse(r.stdout);
    const sysctl = j.modules.find((m: { module: string }) => m.module === "sysctl");
    expect(sysctl.rule).toMatchObject({ kind: "host", name: "superhost", origin: { file: "p.dbell", line: 4 } });
    expect(sysctl.settings).toContainEqual({ path: ["net.ipv4.ip_forward"], value: "1", origin: { file: "p.dbell", line: 2 }, fromDefaults: true });
    expect(sysctl.notApplied).toContainEqual(expect.objectContaining({ reason: "a host rule wins over label rules" }));
  });

  it("rejects a malformed --label and an unknown --module with exit 2", async () => {
    expect((await cli(["explain", "p.dbell", "--host", "a", "--label", "nokey"], { "p.dbell": policy })).code).toBe(2);
    expect((await cli(["explain", "p.dbell", "--host", "a", "--module", "sysctll"], { "p.dbell": policy })).code).toBe(2);
  });
});
