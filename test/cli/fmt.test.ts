/** `dbellc fmt`, and directories as policies, run in-process. */
import { describe, expect, it } from "vitest";
import { cli } from "../support/cli.js";

const messy = "set sysctl   vm.swappiness=1 ; # keep me\non host h {set sysctl vm.dirty_ratio = 0644}\n";
const tidy = "set sysctl vm.swappiness = 1 # keep me\non host h {\n  set sysctl vm.dirty_ratio = 0644\n}\n";

describe("fmt", () => {
  it("prints the canonical layout on stdout and leaves the file alone", async () => {
    const r = await cli(["fmt", "p.dbell"], { "p.dbell": messy });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(tidy);
    expect(r.files.get("p.dbell")).toBe(messy);
  });

  it("--write rewrites in place", async () => {
    const r = await cli(["fmt", "--write", "p.dbell"], { "p.dbell": messy });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.files.get("p.dbell")).toBe(tidy);
  });

  it("--check exits 1 with a diff for an unformatted file, 0 for a formatted one", async () => {
    const bad = await cli(["fmt", "--check", "p.dbell", "q.dbell"], { "p.dbell": messy, "q.dbell": tidy });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain("--- p.dbell\n+++ p.dbell (formatted)\n@@ -1,2 +1,4 @@\n");
    expect(bad.stdout).toContain("-set sysctl   vm.swappiness=1 ; # keep me\n");
    expect(bad.stdout).toContain("+  set sysctl vm.dirty_ratio = 0644\n");
    expect(bad.stdout).not.toContain("q.dbell");
    expect(bad.stderr).toContain("1 file is not formatted");
    expect(bad.files.get("p.dbell")).toBe(messy);
    expect((await cli(["fmt", "--check", "q.dbell"], { "q.dbell": tidy })).code).toBe(0);
  });

  it("reads standard input for `-`", async () => {
    const r = await cli(["fmt", "-"], {}, {}, messy);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(tidy);
  });

  it("refuses a file with syntax errors: diagnostics, exit 1, file untouched", async () => {
    const r = await cli(["fmt", "--write", "p.dbell"], { "p.dbell": "set sysctl {\n" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error[DB1004]");
    expect(r.files.get("p.dbell")).toBe("set sysctl {\n");
  });

  it("rejects --check with --write, and --write of standard input", async () => {
    expect((await cli(["fmt", "--check", "--write", "p.dbell"], { "p.dbell": tidy })).code).toBe(2);
    expect((await cli(["fmt", "--write", "-"], {}, {}, tidy)).code).toBe(2);
  });

  it("formats a directory's .dbell files", async () => {
    const r = await cli(["fmt", "--write", "pol"], { "pol/a.dbell": messy, "pol/notes.txt": "x" });
    expect(r.code).toBe(0);
    expect(r.files.get("pol/a.dbell")).toBe(tidy);
    expect(r.files.get("pol/notes.txt")).toBe("x");
  });
});

describe("a directory as a policy", () => {
  it("check DIR reads its *.dbell files in name order, as one policy", async () => {
    const files = { "pol/20-b.dbell": "on host h set sysctl vm.swappiness = 2\n", "pol/10-a.dbell": "on host h set sysctl vm.swappiness = 1\n", "pol/README": "" };
    const r = await cli(["check", "--format", "json", "pol"], files);
    expect(r.code).toBe(1);
    const d = JSON.parse(r.stdout).diagnostics[0];
    // The later file's setting is the duplicate: 10-a.dbell was read first.
    expect(d).toMatchObject({ code: "DB2009", file: "pol/20-b.dbell" });
    expect(d.related[0].file).toBe("pol/10-a.dbell");
  });

  it("a directory without .dbell files is a usage error", async () => {
    const r = await cli(["check", "pol"], { "pol/README": "" });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("without .dbell files");
  });
});
