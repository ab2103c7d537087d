/** DbellParser: the grammar of .dbell as a chevrotain CstParser. Rules only, no actions; error recovery on. */
import { CstParser, type CstNode, type IOrAlt, type IRecognitionException, type IToken } from "chevrotain";
import * as T from "./tokens.js";

/** Syntax errors reported per file before parsing stops. */
export const MAX_SYNTAX_ERRORS = 90;

/** Thrown out of a parse that reached MAX_SYNTAX_ERRORS; parse.ts reports it. */
export class TooManySyntaxErrors extends Error {}

export class DbellParser extends CstParser {
  /**
   * Alternatives built once per rule instead of on every call, as chevrotain's performance guide advises; the
   * closures only reference `this`, so caching them is safe. Declared first: rule fields below use it.
   */
  private readonly alternatives = new Map<string, IOrAlt<unknown>[]>();
  private alts(id: string, make: () => IOrAlt<unknown>[]): IOrAlt<unknown>[] {
    let a = this.alternatives.get(id);
    if (!a) this.alternatives.set(id, (a = make()));
    return a;
  }

  constructor() {
    super(T.allTokens, { recoveryEnabled: true, maxLookahead: 3, nodeLocationTracking: "onlyOffset" });
    this.performSelfAnalysis();
  }

  /** Syntax errors recorded in this parse; the one after MAX_SYNTAX_ERRORS stops it with TooManySyntaxErrors. */
  private saved = 0;

  override reset(): void {
    super.reset();
    this.saved = 0;
  }

  /**
   * Chevrotain's error sink (not in its type declarations). Recovering from an error costs far more than parsing, so
   * a file of garbage (`set set set ...`) would take minutes; past a limit no one reads, the parse stops instead.
   */
  SAVE_ERROR(error: IRecognitionException): IRecognitionException {
    if (++this.saved > MAX_SYNTAX_ERRORS) throw new TooManySyntaxErrors();
    return (CstParser.prototype as unknown as { SAVE_ERROR(e: IRecognitionException): IRecognitionException }).SAVE_ERROR.call(this, error);
  }

  /** file := statement* */
  public file = this.RULE("file", () => {
    this.MANY(() => this.SUBRULE(this.statement));
  });

  /** statement := setStatement | unsetStatement | disableStatement | onStatement, optionally ended by `;` */
  public statement = this.RULE("statement", () => {
    this.OR(this.alts("a1", () => [
      { ALT: () => this.SUBRULE(this.setStatement) },
      { ALT: () => this.SUBRULE(this.unsetStatement) },
      { ALT: () => this.SUBRULE(this.disableStatement) },
      { ALT: () => this.SUBRULE(this.onStatement) },
    ]));
    this.OPTION(() => this.CONSUME(T.Semicolon));
  });

  /** setStatement := "set" module key* ( "=" value | block ) */
  public setStatement = this.RULE("setStatement", () => {
    this.CONSUME(T.SetKw);
    this.CONSUME(T.Name, { LABEL: "module" });
    this.MANY(() => this.SUBRULE(this.key));
    this.OR(this.alts("a2", () => [
      {
        ALT: () => {
          this.CONSUME(T.Equals);
          this.SUBRULE(this.value);
        },
      },
      { ALT: () => this.SUBRULE(this.block) },
    ]));
  });

  /** unsetStatement := "unset" module key* (a key path stops before `layer on`, which starts the next statement) */
  public unsetStatement = this.RULE("unsetStatement", () => {
    this.CONSUME(T.Unset);
    this.CONSUME(T.Name, { LABEL: "module" });
    this.MANY({ GATE: () => !(this.LA(1).tokenType === T.Layer && this.LA(2).tokenType === T.On), DEF: () => this.SUBRULE(this.key) });
  });

  /** disableStatement := "disable" module */
  public disableStatement = this.RULE("disableStatement", () => {
    this.CONSUME(T.Disable);
    this.CONSUME(T.Name, { LABEL: "module" });
  });

