/** The formatter on hand-written cases (golden files), on every import output, and on files it must refuse. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { format } from "../../src/syntax/format.js";
import { importValues } from "../../src/import/import-values.js";

const casesDir = join(import.meta.dirname, "cases");
const fixturesDir = join(import.meta.dirname, "../import/fixtures");

describe("format", () => {
  for (const name of readdirSync(casesDir).sort()) {
    it(`lays out ${name} canonically`, async () => {
      const input = readFileSync(join(casesDir, name, "input.dbell"), "utf8");
      const r = format("input.dbell", input);
      expect(r.diagnostics).toEqual([]);
      await expect(r.text).toMatchFileSnapshot(join(casesDir, name, "expected.dbell"));
      expect(format("input.dbell", r.text!).text).toBe(r.text);
    });
  }

  it("keeps every comment, in order", () => {
    const input = readFileSync(join(casesDir, "comments", "input.dbell"), "utf8");
    const comments = (t: string) => [...t.matchAll(/#[^\n]*/g)].map((m) => m[0].trimEnd());
    expect(comments(format("c.dbell", input).text!)).toEqual(comments(input));
  });

  it("copies strings, numbers and modes exactly as written", () => {
    const input = "set perm /p { mode = 0644 }\nset sysctl vm.a = 0x10\nset sysctl vm.b = '$1'\nset sysctl vm.c = \"\\u{41}\"\n";
    const out = format("p.dbell", input).text!;
    for (const raw of ["0644", "0x10", "'$1'", '"\\u{41}"']) expect(out).toContain(raw);
  });

  it("refuses a file with syntax errors, with the diagnostics", () => {
    const r = format("p.dbell", "set sysctl vm.a = 1\nset sysctl {\n");
    expect(r.text).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toContain("DB1004");
  });

  it("gives an empty file and a comment-only file back unchanged", () => {
    expect(format("p.dbell", "").text).toBe("");
    expect(format("p.dbell", "# only\n").text).toBe("# only\n");
  });

  it("leaves what `dbellc import` writes as it is: both use one printer", () => {
    let checked = 0;
    for (const f of readdirSync(fixturesDir).filter((f) => f.endsWith(".yaml"))) {
      const r = importValues(f, readFileSync(join(fixturesDir, f), "utf8"));
      if (r.dbell === undefined) continue;
      expect(format("imported.dbell", r.dbell).text, f).toBe(r.dbell);
      checked++;
    }
    expect(checked).toBeGreaterThan(5);
  });
});
