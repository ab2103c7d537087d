/** Files derived from the real parser: CST typings, the EBNF and the railroad diagram. Tests fail when they are stale. */
import { createSyntaxDiagramsCode, generateCstDts } from "chevrotain";
import { parser } from "../../src/syntax/parser.js";
import { grammarEbnf } from "./ebnf.js";

export interface GeneratedFile {
  readonly path: string;
  readonly text: string;
}

export function generatedFiles(): GeneratedFile[] {
  const productions = parser.getGAstProductions();
  const serialized = parser.getSerializedGastProductions();
  return [
    {
      path: "src/syntax/cst.generated.d.ts",
      text: "/** Generated from DbellParser by `npm run generate`; do not edit. */\n" + generateCstDts(productions),
    },
    { path: "grammar/dbell.ebnf", text: grammarEbnf(serialized) },
    { path: "grammar/railroad.html", text: createSyntaxDiagramsCode(serialized) },
  ];
}
