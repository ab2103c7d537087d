/** Text → AST plus diagnostics. Reports every syntax error of a file in one run and never throws. */
import type { IRecognitionException, IToken } from "chevrotain";
import { DiagnosticBag, type Diagnostic } from "../diagnostics/diagnostic.js";
import { didYouMean } from "../diagnostics/suggest.js";
import type { Span } from "../diagnostics/span.js";
import type { SourceFile, Statement } from "./ast.js";
import { MAX_SYNTAX_ERRORS, parser, TooManySyntaxErrors } from "./parser.js";
import { AstBuilder } from "./to-ast.js";
import { Comma, DbellLexer, Disable, KEYWORDS, LBrace, LBracket, On, RBrace, RBracket, SetKw, Unset, Word } from "./tokens.js";

export interface ParseResult {
  readonly ast: SourceFile;
  readonly diagnostics: readonly Diagnostic[];
  /** What tools need beyond the AST (the formatter, the language server): the tokens and the comments. */
  readonly tokens: readonly IToken[];
  /** Comment spans in source order (the lexer keeps them out of the token stream). */
  readonly comments: readonly Span[];
  /** False when the file has so many syntax errors that parsing stopped (DB1012) and its statements are not read. */
  readonly complete: boolean;
}

/** The words a statement starts with (the LSP completes them; DB1005 lists them). */
export const STATEMENT_START: ReadonlySet<string> = new Set(["set", "unset", "disable", "on"]);
const STATEMENT_KEYWORDS = new Set([SetKw, Unset, Disable, On]);
/** What each token the parser consumes is called in "expected ..." messages. */
const TOKEN_TEXT: Record<string, string> = {
  LBrace: "`{`", RBrace: "`}`", LBracket: "`[`", RBracket: "`]`", Comma: "`,`", Equals: "`=`", Semicolon: "`;`",
  Set: "`set`", Unset: "`unset`", Disable: "`disable`", On: "`on`", Label: "`label`", Host: "`host`", In: "`in`",
  Name: "a word", KeyItem: "a key", ScalarItem: "a value",
};

export function parse(file: string, text: string): ParseResult {
  const bag = new DiagnosticBag();
  const lexed = DbellLexer.tokenize(text);
  reportEncoding(file, text, bag);
  let unexpected = 0;
  for (const e of lexed.errors) {
    // Characters that are not text at all are reported once, by reportEncoding.
    if (NOT_TEXT_RUN.test(text.slice(e.offset, e.offset + (e.length || 1)))) continue;
    if (++unexpected > MAX_SYNTAX_ERRORS) {
      bag.report("DB1001", { file, start: e.offset, end: e.offset + Math.max(1, e.length) }, "more unexpected characters from here on (not reported one by one)", { help: "is this a policy file?" });
      break;
    }
    const run = text.slice(e.offset, e.offset + Math.min(e.length || 1, 20));
    const ch = run + (e.length > 20 ? `…` : "");
    bag.report("DB1001", { file, start: e.offset, end: e.offset + Math.max(1, e.length) }, `unexpected character \`${ch}\``, {
      help: "put values with special characters in quotes: \"...\" (with escapes) or '...' (raw)",
    });
  }
  const builder = new AstBuilder(file, bag);
  builder.checkStrings(lexed.tokens);
  parser.input = keywordsAsItems(limitNesting(lexed.tokens, builder, bag));
  parser.builder = builder;
  let statements: Statement[] | undefined;
  let stopped = false;
  try {
    statements = parser.file();
  } catch (e) {
    if (e instanceof TooManySyntaxErrors) stopped = true;
    else reportInternal(e, parser.nextToken(), builder, bag);
  }
  // With recovery on, chevrotain re-syncs after each error and keeps going, so one run reports every error;
  // a token that cannot start a statement surfaces as "expected EOF" at the top level.
  for (const err of parser.errors) {
    if (err.name === "NotAllInputParsedException" || (err.name === "MismatchedTokenException" && /--> EOF <--/.test(err.message))) {
      reportStray(err.token, builder, bag);
    } else reportParseError(err, file, text, builder, bag);
  }
  if (stopped) {
    // The errors so far are reported; the statements of a file this broken are not worth guessing at.
    const last = parser.errors.at(-1)?.token;
    const at = last && !Number.isNaN(last.startOffset) ? builder.tokenSpan(last).end : text.length;
    bag.report("DB1012", { file, start: at, end: at }, `more than ${MAX_SYNTAX_ERRORS} syntax errors: the rest of the file is not read`, { help: "fix the errors above first; is this a policy file?" });
    statements = [];
  }
  // The parser keeps its input until the next parse: let the tokens go with this result.
  parser.input = [];
  parser.builder = undefined;
  statements ??= [];
  for (const s of statements) {
    if (s.kind !== "On") continue;
    for (const inner of s.body) {
      if (inner.kind === "On") bag.report("DB1007", inner.target.span, "`on` target inside another target", { help: "write each `on` rule at the top level of the file" });
    }
  }
  const comments = (lexed.groups["comments"] ?? []).map((t) => builder.tokenSpan(t));
  const ast: SourceFile = { kind: "SourceFile", file, statements, span: { file, start: 0, end: text.length } };
  return { ast, diagnostics: bag.items, tokens: lexed.tokens, comments, complete: !stopped };
}

