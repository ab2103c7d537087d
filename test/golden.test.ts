/**
 * The golden runner: every case in test/golden/<case>/ and src/modules/<m>/cases/<case>/ holds input*.dbell files
 * (read in name order as one policy) and expected/ outputs. A case with diagnostics gets expected/diagnostics.txt,
 * rendered with carets; a case without errors gets expected/manifests.yaml (the `dbellc compile` stream) and the host
 * script of every Secret as expected/<secret>.sh. Every examples/<name>.dbell is a case too, with its expected files in
 * test/golden/examples/<name>/. `vitest -u` rewrites expected files; in CI a missing expected file fails.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyze, type SourceText } from "../src/compile.js";
import { renderHuman } from "../src/diagnostics/render.js";
import { checkCompiled, compileCase } from "./support/golden-compile.js";

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

interface GoldenCase {
  readonly name: string;
  /** The folder holding expected/. */
  readonly dir: string;
  readonly load: () => { inputs: SourceText[]; analysis: ReturnType<typeof analyze> };
}

/** Each example is compiled under its repository path, as CI runs `dbellc compile examples/<name>.dbell`. */
function exampleCases(): GoldenCase[] {
  const examples = join(root, "examples");
  if (!existsSync(examples)) return [];
  return readdirSync(examples)
    .filter((f) => f.endsWith(".dbell"))
    .sort()
    .map((f) => {
      const file = `examples/${f}`;
      const load = () => {
        const inputs = [{ file, text: readFileSync(join(root, file), "utf8") }];
        return { inputs, analysis: analyze(inputs) };
      };
      return { name: file, dir: join(root, "test/golden/examples", f.replace(/\.dbell$/, "")), load };
    });
}

const cases: GoldenCase[] = [...caseDirs().map((dir) => ({ name: dir.slice(root.length + 1), dir, load: () => loadCase(dir) })), ...exampleCases()];

describe("golden cases", () => {
  for (const { name, dir, load } of cases) {
    it(`${name}: diagnostics`, async () => {
      const { analysis } = load();
      const expected = join(dir, "expected/diagnostics.txt");
      if (analysis.diagnostics.length === 0) {
        expect(existsSync(expected), "a case without diagnostics must not have expected/diagnostics.txt").toBe(false);
        return;
      }
      await expect(renderHuman(analysis.diagnostics, analysis.sources)).toMatchFileSnapshot(expected);
    });

    it(`${name}: compiled output`, async () => {
      const { inputs, analysis } = load();
      const expectedDir = join(dir, "expected");
      if (name.startsWith("examples/")) expect(analysis.ok, "examples must compile").toBe(true);
      if (!analysis.ok) {
        expect(existsSync(join(expectedDir, "manifests.yaml")), "a case with errors must not have expected/manifests.yaml").toBe(false);
        return;
      }
      const compiled = compileCase(inputs);
      await expect(compiled.stream).toMatchFileSnapshot(join(expectedDir, "manifests.yaml"));
      for (const [file, text] of compiled.scripts) await expect(text).toMatchFileSnapshot(join(expectedDir, file));
      checkCompiled(inputs, compiled);
      // No expected file may outlive the object it was written for (`vitest -u` writes new files after the test).
      const produced = new Set(["diagnostics.txt", "manifests.yaml", ...compiled.scripts.keys()]);
      const present = existsSync(expectedDir) ? readdirSync(expectedDir) : [];
      expect(present.filter((f) => !produced.has(f)), "stale expected files").toEqual([]);
    });
  }
});
