/** `# allow CODE: reason` comments: which warnings they accept, and the diagnostics for ones that are wrong. */
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/compile.js";
import { cli } from "../support/cli.js";

const overlap = (comment: string, trailing = "") =>
  `on label a in [x] set sysctl vm.swappiness = 1\n${comment}on label b in [y] set sysctl vm.swappiness = 2${trailing}\n`;
const check = (text: string) => analyze([{ file: "p.dbell", text }]);
const codes = (text: string) => check(text).diagnostics.map((d) => d.code);

describe("# allow comments", () => {
  it("a warning is open without one", () => {
    expect(codes(overlap(""))).toEqual(["DB3002"]);
  });

  it("on the line before the rule, acknowledges the warning with its reason", () => {
    const a = check(overlap("# allow DB3002: b nodes never carry label a\n"));
    // DB3002 is reported on the earlier rule: an allow on the later rule does not cover it.
    expect(a.diagnostics.map((d) => d.code)).toEqual(["DB3002", "DB1902"]);
    const b = check("# allow DB3002: b nodes never carry label a\n" + overlap(""));
    expect(b.diagnostics).toEqual([]);
    expect(b.acknowledged.map((d) => [d.code, d.acknowledged?.reason])).toEqual([["DB3002", "b nodes never carry label a"]]);
  });

  it("at the end of the rule's first line, and for an `on` block the whole rule", () => {
    expect(codes("on label a in [x] { # allow DB3002: fine\n  set sysctl vm.swappiness = 1\n}\non label b in [y] set sysctl vm.swappiness = 2\n")).toEqual([]);
    expect(codes("on label a in [x] set sysctl vm.swappiness = 1 # allow DB3002, DB3004: fine\non label b in [y] set sysctl vm.swappiness = 2\n")).toEqual([]);
  });

  it("accepts only the codes it names", () => {
    expect(codes("# allow DB3003: not this one\n" + overlap(""))).toEqual(["DB1902", "DB3002"]);
  });

  it("never acknowledges an error, and says so", () => {
    const a = check("# allow DB2001: no\nset sysctll vm.swappiness = 1\n");
    expect(a.diagnostics.map((d) => d.code)).toEqual(["DB1901", "DB2001"]);
    expect(a.diagnostics[0]!.message).toContain("errors cannot be acknowledged");
  });

  it("needs a reason and known codes", () => {
    expect(codes("# allow DB3002\n" + overlap(""))).toEqual(["DB1901", "DB3002"]);
    expect(codes("# allow DB3999: x\n" + overlap(""))).toEqual(["DB1901", "DB3002"]);
  });

  it("leaves comments that merely start with the word alone", () => {
    expect(codes("# allow forwarding on every node\nset sysctl net.ipv4.ip_forward = 1\n")).toEqual([]);
  });

  it("belongs to no statement when code comes between", () => {
    // A comment alone in a file: it acknowledges nothing (the file also sets nothing, DB2016).
    expect(codes("# allow DB3002: x\n")).toEqual(["DB2016", "DB1902"]);
  });
});

describe("--deny-warnings with acknowledged warnings", () => {
  const acked = { "p.dbell": "# allow DB3002: b nodes never carry label a\n" + overlap("") };
  it("check passes, and json lists the acknowledged warning with its reason", async () => {
    const human = await cli(["check", "--deny-warnings", "p.dbell"], acked);
    expect(human.code).toBe(0);
    expect(human.stderr).toBe("ok: 1 file, no problems (1 acknowledged warning)\n");
    const j = JSON.parse((await cli(["check", "--format", "json", "p.dbell"], acked)).stdout);
    expect(j.diagnostics).toEqual([]);
    expect(j.acknowledged[0]).toMatchObject({ code: "DB3002", reason: "b nodes never carry label a", allowedAt: { file: "p.dbell", start: { line: 1, col: 1 } } });
    expect(j.summary).toEqual({ errors: 0, warnings: 0, acknowledged: 1 });
  });

  it("compile --deny-warnings refuses open warnings and writes nothing, but compiles acknowledged ones", async () => {
    const open = await cli(["compile", "--deny-warnings", "p.dbell"], { "p.dbell": overlap("") });
    expect(open.code).toBe(1);
    expect(open.stdout).toBe("");
    expect(open.stderr).toContain("warning[DB3002]");
    const ok = await cli(["compile", "--deny-warnings", "p.dbell"], acked);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("kind: DaemonSet");
    expect((await cli(["compile", "p.dbell"], { "p.dbell": overlap("") })).code).toBe(0);
  });
});
