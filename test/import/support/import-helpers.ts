/** Test helpers for `dbellc import`: run the translation on inline YAML and assert diagnostics by code and underline. */
import { expect } from "vitest";
import type { Diagnostic } from "../../../src/diagnostics/diagnostic.js";
import { importValues, type ImportResult } from "../../../src/import/import-values.js";

export interface Imported extends ImportResult {
  readonly yaml: string;
}

/** `lines` joined with newlines: YAML is easier to read in tests one line per string. */
export function importYaml(...lines: string[]): Imported {
  const yaml = lines.join("\n") + "\n";
  return { ...importValues("values.yaml", yaml), yaml };
}

export function underlined(r: Imported, d: Diagnostic): string {
  return r.yaml.slice(d.span.start, d.span.end);
}

export function summary(r: Imported): { code: string; underline: string }[] {
  return r.diagnostics.map((d) => ({ code: d.code, underline: underlined(r, d) }));
}

/** Asserts a diagnostic with `code` that underlines exactly `underline` in the YAML. */
export function expectImportDiagnostic(r: Imported, want: { code: string; underline: string }): Diagnostic {
  const found = r.diagnostics.find((d) => d.code === want.code && underlined(r, d) === want.underline);
  expect(found, `expected ${want.code} under \`${want.underline}\`, got ${JSON.stringify(summary(r))}`).toBeDefined();
  return found!;
}

/** The policy's statements, without comments and blank lines, for comparing output. */
export function statements(r: Imported): string[] {
  return (r.dbell ?? "").split("\n").filter((l) => l.trim() !== "" && !l.trim().startsWith("#"));
}