/** Runs of non-text reported one by one; a file in another encoding gets one more diagnostic for the rest. */
const MAX_ENCODING_REPORTS = 20;

/** U+FFFD (what a reader makes of bytes that are not UTF-8) and surrogates without their pair: never meant as text. */
const NOT_TEXT = /(?:\uFFFD|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF])+/g;
const NOT_TEXT_RUN = /^(?:\uFFFD|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF])+$/;

/**
 * Reports each run of characters that are not text (DB1011): left alone, they would reach host scripts as U+FFFD.
 * A file is read as UTF-8 and invalid bytes become U+FFFD there; no policy means that character.
 */
function reportEncoding(file: string, text: string, bag: DiagnosticBag): void {
  let runs = 0;
  for (const m of text.matchAll(NOT_TEXT)) {
    if (++runs > MAX_ENCODING_REPORTS) {
      bag.report("DB1011", { file, start: m.index, end: m.index + m[0].length }, `more text that is not UTF-8 or not characters from here on (not reported one by one)`, { help: "is this file in another encoding? save it as UTF-8" });
      return;
    }
    const surrogate = /[\uD800-\uDFFF]/.test(m[0]);
    bag.report("DB1011", { file, start: m.index, end: m.index + m[0].length }, surrogate ? "unpaired UTF-16 surrogate: not a character" : "invalid UTF-8 (read as U+FFFD, the replacement character)", {
      help: surrogate ? "remove it, or write the character it was meant to be" : "save the file as UTF-8; to mean the character U+FFFD itself, write `\\u{fffd}` in a \"...\" string",
    });
  }
}

/** Deeper than any real policy (a block in a block in a target is three), and far below what the parser's stack takes. */
export const MAX_NESTING = 32;

/**
 * Drops what is nested deeper than MAX_NESTING, with one DB1010 per such region: the recursive-descent parser (and
 * every later tree walk) then never recurses deeper than that, whatever the input.
 */
function limitNesting(tokens: IToken[], builder: AstBuilder, bag: DiagnosticBag): IToken[] {
  let depth = 0;
  let deepest = 0;
  for (const t of tokens) {
    if (t.tokenType === LBrace || t.tokenType === LBracket) deepest = Math.max(deepest, ++depth);
    else if ((t.tokenType === RBrace || t.tokenType === RBracket) && depth > 0) depth--;
  }
  if (deepest <= MAX_NESTING) return tokens;
  depth = 0;
  let dropping = false;
  const out: IToken[] = [];
  for (const t of tokens) {
    const opens = t.tokenType === LBrace || t.tokenType === LBracket;
    const closes = t.tokenType === RBrace || t.tokenType === RBracket;
    if (opens) depth++;
    if (depth > MAX_NESTING) {
      if (!dropping) {
        dropping = true;
        // The field or `=` that opens the dropped block goes with it, so what is left still parses.
        const named = (x: IToken | undefined) => x !== undefined && /^(Word|QuotedString|RawString|Label|Host|In)$/.test(x.tokenType.name);
        if (named(out[out.length - 1])) out.pop();
        else if (out[out.length - 1]?.tokenType.name === "Equals" && named(out[out.length - 2])) out.splice(-2);
        bag.report("DB1010", builder.tokenSpan(t), `nested more than ${MAX_NESTING} levels deep`, { help: "blocks and lists nest only a few levels; check for a missing `}` or `]`" });
      }
    } else out.push(t);
    if (closes && depth > 0) depth--;
    if (depth <= MAX_NESTING) dropping = false;
  }
  return out;
}

/**
 * `in [on, set]`: a statement keyword standing alone as a list item (between `[` or `,` and `,` or `]`) is the plain
 * word. Elsewhere it still starts a statement, so a missing `]` stops at the next statement.
 */
function keywordsAsItems(tokens: IToken[]): IToken[] {
  for (let i = 1; i + 1 < tokens.length; i++) {
    const t = tokens[i]!;
    if (!STATEMENT_KEYWORDS.has(t.tokenType)) continue;
    const before = tokens[i - 1]!.tokenType;
    const after = tokens[i + 1]!.tokenType;
    if ((before === LBracket || before === Comma) && (after === Comma || after === RBracket)) {
      t.tokenType = Word;
      t.tokenTypeIdx = Word.tokenTypeIdx!;
    }
  }
  return tokens;
}

/** A failure of dbellc itself while reading the file: reported at the place it stopped, never thrown at the user. */
function reportInternal(e: unknown, at: IToken, builder: AstBuilder, bag: DiagnosticBag): void {
  const span = Number.isNaN(at.startOffset) ? { ...builder.tokenSpan(at), start: 0, end: 0 } : builder.tokenSpan(at);
  bag.report("DB9001", span, `internal error while reading this file: ${(e as Error)?.message ?? String(e)}`, { help: "please report this with the input that caused it" });
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
  statement: "a statement",
  onStatement: "`{`, `set` or `unset` after the target",
};
const HELP_BY_RULE: Record<string, string> = {
  field: "fields are written `name = value` or `name { ... }`",
  list: "lists are written `[a, b, c]`",
  onStatement: "write `on host NAME { ... }` or `on label KEY in [V] set MODULE KEY = VALUE`",
};
