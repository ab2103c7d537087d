/** `dbellc script`, run in-process: the printed text is the node's host script, errors and usage get their exit codes. */
import { describe, expect, it } from "vitest";
import { analyze, scriptFor } from "../../src/compile.js";
import { cli } from "../support/cli.js";

const policy = [
  "set sysctl net.ipv4.ip_forward = 1",
  "on label role in [edge] set sysctl net.ipv4.ip_forward = 0",
  "on host n7 set sysctl vm.swappiness = 5",
  "",
].join("\n");

describe("script", () => {
  it("prints exactly the host script of the node's variant", async () => {
    const a = analyze([{ file: "p.dbell", text: policy }]);
    for (const [host, labels, argv] of [
      ["n1", new Map<string, string>(), []],
      ["n1", new Map([["role", "edge"]]), ["--label", "role=edge"]],
      ["n7", new Map([["role", "edge"]]), ["--label", "role=edge"]],
    ] as const) {
      const r = await cli(["script", "p.dbell", "--module", "sysctl", "--host", host, ...argv], { "p.dbell": policy });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe("");
      expect(r.stdout).toBe(scriptFor(a, "sysctl", { hostname: host, labels }));
    }
  });

  it("exits 1 with the diagnostics on stderr and nothing on stdout when the policy has errors", async () => {
    const r = await cli(["script", "p.dbell", "--module", "sysctl", "--host", "n1"], { "p.dbell": "set sysctll vm.swappiness = 1\n" });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("error[DB2001]");
  });

  it("is a usage error (exit 2) for an unknown or disabled module, a bad label or a missing option", async () => {
    const files = { "p.dbell": policy, "d.dbell": "disable sysctl\n" };
    expect((await cli(["script", "p.dbell", "--module", "sysctll", "--host", "n1"], files)).code).toBe(2);
    expect((await cli(["script", "d.dbell", "--module", "sysctl", "--host", "n1"], files)).code).toBe(2);
    expect((await cli(["script", "p.dbell", "--module", "sysctl", "--host", "n1", "--label", "role"], files)).code).toBe(2);
    expect((await cli(["script", "p.dbell", "--host", "n1"], files)).code).toBe(2);
    expect((await cli(["script", "p.dbell", "--module", "sysctl"], files)).code).toBe(2);
  });
});
