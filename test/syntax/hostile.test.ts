/** The front end on input no person writes: deep nesting, keyword list items, runs of one character. */
import { describe, expect, it } from "vitest";
import { MAX_NESTING, parse } from "../../src/syntax/parse.js";
import { analyzeText, expectClean, expectDiagnostic, summary } from "../support/diagnostics.js";

describe("nesting", () => {
  it("reports DB1010 once for blocks nested too deep, without overflowing the parser", () => {
    const text = "set exec a { " + "b { ".repeat(5000) + "\n";
    const r = parse("deep.dbell", text);
    expect(r.diagnostics.filter((d) => d.code === "DB1010")).toHaveLength(1);
    expect(r.diagnostics.some((d) => d.code === "DB9001")).toBe(false);
  });

  it("leaves nesting up to the limit alone", () => {
    const ok = "set exec a { " + "b { ".repeat(MAX_NESTING - 1) + "} ".repeat(MAX_NESTING) + "\n";
    expect(parse("ok.dbell", ok).diagnostics.map((d) => d.code)).not.toContain("DB1010");
  });

  it("still reads the statements after a too-deep region", () => {
    const text = "set exec a { " + "b { ".repeat(40) + "} ".repeat(41) + "\nset sysctll x = 1\n";
    expectDiagnostic(text, { code: "DB2001", underline: "sysctll" });
  });
});

describe("syntax error limit", () => {
  it("stops parsing after the limit with one DB1012, so a file of errors costs a bounded report", () => {
    const r = parse("broken.dbell", "set = = ]\n".repeat(500));
    const codes = r.diagnostics.map((d) => d.code);
    expect(codes.filter((c) => c === "DB1012")).toHaveLength(1);
    expect(codes.length).toBeLessThan(200);
    expect(r.complete).toBe(false);
    expect(r.ast.statements).toEqual([]);
  });

  it("parses a file with fewer errors to the end, without DB1012", () => {
    const r = parse("some.dbell", "set = = ]\n".repeat(5) + "set sysctl vm.swappiness = 1\n");
    expect(r.diagnostics.map((d) => d.code)).not.toContain("DB1012");
    expect(r.complete).toBe(true);
    expect(r.ast.statements.at(-1)?.kind).toBe("Set");
  });
});

describe("keywords as list items", () => {
  it("reads `on`, `set`, `unset` and `disable` standing alone in a list as plain words", () => {
    const a = expectClean("on label power in [on, off] set sysctl vm.swappiness = 1\non label x in [set, unset, disable] set sysctl vm.swappiness = 2\n");
    expect(a.policy.rules.map((r) => (r.target.kind === "Label" ? r.target.values : []))).toEqual([["off", "on"], ["disable", "set", "unset"]]);
  });

  it("still stops an unclosed list at the next statement, with one syntax error and no DB3005", () => {
    const a = analyzeText("on label x in [on\nset sysctl vm.swappiness = 1\n");
    expect(summary(a).map((d) => d.code)).not.toContain("DB3005");
    expect(summary(a).filter((d) => d.code === "DB1004")).toHaveLength(1);
  });
});

describe("runs of one character", () => {
  it.each([
    ['"', 200_000],
    ["'", 200_000],
    ["$", 200_000],
    ["{", 200_000],
    ["[", 200_000],
    ["set ", 20_000],
  ])("%j × %d is checked quickly and without an internal error", (unit, n) => {
    const started = performance.now();
    const a = analyzeText(unit.repeat(n));
    expect(a.ok).toBe(false);
    expect(a.diagnostics.some((d) => d.code === "DB9001")).toBe(false);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe("text that is not text", () => {
  it("reports invalid UTF-8 (read as U+FFFD) at its place, once per run, inside strings too", () => {
    const a = analyzeText('set sysctl kernel.core_pattern = "a\uFFFD\uFFFDb"\nset sysctl vm.\uFFFD = 1\n');
    const enc = summary(a).filter((d) => d.code === "DB1011");
    expect(enc).toEqual([
      { code: "DB1011", underline: "\uFFFD\uFFFD" },
      { code: "DB1011", underline: "\uFFFD" },
    ]);
    expect(summary(a).map((d) => d.code)).not.toContain("DB1001");
  });

  it("reports unpaired surrogates in the text and in `\\u{...}` escapes", () => {
    expectDiagnostic('set sysctl kernel.core_pattern = "a\uD800b"\n', { code: "DB1011", underline: "\uD800" });
    expectDiagnostic('set sysctl kernel.core_pattern = "a\\u{dc00}b"\n', { code: "DB1003", underline: "\\u{dc00}" });
    expectClean('set sysctl kernel.core_pattern = "\\u{fffd} \uD83D\uDE00"\n');
  });
});
