/** Prints chevrotain's serialized grammar as EBNF (W3C-style notation), rule by rule. */
import type { ISerializedGast } from "chevrotain";
import { allTokens, KeyItem, ScalarItem } from "../../src/syntax/tokens.js";

type Node = ISerializedGast & {
  name?: string;
  definition?: Node[];
  terminalName?: string;
  label?: string;
  nonTerminalName?: string;
  pattern?: string;
};

const TERMINALS: Record<string, string> = {
  Set: '"set"', Unset: '"unset"', Disable: '"disable"', On: '"on"', Label: '"label"', Host: '"host"', In: '"in"',
  LBrace: '"{"', RBrace: '"}"', LBracket: '"["', RBracket: '"]"', Comma: '","', Equals: '"="', Semicolon: '";"',
  KeyItem: "key", ScalarItem: "scalar", Name: "WORD", QuotedString: "STRING", RawString: "RAW_STRING", TripleString: "MULTILINE_STRING",
  UnclosedString: "STRING", UnclosedTriple: "MULTILINE_STRING",
};

function seq(defs: readonly Node[]): string {
  return defs.map(expr).filter((s) => s.length > 0).join(" ");
}

function expr(n: Node): string {
  switch (n.type) {
    case "Terminal":
      return TERMINALS[n.name ?? ""] ?? n.name ?? "?";
    case "NonTerminal":
      return n.name ?? "?";
    case "Alternative":
      return seq(n.definition ?? []);
    case "Alternation": {
      const alts = [...new Set((n.definition ?? []).map(expr))];
      return alts.length === 1 ? alts[0]! : `( ${alts.join(" | ")} )`;
    }
    case "Option":
      return `( ${seq(n.definition ?? [])} )?`;
    case "Repetition":
      return `( ${seq(n.definition ?? [])} )*`;
    case "RepetitionMandatory":
      return `( ${seq(n.definition ?? [])} )+`;
    default:
      return `( ${seq(n.definition ?? [])} )`;
  }
}

export function grammarEbnf(rules: readonly ISerializedGast[]): string {
  const lines = [
    "(* The grammar of .dbell, generated from src/syntax/parser.ts by `npm run generate`; do not edit. *)",
    "(* Terminals: WORD is a bare word [A-Za-z0-9_./*?~@%+:!^-]+ (keywords are words too); STRING is \"...\" with",
    "   escapes; RAW_STRING is '...'; MULTILINE_STRING is \"\"\" ... \"\"\". Comments run from # to the end of the line. *)",
    "",
  ];
  for (const r of rules as Node[]) lines.push(`${r.name} ::= ${seq(r.definition ?? [])} ;`);
  // `key` and `scalar` are token categories (one token match each in the parser): listed by their members.
  for (const [name, category] of [["key", KeyItem], ["scalar", ScalarItem]] as const) {
    const members = allTokens.filter((t) => t.CATEGORIES?.includes(category)).map((t) => TERMINALS[t.name] ?? t.name);
    const ordered = [...new Set(members)].sort((a, b) => rank(a) - rank(b));
    lines.push(`${name} ::= ( ${ordered.join(" | ")} ) ;`);
  }
  return lines.join("\n") + "\n";
}

/** Words before strings, one-line strings before multi-line ones. */
function rank(terminal: string): number {
  const order = ["WORD", "KeyName", "STRING", "RAW_STRING", "MULTILINE_STRING"];
  return order.indexOf(terminal) < 0 ? order.length : order.indexOf(terminal);
}
