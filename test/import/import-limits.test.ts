/** Import under hostile YAML: Helm's alias limits, self-referencing anchors, deep nesting, huge numbers, bad bytes. */
import { describe, expect, it } from "vitest";
import { importValues } from "../../src/import/import-values.js";
import { expectImportDiagnostic, importYaml } from "./support/import-helpers.js";

/** The classic "billion laughs": each level lists the previous one nine times. */
function aliasBomb(levels: number): string {
  const lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < levels; i++) lines.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(",")}]`);
  return lines.join("\n") + "\nconf: {}\n";
}

describe("import: YAML that Helm refuses", () => {
  it("refuses an alias bomb quickly, as go-yaml's excessive-aliasing rule does", () => {
    const started = performance.now();
    const r = importValues("values.yaml", aliasBomb(9));
    expect(r.dbell).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual(["DB4001"]);
    expect(r.diagnostics[0]!.message).toContain("excessive aliasing");
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("keeps ordinary aliases, as Helm does", () => {
    const r = importYaml("base: &b {vm.swappiness: 10}", "conf:", "  sysctl: *b");
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(r.dbell).toContain("set sysctl vm.swappiness = 10");
  });

  it("refuses an anchor that contains an alias of itself instead of recursing forever", () => {
    const r = importYaml("conf: {sysctl: &x {a.b: *x}}");
    expect(r.dbell).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual(["DB4001"]);
  });

  it("reports nesting deeper than js-yaml reads, without a stack overflow", () => {
    const r = importValues("values.yaml", "conf: " + "[".repeat(100_000));
    expect(r.diagnostics.map((d) => d.code)).toEqual(["DB4001"]);
  });

  it("types a megabyte-long number as go-yaml does (text: too big for 64 bits and for a float64), quickly", () => {
    const started = performance.now();
    const r = importValues("values.yaml", "conf:\n  sysctl:\n    kernel.pid_max: " + "1".repeat(1_000_000) + "\n");
    expect(r.dbell).toBeDefined();
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it("reports invalid UTF-8 and escaped lone surrogates at their place", () => {
    const r = importYaml("conf:", "  sysctl:", '    a.b: "x\uFFFD"', '    c.d: "\\ud800"');
    expectImportDiagnostic(r, { code: "DB4001", underline: "\uFFFD" });
    expectImportDiagnostic(r, { code: "DB4001", underline: '"\\ud800"' });
  });

  it("reads keys and values that name JavaScript object properties as plain text", () => {
    const r = importYaml("conf:", "  ethtool:", "    eth0:", "      tx-tcp-segmentation: toString", "  apt:", "    constructor: 1", "  __proto__: {a: 1}");
    expectImportDiagnostic(r, { code: "DB4003", underline: "toString" });
    expectImportDiagnostic(r, { code: "DB4002", underline: "constructor" });
    expectImportDiagnostic(r, { code: "DB4002", underline: "__proto__" });
    expect(r.dbell).not.toContain("tx-tcp-segmentation");
  });

  it("orders thousands of label overrides in bounded time, approximately past MAX_PAIRS, with one warning", () => {
    const lines = ["conf:", "  sysctl: {vm.swappiness: 1}", "  overrides:", "    divingbell_sysctl:", "      labels:"];
    for (let i = 0; i < 1500; i++) lines.push(`      - {label: {key: k${i}, values: [v]}, conf: {sysctl: {vm.swappiness: ${i}}}}`);
    const started = performance.now();
    const r = importYaml(...lines);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(r.diagnostics.filter((d) => d.message.includes("too many label overrides"))).toHaveLength(1);
    expect(r.dbell).toContain("on label k1499 in [v]");
  });
});
