/**
 * DbellParser: the grammar of .dbell as a chevrotain EmbeddedActionsParser, error recovery on. Each rule collects its
 * tokens and sub-results into a parts record and builds its AST node from it (to-ast.ts), so no concrete syntax tree
 * is kept; parser-base.ts has the machinery.
 */
import type { IToken } from "chevrotain";
import type * as A from "./ast.js";
import type { BlockParts, DisableParts, FieldParts, ListParts, OnParts, SetParts, TargetParts, UnsetParts } from "./to-ast.js";
import { absorbOnPart, absorbValue, isField, isStatement, isValue, RecoveringParser } from "./parser-base.js";
import * as T from "./tokens.js";

export { MAX_SYNTAX_ERRORS, TooManySyntaxErrors } from "./parser-base.js";

export class DbellParser extends RecoveringParser {
  /**
   * Chevrotain's grammar checks (ambiguities, left recursion) cost start-up time on every run, so the shared parser
   * skips them; a test builds one with `validate` on, where a bad grammar throws.
   */
  constructor(options: { validate?: boolean } = {}) {
    super(T.allTokens, { recoveryEnabled: true, maxLookahead: 3, skipValidations: !options.validate });
    this.performSelfAnalysis();
  }

  /** file := statement* */
  public file = this.RULE(
    "file",
    (): A.Statement[] => {
      const statements: A.Statement[] = [];
      const body = () =>
        this.MANY(() => {
          const s = this.SUBRULE(this.statement);
          if (s) statements.push(s);
        });
      return this.collect(statements, body, (_, q) => q, (q, child) => isStatement(child) && q.push(child)) ?? [];
    },
    { recoveryValueFunc: () => (this.takeFailed() as A.Statement[] | undefined) ?? [] },
  );

  /** statement := setStatement | unsetStatement | disableStatement | onStatement, optionally ended by `;` */
  public statement = this.RULE(
    "statement",
    (): A.Statement | undefined => {
      const p: { s?: A.Statement } = {};
      const body = () => {
        p.s = this.OR(this.alts<A.Statement | undefined>("a1", () => [
          { ALT: () => this.SUBRULE(this.setStatement) },
          { ALT: () => this.SUBRULE(this.unsetStatement) },
          { ALT: () => this.SUBRULE(this.disableStatement) },
          { ALT: () => this.SUBRULE(this.onStatement) },
        ]));
        this.OPTION(() => this.CONSUME(T.Semicolon));
      };
      return this.collect(p, body, (_, q) => q.s, (q, child) => isStatement(child) && (q.s = child));
    },
    this.recovering,
  );

  /** setStatement := "set" module key* ( "=" value | block ) */
  public setStatement = this.RULE(
    "setStatement",
    (): A.SetStatement | undefined => {
      const p: SetParts = { path: [] };
      const body = () => {
        p.kw = this.CONSUME(T.SetKw);
        p.module = this.CONSUME(T.Name, { LABEL: "module" });
        this.MANY(() => p.path.push(this.CONSUME(T.KeyItem)));
        p.value = this.valueOrBlock();
      };
      return this.collect(p, body, (b, q) => b.set(q), absorbValue);
    },
    this.recovering,
  );

  /**
   * unsetStatement := "unset" module key* (a key path stops before `layer on`, which starts the next statement).
   * An error here leaves the module or a key unread, so a stopped `unset` keeps nothing; `disable` likewise.
   */
  public unsetStatement = this.RULE(
    "unsetStatement",
    (): A.UnsetStatement | undefined => {
      const p: UnsetParts = { path: [] };
      const body = () => {
        p.kw = this.CONSUME(T.Unset);
        p.module = this.CONSUME(T.Name, { LABEL: "module" });
        this.MANY({ GATE: () => !(this.LA(1).tokenType === T.Layer && this.LA(2).tokenType === T.On), DEF: () => p.path.push(this.CONSUME(T.KeyItem)) });
      };
      return this.collect(p, body, (b, q) => b.unset(q), (q) => (q.module = undefined));
    },
    this.recovering,
  );

  /** disableStatement := "disable" module */
  public disableStatement = this.RULE(
    "disableStatement",
    (): A.DisableStatement | undefined => {
      const p: DisableParts = {};
      const body = () => {
        p.kw = this.CONSUME(T.Disable);
        p.module = this.CONSUME(T.Name, { LABEL: "module" });
      };
      return this.collect(p, body, (b, q) => b.disable(q), (q) => (q.module = undefined));
    },
    this.recovering,
  );

