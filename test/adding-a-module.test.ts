/**
 * Keeps docs/adding-a-module.md true: a module built only in the test tree (test/support/toy-module/), added to the
 * registry as one line, registers, checks its values with its own codes, compiles to objects that validate, passes
 * shellcheck, and shows up in the generated code catalog. The real modules follow the same page.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { CODES } from "../src/diagnostics/codes.js";
import { MODULES, moduleNamed, registryOf } from "../src/modules/registry.js";
import type { ModuleAbout } from "../src/modules/module.js";
import { generatePolicy } from "../bench/generate-policy.js";
import { expectClean, expectDiagnostic } from "./support/diagnostics.js";
import { checkCompiled, compileCase } from "./support/golden-compile.js";
import { diagnosticsDoc } from "./support/generated.js";
import { scriptLinter } from "./support/shellcheck.js";
import { toy } from "./support/toy-module/toy.js";

// The one line the page asks for, in registry.ts: the toy goes at the end of the list.
vi.mock("../src/modules/registry.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../src/modules/registry.js")>();
  const { toy } = await import("./support/toy-module/toy.js");
  return { ...real, ...real.registryOf([...real.MODULES, toy]) };
});

const root = join(import.meta.dirname, "..");
const doc = readFileSync(join(root, "docs/adding-a-module.md"), "utf8");
const linter = scriptLinter();
afterAll(() => linter.cleanup());

describe("docs/adding-a-module.md", () => {
  it("registers a module from one folder and one line of the registry", () => {
    expect(moduleNamed("toy")).toBe(toy);
    expect(MODULES.at(-1)).toBe(toy);
  });

  it("adds the module's codes to the catalog and to the generated docs/diagnostics.md, in its band", () => {
    expect(CODES.DB7001).toBe(toy.about.codes.DB7001);
    const catalog = diagnosticsDoc();
    expect(catalog).toMatch(/## toy\n\n\| code \| severity \| meaning \|\n\|---\|---\|---\|\n\| DB7001 \| error \| Reported when a toy/);
    expect(catalog).toContain("| DB7002 | error |");
    expect(() => registryOf([{ ...toy, name: "toy2" }])).toThrow(/both declare band DB70/);
    expect(() => registryOf([{ ...toy, name: "toy3", about: { ...toy.about, band: "DB71" } }])).toThrow(/DB7001 outside its band DB71/);
  });

  it("checks the module's values with its codes, at their place", () => {
    expectDiagnostic("set toy Hello = hi\n", { code: "DB7001", underline: "Hello" });
    expectDiagnostic("set toy hello { x = 1 }\n", { code: "DB2004", underline: "{ x = 1 }" });
    expectClean(toy.about.checkSample, { noWarnings: true });
  });

  it("lowers and compiles to Kubernetes objects that validate, with a host script pods assemble as `dbellc script` prints it", () => {
    const inputs = [{ file: "toy.dbell", text: `${toy.about.checkSample}on host n1 set toy motd = other\n` }];
    const c = compileCase(inputs);
    expect(c.analysis.ok).toBe(true);
    expect(c.manifests.filter((m) => m.module === "toy" && m.kind === "DaemonSet")).toHaveLength(2);
    checkCompiled(inputs, c);
    const script = [...c.scripts.entries()].find(([name]) => name.includes("toy"))![1];
    expect(script).toContain("# ---- module toy ----\n# toy: each wanted note");
    expect(script).toContain("toy_want hello 'it'\\''s $(hostname)'");
  });

  it("lints the module's host scripts with shellcheck, from the sample its about.ts declares", () => {
    const { all, fresh } = linter.generate({ file: "toy.dbell", text: `${toy.about.checkSample}on label role in [bare] unset toy\n` });
    expect(all.filter((s) => s.label.includes(" toy "))).toHaveLength(2);
    linter.lint(fresh.filter((s) => s.label.includes(" toy ")));
  }, 60_000);

  it("gives the benchmark generator the module's statements", () => {
    expect(generatePolicy({ hosts: 40, labels: 10 })).toContain('set toy note = "note ');
  });

  it("names every field of ModuleAbout, and the folder has what the page lists", () => {
    const fields: (keyof ModuleAbout)[] = ["band", "codes", "shellFiles", "docs", "checkSample", "benchSample"];
    expect(Object.keys(toy.about).sort()).toEqual([...fields].sort());
    for (const f of fields) expect(doc, f).toContain(`| \`${f}\` |`);
    expect(readdirSync(join(root, "test/support/toy-module")).sort()).toEqual(["about.ts", "toy.md", "toy.sh", "toy.ts"]);
  });

  it("gives every module a docs page that exists and that docs/language.md links", () => {
    const language = readFileSync(join(root, "docs/language.md"), "utf8");
    for (const m of MODULES) {
      expect(existsSync(join(root, m.about.docs)), m.about.docs).toBe(true);
      if (m !== toy) expect(language, m.name).toContain(`](${m.about.docs.replace(/^docs\//, "")})`);
    }
  });
});
