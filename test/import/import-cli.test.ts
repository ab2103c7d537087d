/** `dbellc import VALUES.yaml [-o FILE]`, run in-process. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../support/cli.js";

const overrides = readFileSync(join(import.meta.dirname, "fixtures", "overrides.yaml"), "utf8");

describe("dbellc import", () => {
  it("prints the policy on stdout and exits 0", async () => {
    const r = await cli(["import", "values.yaml"], { "values.yaml": overrides });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("on label compute_type in [dpdk, sriov] {");
    expect(r.stdout).toContain("on host superhost2 {");
  });

  it("writes the policy with -o, which then checks clean", async () => {
    const r = await cli(["import", "values.yaml", "-o", "site.dbell"], { "values.yaml": overrides });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    const check = await cli(["check", "site.dbell"], { "site.dbell": r.files.get("site.dbell")! });
    expect(check.code).toBe(0);
  });

  it("prints warnings with their place in the YAML and still exits 0", async () => {
    const r = await cli(["import", "values.yaml"], { "values.yaml": "conf:\n  sysctl:\n    fs.file-max: 1000000\n" });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("warning[DB4002]");
    expect(r.stderr).toContain("--> values.yaml:3:18");
    expect(r.stdout).toContain("set sysctl fs.file-max = 1000000");
  });

  it("exits 1 on errors, still writing what it could translate", async () => {
    const r = await cli(["import", "values.yaml"], { "values.yaml": "conf:\n  sysctl: {a.b: 1}\n  ethtool: {ens3: {tso: maybe}}\n" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error[DB4003]");
    expect(r.stdout).toContain("set sysctl a.b = 1");
  });

  it("exits 1 without a policy when the file is not YAML, and 2 when it cannot be read", async () => {
    const bad = await cli(["import", "values.yaml"], { "values.yaml": "conf: [\n" });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("error[DB4001]");
    expect(bad.stdout).toBe("");
    const missing = await cli(["import", "nope.yaml"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("cannot read nope.yaml");
  });
});
