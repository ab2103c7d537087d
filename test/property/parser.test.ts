/** Properties of the front end: it never throws, and every diagnostic's span lies inside its input. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/compile.js";
import { parse } from "../../src/syntax/parse.js";

const examplesDir = join(import.meta.dirname, "../../examples");
const examples = readdirSync(examplesDir)
  .filter((f) => f.endsWith(".dbell"))
  .sort()
  .map((f) => readFileSync(join(examplesDir, f), "utf8"));

/** Characters that matter to the lexer, mixed with arbitrary unicode. */
const interesting = fc.constantFrom(..."{}[]=,;#\"'\n\t \\$/.-_*on set unset label host in disable \"\"\"".split(""), "set ", "on ", "label ", "host ", "in ", "unset ", '"""', "\n");
const chunk = fc.oneof(fc.string({ unit: "grapheme", maxLength: 4 }), interesting, fc.string({ maxLength: 6 }));
const randomText = fc.array(chunk, { maxLength: 80 }).map((parts) => parts.join(""));

/** A random deletion, insertion or duplication applied to an example file (as ohm's tests do). */
const editedExample = fc
  .tuple(fc.nat({ max: examples.length - 1 }), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 12 }), fc.oneof(fc.constant(""), randomText)), { minLength: 1, maxLength: 4 }))
  .map(([i, edits]) => {
    let text = examples[i]!;
    for (const [at, len, insert] of edits) {
      const p = text.length ? at % text.length : 0;
      text = text.slice(0, p) + insert + text.slice(p + len);
    }
    return text;
  });

function spansInside(text: string) {
  const r = parse("p.dbell", text);
  for (const d of r.diagnostics) {
    expect(d.span.file).toBe("p.dbell");
    expect(d.span.start).toBeGreaterThanOrEqual(0);
    expect(d.span.end).toBeGreaterThanOrEqual(d.span.start);
    expect(d.span.end).toBeLessThanOrEqual(text.length);
  }
  const a = analyze([{ file: "p.dbell", text }]);
  for (const d of a.diagnostics) {
    expect(d.span.end).toBeLessThanOrEqual(text.length);
    expect(d.span.start).toBeGreaterThanOrEqual(0);
    for (const rel of d.related ?? []) expect(rel.span.end).toBeLessThanOrEqual(text.length);
  }
}

describe("parser properties", () => {
  it("has example files to mutate", () => expect(examples.length).toBeGreaterThan(0));

  it("never throws on random text, and spans stay inside it", () => {
    fc.assert(fc.property(randomText, spansInside), { numRuns: 400 });
  });

  it("never throws on random edits of the examples, and spans stay inside them", () => {
    fc.assert(fc.property(editedExample, spansInside), { numRuns: 800 });
  });

  it("reports the same diagnostics when parsed twice (no state leaks between runs)", () => {
    fc.assert(
      fc.property(editedExample, (text) => {
        const a = parse("p.dbell", text).diagnostics;
        parse("q.dbell", "set sysctl x = [");
        expect(parse("p.dbell", text).diagnostics).toEqual(a);
      }),
      { numRuns: 100 },
    );
  });
});
