/** The code catalog's own rules: bands, severities, and a doc line per code. */
import { describe, expect, it } from "vitest";
import { CODES } from "../../src/diagnostics/codes.js";
import { renderHuman, toJson } from "../../src/diagnostics/render.js";
import { diag } from "../../src/diagnostics/diagnostic.js";
import { STATEMENT_START } from "../../src/syntax/parse.js";

describe("diagnostic codes", () => {
  it("are DB plus four digits in a known band, each documented as 'Reported when …'", () => {
    for (const [code, info] of Object.entries(CODES)) {
      expect(code).toMatch(/^DB(?:[1-6]\d|2[1-9]|[78]\d|9\d)\d{2}$/);
      expect(info.doc).toMatch(/^Reported when /);
      expect(["error", "warning"]).toContain(info.severity);
    }
  });

  it("name every word a statement can start with in DB1005, as the parser knows them", () => {
    const named = [...CODES.DB1005.doc.matchAll(/`(\w+)`/g)].map((m) => m[1]!);
    expect(named.sort()).toEqual([...STATEMENT_START].sort());
  });

  it("render with file:line:col, an excerpt and carets under the span", () => {
    const text = "set sysctl a = 1\nset sysctll b = 2\n";
    const d = diag("DB2001", { file: "f.dbell", start: 21, end: 28 }, "unknown module `sysctll`", { help: "did you mean `sysctl`?" });
    expect(renderHuman([d], new Map([["f.dbell", text]]))).toBe(
      [
        "error[DB2001]: unknown module `sysctll`",
        "  --> f.dbell:2:5",
        "   |",
        " 2 | set sysctll b = 2",
        "   |     ^^^^^^^",
        "   = help: did you mean `sysctl`?",
        "",
        "1 error, 0 warnings",
        "",
      ].join("\n"),
    );
  });

  it("render as versioned JSON with 1-based lines and columns and half-open offsets", () => {
    const d = diag("DB2001", { file: "f.dbell", start: 4, end: 11 }, "unknown module `sysctll`");
    const j = toJson([d], new Map([["f.dbell", "set sysctll a = 1\n"]])) as { version: number; diagnostics: object[] };
    expect(j.version).toBe(1);
    expect(j.diagnostics[0]).toMatchObject({ code: "DB2001", severity: "error", file: "f.dbell", start: { line: 1, col: 5, offset: 4 }, end: { line: 1, col: 12, offset: 11 } });
  });
});
