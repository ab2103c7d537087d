/** The README's first policy snippet is what people copy first: it must check without errors or warnings. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/compile.js";
import { format } from "../../src/syntax/format.js";

const readme = readFileSync(join(import.meta.dirname, "../../README.md"), "utf8");
const snippet = /```dbell\n([\s\S]*?)```/.exec(readme)?.[1];

describe("README", () => {
  it("has a first dbell snippet that checks clean and is formatted", () => {
    expect(snippet).toBeDefined();
    const a = analyze([{ file: "README.dbell", text: snippet! }]);
    expect(a.diagnostics).toEqual([]);
    expect(format("README.dbell", snippet!).text).toBe(snippet);
  });
});
