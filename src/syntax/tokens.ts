/** The tokens of .dbell: the only list of keywords (grammar/dbell.tmLanguage.json is tested against it). */
import { createToken, Lexer, type IToken, type TokenType } from "chevrotain";

/** Characters a bare word may contain: enough for sysctl keys, paths, globs, versions, label keys and host names. */
export const WORD_CHARS = String.raw`A-Za-z0-9_./*?~@%+:!^\-`;

export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\r\n\uFEFF]+/, group: Lexer.SKIPPED, line_breaks: true });
export const Comment = createToken({ name: "Comment", pattern: /#[^\n]*/, group: "comments" });

/**
 * What can stand as a key or a list item: a `KeyName` or a one-line string. A category, so the parser reads a key
 * with one token match instead of a rule of its own.
 */
export const KeyItem = createToken({ name: "KeyItem", pattern: Lexer.NA });
/** What can stand as a value: any word or any string (a category, like KeyItem). */
export const ScalarItem = createToken({ name: "ScalarItem", pattern: Lexer.NA });
/** Any word: keywords are words too, so `on` is also the value `on`, and `set` can be a key. */
export const Name = createToken({ name: "Name", pattern: Lexer.NA, categories: [ScalarItem] });
/** A word that can be a key: any word but the four that start a statement, so a missing `=` is caught early. */
export const KeyName = createToken({ name: "KeyName", pattern: Lexer.NA, categories: [Name, KeyItem] });
export const Word = createToken({ name: "Word", pattern: new RegExp(`[${WORD_CHARS}]+`), categories: [Name, KeyName] });

function keyword(word: string, startsStatement: boolean): TokenType {
  const categories = startsStatement ? [Name] : [Name, KeyName];
  return createToken({ name: word[0]!.toUpperCase() + word.slice(1), pattern: new RegExp(word), longer_alt: Word, categories });
}

export const SetKw = keyword("set", true);
export const Unset = keyword("unset", true);
export const Disable = keyword("disable", true);
export const On = keyword("on", true);
export const Label = keyword("label", false);
export const Host = keyword("host", false);
export const In = keyword("in", false);
/** Before `on`: the rule layers over the others (docs/language.md); not reserved, so it still works as a key. */
export const Layer = keyword("layer", false);

/** The keywords, in the order the TextMate grammar lists them. */
export const KEYWORDS = ["set", "unset", "disable", "on", "label", "host", "in", "layer"] as const;
/** Words with a fixed meaning as values (not reserved: they are plain words to the parser). */
export const CONSTANTS = ["true", "false", "on", "off"] as const;

/** `"""` … `"""`: raw, multi-line; indentation of the closing delimiter is removed from every line. */
export const TripleString = createToken({ name: "TripleString", pattern: /"""[\s\S]*?"""/, line_breaks: true, categories: [ScalarItem] });
/** An unclosed `"""`: runs to the end of the file, reported as DB1002. */
export const UnclosedTriple = createToken({ name: "UnclosedTriple", pattern: /"""[\s\S]*/, line_breaks: true, categories: [ScalarItem] });
/** `"..."` with backslash escapes, on one line. */
export const QuotedString = createToken({ name: "QuotedString", pattern: /"(?:[^"\\\n]|\\.)*"/, categories: [KeyItem, ScalarItem] });
/** `'...'`: raw, no escapes, on one line (handy for crypt hashes full of `$`). */
export const RawString = createToken({ name: "RawString", pattern: /'[^'\n]*'/, categories: [KeyItem, ScalarItem] });
/** A quote with no closing quote on its line: reported as DB1002, then treated as a string. */
export const UnclosedString = createToken({ name: "UnclosedString", pattern: /"(?:[^"\\\n]|\\.)*|'[^'\n]*/, categories: [KeyItem, ScalarItem] });

export const LBrace = createToken({ name: "LBrace", pattern: /\{/ });
export const RBrace = createToken({ name: "RBrace", pattern: /\}/ });
export const LBracket = createToken({ name: "LBracket", pattern: /\[/ });
export const RBracket = createToken({ name: "RBracket", pattern: /\]/ });
export const Comma = createToken({ name: "Comma", pattern: /,/ });
export const Equals = createToken({ name: "Equals", pattern: /=/ });
export const Semicolon = createToken({ name: "Semicolon", pattern: /;/ });

export const allTokens: TokenType[] = [
  WhiteSpace,
  Comment,
  TripleString,
  UnclosedTriple,
  QuotedString,
  RawString,
  UnclosedString,
  LBrace,
  RBrace,
  LBracket,
  RBracket,
  Comma,
  Equals,
  Semicolon,
  SetKw,
  Unset,
  Disable,
  On,
  Label,
  Host,
  In,
  Layer,
  Word,
  Name,
  KeyName,
  KeyItem,
  ScalarItem,
];

/**
 * The lexer. Tokens carry their offset only (no line and column: diagnostics find those from offsets when they are
 * shown). Chevrotain's checks of the token definitions cost start-up time on every run, so the shipped lexer skips
 * them and a test builds one with them on (`validate`).
 */
export function makeLexer(validate = false): Lexer {
  return new Lexer(allTokens, { positionTracking: "onlyOffset", ensureOptimizations: false, skipValidations: !validate });
}

export const DbellLexer = makeLexer();

/** Where a token ends: the offset just after its last character (tokens carry no end offset of their own). */
export function tokenEnd(t: IToken): number {
  return t.startOffset + t.image.length;
}
