/** Text → AST plus diagnostics. Reports every syntax error of a file in one run and never throws. */
import type { IRecognitionException, IToken } from "chevrotain";
import { DiagnosticBag, type Diagnostic } from "../diagnostics/diagnostic.js";
import { didYouMean } from "../diagnostics/suggest.js";
import type { Span } from "../diagnostics/span.js";
import type { SourceFile } from "./ast.js";
import type { FileCstNode } from "./cst.generated.js";
import { parser } from "./parser.js";
import { AstBuilder } from "./to-ast.js";
import { DbellLexer, KEYWORDS } from "./tokens.js";

export interface ParseResult {
  readonly ast: SourceFile;
  readonly diagnostics: readonly Diagnostic[];
  /** What tools need beyond the AST (the formatter, the language server): the tokens, comments and the CST. */
  readonly tokens: readonly IToken[];
  /** Comment spans in source order (the lexer keeps them out of the token stream). */
  readonly comments: readonly Span[];
  readonly cst: FileCstNode;
}

/** The words a statement starts with (the LSP completes them; DB1005 lists them). */
export const STATEMENT_START: ReadonlySet<string> = new Set(["set", "unset", "disable", "on"]);
const TOKEN_TEXT: Record<string, string> = {
  LBrace: "`{`", RBrace: "`}`", LBracket: "`[`", RBracket: "`]`", Comma: "`,`", Equals: "`=`", Semicolon: "`;`",
  Set: "`set`", Unset: "`unset`", Disable: "`disable`", On: "`on`", Label: "`label`", Host: "`host`", In: "`in`",
  Name: "a word", Word: "a word", KeyName: "a key", QuotedString: "a string", RawString: "a string", TripleString: "a string",
};

export function parse(file: string, text: string): ParseResult {
  const bag = new DiagnosticBag();
  const lexed = DbellLexer.tokenize(text);
  for (const e of lexed.errors) {
    const ch = text.slice(e.offset, e.offset + (e.length || 1));
    bag.report("DB1001", { file, start: e.offset, end: e.offset + Math.max(1, e.length) }, `unexpected character \`${ch}\``, {
      help: "put values with special characters in quotes: \"...\" (with escapes) or '...' (raw)",
    });
  }
  const builder = new AstBuilder(file, bag);
  builder.checkStrings(lexed.tokens);
  parser.input = lexed.tokens;
  const cst = parser.file() as FileCstNode;
  // With recovery on, chevrotain re-syncs after each error and keeps going, so one run reports every error;
  // a token that cannot start a statement surfaces as "expected EOF" at the top level.
  for (const err of parser.errors) {
    if (err.name === "NotAllInputParsedException" || (err.name === "MismatchedTokenException" && /--> EOF <--/.test(err.message))) {
      reportStray(err.token, builder, bag);
    } else reportParseError(err, file, text, builder, bag);
  }
  const statements = builder.statements(cst.children.statement);
  for (const s of statements) {
    if (s.kind !== "On") continue;
    for (const inner of s.body) {
      if (inner.kind === "On") bag.report("DB1007", inner.target.span, "`on` target inside another target", { help: "write each `on` rule at the top level of the file" });
    }
  }
  const comments = (lexed.groups["comments"] ?? []).map((t) => builder.tokenSpan(t));
  const ast: SourceFile = { kind: "SourceFile", file, statements, span: { file, start: 0, end: text.length } };
  return { ast, diagnostics: bag.items, tokens: lexed.tokens, comments, cst };
}

function reportStray(t: IToken, builder: AstBuilder, bag: DiagnosticBag): void {
  const span = builder.tokenSpan(t);
  const word = t.image;
  const kw = didYouMean(word, KEYWORDS.filter((k) => STATEMENT_START.has(k)));
  let help = kw ?? "a statement starts with `set`, `unset`, `disable` or `on`, e.g. `set sysctl net.ipv4.ip_forward = 1`";
  if (word === "}") help = "this `}` closes nothing";
  else if (!kw && /^[a-z]+$/.test(word)) help = `to configure a module write \`set ${word} KEY = VALUE\``;
  bag.report("DB1005", span, `expected a statement, found ${describe(t)}`, { help });
}

function describe(t: IToken): string {
  if (t.tokenType.name === "EOF") return "end of file";
  const image = t.image.length > 40 ? t.image.slice(0, 37) + "..." : t.image.split("\n")[0];
  return `\`${image}\``;
}

function reportParseError(err: IRecognitionException, file: string, text: string, builder: AstBuilder, bag: DiagnosticBag): void {
  const t = err.token;
  const atEof = t.tokenType.name === "EOF" || Number.isNaN(t.startOffset);
  const span: Span = atEof ? { file, start: text.length, end: text.length } : builder.tokenSpan(t);
  const rule = err.context.ruleStack[err.context.ruleStack.length - 1];
  if (rule === "target" && err.name === "NoViableAltException") {
    bag.report("DB1006", span, `expected \`label\` or \`host\` after \`on\`, found ${describe(t)}`, {
      help: didYouMean(t.image, ["label", "host"]) ?? "write `on label KEY in [VALUE, ...]` or `on host NAME`",
    });
    return;
  }
  const expected = /-->\s*(\w+)\s*<--/.exec(err.message)?.[1];
  let what = expected ? (TOKEN_TEXT[expected] ?? expected) : EXPECT_BY_RULE[rule ?? ""] ?? "something else";
  if (err.name === "NoViableAltException" && EXPECT_BY_RULE[rule ?? ""]) what = EXPECT_BY_RULE[rule ?? ""]!;
  const help = HELP_BY_RULE[rule ?? ""];
  bag.report("DB1004", span, `expected ${what}, found ${describe(t)}`, help ? { help } : {});
}

const EXPECT_BY_RULE: Record<string, string> = {
  setStatement: "`=` and a value, or a `{ ... }` block",
  field: "`=` and a value, or a `{ ... }` block",
  value: "a value",
  scalar: "a value",
  key: "a key",
  statement: "a statement",
  onStatement: "`{`, `set` or `unset` after the target",
};
const HELP_BY_RULE: Record<string, string> = {
  field: "fields are written `name = value` or `name { ... }`",
  list: "lists are written `[a, b, c]`",
  onStatement: "write `on host NAME { ... }` or `on label KEY in [V] set MODULE KEY = VALUE`",
};
