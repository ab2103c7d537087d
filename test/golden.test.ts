/**
 * The golden runner: every case in test/golden/<case>/ and src/modules/<m>/cases/<case>/ holds input*.dbell files
 * (read in name order as one policy) and expected/ outputs. A case with diagnostics gets expected/diagnostics.txt,
 * rendered with carets. `vitest -u` rewrites expected files; in CI a missing expected file fails.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyze } from "../src/compile.js";
import { renderHuman } from "../src/diagnostics/render.js";

const root = join(import.meta.dirname, "..");

function caseDirs(): string[] {
  const dirs: string[] = [];
  const golden = join(root, "test/golden");
  if (existsSync(golden)) for (const d of readdirSync(golden).sort()) dirs.push(join(golden, d));
  const modules = join(root, "src/modules");
  for (const m of readdirSync(modules).sort()) {
    const cases = join(modules, m, "cases");
    if (existsSync(cases)) for (const d of readdirSync(cases).sort()) dirs.push(join(cases, d));
  }
  return dirs.filter((d) => readdirSync(d).some((f) => f.endsWith(".dbell")));
}

export function loadCase(dir: string) {
  const inputs = readdirSync(dir)
    .filter((f) => f.endsWith(".dbell"))
    .sort()
    .map((f) => ({ file: f, text: readFileSync(join(dir, f), "utf8") }));
  return { inputs, analysis: analyze(inputs) };
}

describe("golden cases", () => {
  for (const dir of caseDirs()) {
    const name = dir.slice(root.length + 1);
    it(`${name}: diagnostics`, async () => {
      const { analysis } = loadCase(dir);
      const expected = join(dir, "expected/diagnostics.txt");
      if (analysis.diagnostics.length === 0) {
        expect(existsSync(expected), "a case without diagnostics must not have expected/diagnostics.txt").toBe(false);
        return;
      }
      await expect(renderHuman(analysis.diagnostics, analysis.sources)).toMatchFileSnapshot(expected);
    });
  }
});
