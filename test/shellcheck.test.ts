/**
 * Every host script the compiler can emit is lint-clean: for each example policy and an inline policy that uses every
 * registered module, each module's script for each of its variants passes `shellcheck -s bash` and `bash -n`.
 * Generic over the registry: a module added later is covered by the sample its `about.ts` declares.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { SourceText } from "../src/compile.js";
import { MODULES } from "../src/modules/registry.js";
import { scriptLinter } from "./support/shellcheck.js";

const EXAMPLES = join(import.meta.dirname, "..", "examples");
const linter = scriptLinter();
afterAll(() => linter.cleanup());

/** Every registered module's declared sample, and a label rule that gives each a second, revert-only variant. */
function inlinePolicy(): SourceText {
  const unsets = MODULES.map((m) => `  unset ${m.name}\n`).join("");
  return { file: "inline.dbell", text: MODULES.map((m) => m.about.checkSample).join("") + `on label role in [bare] {\n${unsets}}\n` };
}

const examples = readdirSync(EXAMPLES).filter((f) => f.endsWith(".dbell")).sort();

describe("generated host scripts pass shellcheck and bash -n", () => {
  it.each(examples)("examples/%s", (file) => {
    linter.lint(linter.generate({ file, text: readFileSync(join(EXAMPLES, file), "utf8") }).fresh);
  }, 120_000);

  it("an inline policy using every registered module, and the revert-only variant of each", () => {
    const { all, fresh } = linter.generate(inlinePolicy());
    const covered = new Set(all.map((s) => s.label.split(" ")[1]));
    expect([...covered].sort()).toEqual(MODULES.map((m) => m.name).sort());
    linter.lint(fresh);
  }, 120_000);
});