  /** onStatement := "layer"? "on" target ( "{" statement* "}" | setStatement | unsetStatement ) */
  public onStatement = this.RULE(
    "onStatement",
    (): A.OnStatement | undefined => {
      const p: OnParts = { body: [] };
      const body = () => {
        this.OPTION(() => (p.layer = this.CONSUME(T.Layer)));
        p.kw = this.CONSUME(T.On);
        p.target = this.SUBRULE(this.target);
        // These alternatives fill this call's parts, so they are made per call.
        this.OR([
          {
            ALT: () => {
              p.form = "block";
              this.CONSUME(T.LBrace);
              this.MANY(() => {
                const s = this.SUBRULE(this.statement);
                if (s) p.body.push(s);
              });
              p.close = this.CONSUME(T.RBrace);
            },
          },
          {
            ALT: () => {
              p.form = "single";
              p.single = this.SUBRULE(this.setStatement);
            },
          },
          {
            ALT: () => {
              p.form = "single";
              p.single = this.SUBRULE(this.unsetStatement);
            },
          },
        ]);
      };
      return this.collect(p, body, (b, q) => b.on(q), absorbOnPart);
    },
    this.recovering,
  );

  /** target := "label" key "in" list | "host" key */
  public target = this.RULE(
    "target",
    (): A.Target | undefined => {
      const p: TargetParts = {};
      // These alternatives fill this call's parts, so they are made per call.
      const body = () =>
        this.OR([
          {
            ALT: () => {
              p.label = this.CONSUME(T.Label);
              p.key = this.CONSUME(T.KeyItem, { LABEL: "labelKey" });
              this.CONSUME(T.In);
              p.list = this.SUBRULE(this.list);
            },
          },
          {
            ALT: () => {
              p.host = this.CONSUME(T.Host);
              p.key = this.CONSUME2(T.KeyItem, { LABEL: "hostName" });
            },
          },
        ]);
      return this.collect(p, body, (b, q) => b.target(q), (q, child) => isValue(child) && child.kind === "List" && (q.list = child));
    },
    this.recovering,
  );

  /** block := "{" field* "}" */
  public block = this.RULE(
    "block",
    (): A.Block | undefined => {
      const p: BlockParts = { fields: [] };
      const body = () => {
        p.open = this.CONSUME(T.LBrace);
        this.MANY(() => {
          const f = this.SUBRULE(this.field);
          if (f) p.fields.push(f);
        });
        p.close = this.CONSUME(T.RBrace);
      };
      return this.collect(p, body, (b, q) => b.block(q), (q, child) => isField(child) && q.fields.push(child));
    },
    this.recovering,
  );

  /** field := key ( "=" value | block ), optionally ended by `;` or `,` */
  public field = this.RULE(
    "field",
    (): A.Field | undefined => {
      const p: FieldParts = {};
      const body = () => {
        p.key = this.CONSUME(T.KeyItem);
        p.value = this.valueOrBlock();
        this.OPTION(() => this.OR2(this.alts("a6", () => [{ ALT: () => this.CONSUME(T.Semicolon) }, { ALT: () => this.CONSUME(T.Comma) }])));
      };
      return this.collect(p, body, (b, q) => b.field(q), absorbValue);
    },
    this.recovering,
  );

  /** value := scalar | list | block */
  public value = this.RULE(
    "value",
    (): A.Value | undefined => {
      const p: { value?: A.Value } = {};
      const body = () => {
        p.value = this.OR(this.alts<A.Value | undefined>("a7", () => [
          { ALT: () => this.scalarOf(this.CONSUME(T.ScalarItem)) },
          { ALT: () => this.SUBRULE(this.list) },
          { ALT: () => this.SUBRULE(this.block) },
        ]));
      };
      return this.collect(p, body, (_, q) => q.value, absorbValue);
    },
    this.recovering,
  );

  /** list := "[" ( key ( "," )? )* "]" — items are keys (a `KeyItem`: a word or a one-line string), so a missing `]` stops at the next statement */
  public list = this.RULE(
    "list",
    (): A.List | undefined => {
      const p: ListParts = { items: [] };
      const body = () => {
        p.open = this.CONSUME(T.LBracket);
        this.MANY(() => {
          p.items.push(this.CONSUME(T.KeyItem));
          this.OPTION(() => this.CONSUME(T.Comma));
        });
        p.close = this.CONSUME(T.RBracket);
      };
      return this.collect(p, body, (b, q) => b.list(q));
    },
    this.recovering,
  );

  /** `"=" value | block`, the end of a `set` and of a field (not a rule of its own: no frame, and recovery as before). */
  private valueOrBlock(): A.Value | undefined {
    return this.OR(this.alts<A.Value | undefined>("valueOrBlock", () => [
      {
        ALT: () => {
          this.CONSUME(T.Equals);
          return this.SUBRULE(this.value);
        },
      },
      { ALT: () => this.SUBRULE(this.block) },
    ]));
  }

  private scalarOf(t: IToken): A.Scalar | undefined {
    return this.RECORDING_PHASE ? undefined : this.builder!.scalarToken(t);
  }
}

/** One shared instance: chevrotain parsers are reusable by resetting `input`. */
export const parser = new DbellParser();
