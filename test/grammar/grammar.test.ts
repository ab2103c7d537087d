/** Facts kept in two places must agree: editor grammar vs lexer, generated files vs parser, registry vs folders. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CONSTANTS, KEYWORDS, WORD_CHARS } from "../../src/syntax/tokens.js";
import { moduleNames } from "../../src/modules/registry.js";
import { generatedFiles } from "../support/generated.js";

const root = join(import.meta.dirname, "../..");
const tm = JSON.parse(readFileSync(join(root, "grammar/dbell.tmLanguage.json"), "utf8"));

describe("editor grammar", () => {
  it("highlights exactly the lexer's keywords", () => {
    const pattern: string = tm.repository.keywords.match;
    const words = /\(([^)]*)\)/.exec(pattern)![1]!.split("|");
    expect(words).toEqual([...KEYWORDS]);
  });

  it("highlights exactly the lexer's constants", () => {
    const words = /\)\(([^)]*)\)\(/.exec(tm.repository.constants.match)![1]!.split("|");
    expect(words).toEqual([...CONSTANTS]);
  });

  it("uses the lexer's word characters for word boundaries", () => {
    expect(tm.repository.numbers.match).toContain(`[${WORD_CHARS}]`.replace(/\\-/, "-"));
    const config = JSON.parse(readFileSync(join(root, "grammar/language-configuration.json"), "utf8"));
    expect(config.wordPattern).toBe(`[${WORD_CHARS}]+`.replace(/\\-/, "-"));
  });
});

describe("generated files", () => {
  for (const f of generatedFiles()) {
    it(`${f.path} is up to date (run \`npm run generate\`)`, () => {
      expect(readFileSync(join(root, f.path), "utf8")).toBe(f.text);
    });
  }
});

describe("module registry", () => {
  it("lists every module folder, and every listed module has a folder with its script", () => {
    const dir = join(root, "src/modules");
    const folders = readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, `${d.name}.ts`)))
      .map((d) => d.name)
      .sort();
    expect([...moduleNames()].sort()).toEqual(folders);
    for (const m of moduleNames()) expect(existsSync(join(dir, m, `${m}.sh`)), `${m}.sh`).toBe(true);
  });
});
