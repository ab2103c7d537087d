/** Test helpers: analyse inline policies and assert diagnostics by code and underlined text (never by wording). */
import { expect } from "vitest";
import { analyze, type Analysis } from "../../src/compile.js";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";

export function analyzeText(text: string, file = "test.dbell"): Analysis {
  return analyze([{ file, text }]);
}

/** The text a diagnostic underlines. */
export function underlined(a: Analysis, d: Diagnostic): string {
  return (a.sources.get(d.span.file) ?? "").slice(d.span.start, d.span.end);
}

export function summary(a: Analysis): { code: string; underline: string }[] {
  return a.diagnostics.map((d) => ({ code: d.code, underline: underlined(a, d) }));
}

/** Asserts that analysing `text` reports `code` underlining exactly `underline`. Returns the diagnostic. */
export function expectDiagnostic(text: string, want: { code: string; underline: string }): Diagnostic {
  const a = analyzeText(text);
  const found = a.diagnostics.find((d) => d.code === want.code && underlined(a, d) === want.underline);
  expect(found, `expected ${want.code} under \`${want.underline}\`, got ${JSON.stringify(summary(a))}`).toBeDefined();
  return found!;
}

/** Asserts that `text` has no error (warnings allowed unless `noWarnings`). */
export function expectClean(text: string, opts: { noWarnings?: boolean } = {}): Analysis {
  const a = analyzeText(text);
  const bad = a.diagnostics.filter((d) => opts.noWarnings || d.severity === "error");
  expect(summary({ ...a, diagnostics: bad })).toEqual([]);
  return a;
}
