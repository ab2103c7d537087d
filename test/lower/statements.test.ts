/** Statements that are valid syntax but not allowed where they are written. */
import { describe, expect, test } from "vitest";
import { analyzeText, expectDiagnostic, summary } from "../support/diagnostics.js";

describe("statements inside an `on` target", () => {
  test("`disable` is reported (a module is on or off for the whole fleet) and does not turn the module off", () => {
    const text = "set sysctl vm.swappiness = 1\non host n1 {\n  disable sysctl\n  set sysctl vm.swappiness = 2\n}\n";
    expectDiagnostic(text, { code: "DB2013", underline: "disable sysctl" });
    expect(analyzeText(text).policy.modules).toContain("sysctl");
    expectDiagnostic("on label role in [a] {\n  disable apt\n}\n", { code: "DB2013", underline: "disable apt" });
  });

  test("`disable` at the top level is accepted", () => {
    const a = analyzeText("disable apt\nset sysctl vm.swappiness = 10\n");
    expect(summary(a)).toEqual([]);
    expect(a.policy.modules).not.toContain("apt");
  });
});
