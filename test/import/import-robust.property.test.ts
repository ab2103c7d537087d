/** Any text, however broken, gets diagnostics inside the file and never a crash; any policy written parses cleanly. */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { importValues } from "../../src/import/import-values.js";
import { parse } from "../../src/syntax/parse.js";

const dir = join(import.meta.dirname, "fixtures");
const seeds = readdirSync(dir).filter((f) => f.endsWith(".yaml")).map((f) => readFileSync(join(dir, f), "utf8"));

/** A seed with a few random edits: deletions, and insertions of YAML-significant text. */
const mutated = fc
  .tuple(
    fc.constantFrom(...seeds),
    fc.array(fc.tuple(fc.nat(), fc.nat({ max: 12 }), fc.constantFrom("", ":", "- ", "\n", "  ", "{", "]", "null", "yes", "0640", "'", "&a ", "*a", "<<: ", "~", "\ufeff", "\0", "\r\n", "\t", "!!str ", "? ")), { maxLength: 4 }),
  )
  .map(([seed, edits]) => edits.reduce((t, [at, del, ins]) => t.slice(0, at % (t.length + 1)) + ins + t.slice((at % (t.length + 1)) + del), seed));

describe("import on broken input", () => {
  it("never throws, keeps every span inside the file, and writes only policies that parse", () => {
    fc.assert(
      fc.property(mutated, (text) => {
        const r = importValues("v.yaml", text);
        for (const d of r.diagnostics) {
          expect(d.span.start).toBeGreaterThanOrEqual(0);
          expect(d.span.end).toBeLessThanOrEqual(text.length);
          // Import's own codes, and the check's codes for apt package names apt-get would misread (reported by both).
          expect(d.code).toMatch(/^(?:DB400[1-5]|DB270[78])$/);
        }
        if (r.dbell !== undefined) expect(parse("out.dbell", r.dbell).diagnostics).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });
});
