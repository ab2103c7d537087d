/** The schema walk every module shares: a field written twice in one block, and a setting path with a key too many. */
import { describe, expect, test } from "vitest";
import { analyzeText, expectDiagnostic, summary } from "../../test/support/diagnostics.js";

describe("schema walk", () => {
  test("a field written twice in one block is reported at the second, pointing at the first, and the first is kept", () => {
    const d = expectDiagnostic("set mounts m { target = /mnt/a  device = tmpfs  type = tmpfs  target = /mnt/b }\n", { code: "DB1009", underline: "target" });
    const text = "set mounts m { target = /mnt/a  device = tmpfs  type = tmpfs  target = /mnt/b }\n";
    expect(d.span.start).toBe(text.lastIndexOf("target"));
    expect(d.related?.[0]?.span.start).toBe(text.indexOf("target"));
    // Nested blocks are checked too, each on its own: the same field name in two sibling blocks is fine.
    expectDiagnostic('set exec a { script = "x"  env { A = "1"  A = "2" } }\n', { code: "DB1009", underline: "A" });
    expect(summary(analyzeText("set mounts a { target = /a  device = tmpfs  type = tmpfs }\nset mounts b { target = /b  device = tmpfs  type = tmpfs }\n"))).toEqual([]);
  });

  test("a setting path with more keys than the module takes is reported at the first key too many", () => {
    expectDiagnostic("set sysctl vm.swappiness 10 = 1\n", { code: "DB2011", underline: "10" });
    expectDiagnostic("set limits l domain extra = x\n", { code: "DB2011", underline: "extra" });
    expect(summary(analyzeText("set sysctl vm.swappiness = 1\n"))).toEqual([]);
  });
});
