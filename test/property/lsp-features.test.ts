/** The language server's features never throw, whatever the text and the cursor (an editor sends half-typed text). */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { TextDocument } from "vscode-languageserver-textdocument";
import { describe, expect, it } from "vitest";
import { complete } from "../../src/lsp/completion.js";
import { Spans } from "../../src/lsp/convert.js";
import { formatting, hover, relatedRules, symbols } from "../../src/lsp/features.js";
import { Workspace } from "../../src/lsp/workspace.js";

const examplesDir = join(import.meta.dirname, "../../examples");
const examples = readdirSync(examplesDir).filter((f) => f.endsWith(".dbell")).sort().map((f) => readFileSync(join(examplesDir, f), "utf8"));

/** An example with a few random cuts and insertions of characters that matter to the lexer. */
const edited = fc
  .tuple(fc.nat({ max: examples.length - 1 }), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 10 }), fc.constantFrom("", "{", "}", "[", "=", "on ", "set ", '"', "#", "\n", "x")), { maxLength: 3 }))
  .map(([i, edits]) => edits.reduce((t, [at, len, ins]) => t.slice(0, at % (t.length + 1)) + ins + t.slice((at % (t.length + 1)) + len), examples[i]!));

describe("language server features", () => {
  it("answer hover, completion, navigation, symbols and formatting at any offset without throwing", () => {
    fc.assert(
      fc.property(edited, fc.nat(), (text, at) => {
        const other = "on label compute_type in [dpdk] set sysctl vm.a = 1\n";
        const ws = new Workspace({ list: () => ["a.dbell", "b.dbell"], read: () => other });
        const uri = "file:///policy/b.dbell";
        ws.setDocument(TextDocument.create(uri, "dbell", 1, text));
        const { policy, file } = ws.fileOf(uri);
        const a = ws.analysis(policy);
        const spans = new Spans(ws, policy);
        const ast = a.files.find((f) => f.file === file.name)!;
        const offset = at % (text.length + 1);
        hover(a, ast, offset, spans);
        expect(Array.isArray(complete(a, text, offset))).toBe(true);
        relatedRules(a, ast, offset, spans);
        symbols(ast, spans);
        formatting(file.name, text, spans);
        for (const d of a.diagnostics) spans.diagnostic(d);
      }),
      { numRuns: 300 },
    );
  });
});
