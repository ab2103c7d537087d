/** The human renderer under hostile input: capped per file, escaped, and cut around the span on long lines. */
import { describe, expect, it } from "vitest";
import { diag } from "../../src/diagnostics/diagnostic.js";
import { excerptLine, visible } from "../../src/diagnostics/excerpt.js";
import { MAX_JSON_PER_FILE, MAX_PER_FILE, renderHuman, toJson } from "../../src/diagnostics/render.js";
import { analyzeText } from "../support/diagnostics.js";

describe("human diagnostics", () => {
  it("show at most MAX_PER_FILE per file and count the rest", () => {
    const text = "set sysctll a = 1\n".repeat(MAX_PER_FILE + 7);
    const a = analyzeText(text, "many.dbell");
    expect(a.diagnostics).toHaveLength(MAX_PER_FILE + 7);
    const out = renderHuman(a.diagnostics, a.sources);
    expect(out.match(/^error\[DB2001\]/gm)).toHaveLength(MAX_PER_FILE);
    expect(out).toContain(`... and 7 more in many.dbell (7 errors, 0 warnings) not shown`);
    expect(out.trimEnd().split("\n").at(-1)).toBe(`${MAX_PER_FILE + 7} errors, 0 warnings`);
  });

  it("in JSON list at most MAX_JSON_PER_FILE per file and count the rest in summary.omitted", () => {
    const a = analyzeText("set sysctll a = 1\n".repeat(MAX_JSON_PER_FILE + 3), "many.dbell");
    const j = toJson(a.diagnostics, a.sources) as { diagnostics: unknown[]; summary: { errors: number; omitted?: number } };
    expect(j.diagnostics).toHaveLength(MAX_JSON_PER_FILE);
    expect(j.summary).toEqual({ errors: MAX_JSON_PER_FILE + 3, warnings: 0, acknowledged: 0, omitted: 3 });
    expect((toJson(a.diagnostics.slice(0, 2), a.sources) as { summary: object }).summary).toEqual({ errors: 2, warnings: 0, acknowledged: 0 });
  });

  it("grow linearly, not with the square of a long line", () => {
    const a = analyzeText("set ".repeat(16_000));
    const out = renderHuman(a.diagnostics, a.sources);
    expect(out.length).toBeLessThan(60_000);
  });

  it("escape control characters, bidi overrides and lone surrogates in messages and excerpts", () => {
    const a = analyzeText('set sysctll a = "\x1b]0;title\x07 \u202e \ud800 \u0085"\n');
    const out = renderHuman(a.diagnostics, a.sources);
    expect(out).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]/);
    expect(out).toContain("\\x1b]0;title\\x07 \\u{202e} \\u{d800} \\u{85}");
    const d = diag("DB2101", { file: "f", start: 0, end: 1 }, "bad `\x1b[2J`");
    expect(renderHuman([d], new Map([["f", "x"]]))).toContain("bad `\\x1b[2J`");
  });

  it("keep carets under the span when escapes widen the line", () => {
    const line = "\x1bab";
    const shown = excerptLine(line, 1, 3);
    expect(shown.text).toBe("\\x1bab");
    expect(shown.text.slice(shown.caretCol, shown.caretCol + shown.caretWidth)).toBe("ab");
  });

  it("cut a long line to a window around the span", () => {
    const line = "a".repeat(5000) + "HERE" + "b".repeat(5000);
    const shown = excerptLine(line, 5000, 5004);
    expect(shown.text.length).toBeLessThanOrEqual(162);
    expect(shown.text.startsWith("…") && shown.text.endsWith("…")).toBe(true);
    expect(shown.text.slice(shown.caretCol, shown.caretCol + shown.caretWidth)).toBe("HERE");
  });

  it("keep ordinary text, tabs and paired surrogates as they are", () => {
    expect(visible("tab\there é 😀")).toBe("tab\there é 😀");
  });
});