  /** onStatement := "layer"? "on" target ( "{" statement* "}" | setStatement | unsetStatement ) */
  public onStatement = this.RULE("onStatement", () => {
    this.OPTION(() => this.CONSUME(T.Layer));
    this.CONSUME(T.On);
    this.SUBRULE(this.target);
    this.OR(this.alts("a3", () => [
      {
        ALT: () => {
          this.CONSUME(T.LBrace);
          this.MANY(() => this.SUBRULE(this.statement));
          this.CONSUME(T.RBrace);
        },
      },
      { ALT: () => this.SUBRULE(this.setStatement) },
      { ALT: () => this.SUBRULE(this.unsetStatement) },
    ]));
  });

  /** target := "label" key "in" list | "host" key */
  public target = this.RULE("target", () => {
    this.OR(this.alts("a4", () => [
      {
        ALT: () => {
          this.CONSUME(T.Label);
          this.SUBRULE(this.key, { LABEL: "labelKey" });
          this.CONSUME(T.In);
          this.SUBRULE(this.list);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Host);
          this.SUBRULE2(this.key, { LABEL: "hostName" });
        },
      },
    ]));
  });

  /** block := "{" field* "}" */
  public block = this.RULE("block", () => {
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.field));
    this.CONSUME(T.RBrace);
  });

  /** field := key ( "=" value | block ), optionally ended by `;` or `,` */
  public field = this.RULE("field", () => {
    this.SUBRULE(this.key);
    this.OR(this.alts("a5", () => [
      {
        ALT: () => {
          this.CONSUME(T.Equals);
          this.SUBRULE(this.value);
        },
      },
      { ALT: () => this.SUBRULE(this.block) },
    ]));
    this.OPTION(() => this.OR2(this.alts("a6", () => [{ ALT: () => this.CONSUME(T.Semicolon) }, { ALT: () => this.CONSUME(T.Comma) }])));
  });

  /** value := scalar | list | block */
  public value = this.RULE("value", () => {
    this.OR(this.alts("a7", () => [
      { ALT: () => this.SUBRULE(this.scalar) },
      { ALT: () => this.SUBRULE(this.list) },
      { ALT: () => this.SUBRULE(this.block) },
    ]));
  });

  /** list := "[" ( item ( "," item )* ","? )? "]" — items are keys or strings, so a missing `]` stops at the next statement */
  public list = this.RULE("list", () => {
    this.CONSUME(T.LBracket);
    this.MANY(() => {
      this.SUBRULE(this.key);
      this.OPTION(() => this.CONSUME(T.Comma));
    });
    this.CONSUME(T.RBracket);
  });

  /** key := word | string */
  public key = this.RULE("key", () => {
    this.OR(this.alts("a8", () => [
      { ALT: () => this.CONSUME(T.KeyName) },
      { ALT: () => this.CONSUME(T.QuotedString) },
      { ALT: () => this.CONSUME(T.RawString) },
      { ALT: () => this.CONSUME(T.UnclosedString) },
    ]));
  });

  /** scalar := word | string | multi-line string */
  public scalar = this.RULE("scalar", () => {
    this.OR(this.alts("a9", () => [
      { ALT: () => this.CONSUME(T.Name) },
      { ALT: () => this.CONSUME(T.QuotedString) },
      { ALT: () => this.CONSUME(T.RawString) },
      { ALT: () => this.CONSUME(T.TripleString) },
      { ALT: () => this.CONSUME(T.UnclosedString) },
      { ALT: () => this.CONSUME(T.UnclosedTriple) },
    ]));
  });
}

/** One shared instance: chevrotain parsers are reusable by resetting `input`. */
export const parser = new DbellParser();

export function parseTokens(tokens: IToken[]): CstNode {
  parser.input = tokens;
  return parser.file();
}
