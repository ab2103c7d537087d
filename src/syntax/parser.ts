/**
 * DbellParser: the grammar of .dbell as a chevrotain EmbeddedActionsParser, error recovery on. Each rule collects its
 * tokens and sub-results into a parts record and builds its AST node from it (to-ast.ts), so no concrete syntax tree
 * is kept. A rule an error stops half-way still hands up what it has, as a CST parser's partial node would.
 */
import { EmbeddedActionsParser, type IOrAlt, type IRecognitionException, type IToken, type TokenType } from "chevrotain";
import type * as A from "./ast.js";
import type { AstBuilder, BlockParts, FieldParts, ListParts, OnParts, SetParts, TargetParts, UnsetParts, DisableParts } from "./to-ast.js";
import * as T from "./tokens.js";

/** Syntax errors reported per file before parsing stops. */
export const MAX_SYNTAX_ERRORS = 90;

/** Thrown out of a parse that reached MAX_SYNTAX_ERRORS; parse.ts reports it. */
export class TooManySyntaxErrors extends Error {}

const STATEMENT_KINDS = new Set(["Set", "Unset", "Disable", "On"]);
const VALUE_KINDS = new Set(["Scalar", "List", "Block"]);
const kindIn = (kinds: ReadonlySet<string>, x: unknown): boolean => typeof x === "object" && x !== null && kinds.has((x as { kind?: string }).kind ?? "");
const isStatement = (x: unknown): x is A.Statement => kindIn(STATEMENT_KINDS, x);
const isValue = (x: unknown): x is A.Value => kindIn(VALUE_KINDS, x);
const isTarget = (x: unknown): x is A.Target => kindIn(new Set(["HostTarget", "LabelTarget"]), x);

export class DbellParser extends EmbeddedActionsParser {
  /**
   * Alternatives built once per rule instead of on every call, as chevrotain's performance guide advises; the
   * closures only reference `this`, so caching them is safe. Declared first: rule fields below use it.
   */
  private readonly alternatives = new Map<string, IOrAlt<unknown>[]>();
  private alts<R>(id: string, make: () => IOrAlt<R>[]): IOrAlt<R>[] {
    let a = this.alternatives.get(id);
    if (!a) this.alternatives.set(id, (a = make()));
    return a as IOrAlt<R>[];
  }

  /**
   * Builds the nodes of the file being parsed; parse.ts sets it before each parse. Rules build nothing while
   * chevrotain records the grammar (`RECORDING_PHASE`), when tokens and sub-results are placeholders.
   */
  builder: AstBuilder | undefined;

  /**
   * What the rule whose error is travelling up the rule stack had built. Each rule's `catch` takes its failed
   * sub-rule's part, adds it to its own parts and leaves its own result here; the rule that recovers returns it.
   */
  private failed: unknown = undefined;
  private readonly recovering = { recoveryValueFunc: (): undefined => this.takeFailed() as undefined };

  private takeFailed(): unknown {
    const f = this.failed;
    this.failed = undefined;
    return f;
  }

  /** Leaves `partial` for the rules above and lets the error continue up. */
  private fail(e: unknown, partial: unknown): never {
    this.failed = partial;
    throw e;
  }

  /** The next token to read (where a parse stopped). */
  nextToken(): IToken {
    return this.LA(1);
  }

  /**
   * Chevrotain's grammar checks (ambiguities, left recursion) cost start-up time on every run, so the shared parser
   * skips them; a test builds one with `validate` on, where a bad grammar throws.
   */
  constructor(options: { validate?: boolean } = {}) {
    super(T.allTokens, { recoveryEnabled: true, maxLookahead: 3, skipValidations: !options.validate });
    this.performSelfAnalysis();
  }

  /** Syntax errors recorded in this parse; the one after MAX_SYNTAX_ERRORS stops it with TooManySyntaxErrors. */
  private saved = 0;

  override reset(): void {
    super.reset();
    this.saved = 0;
    this.failed = undefined;
  }

  /**
   * Chevrotain's error sink (not in its type declarations). Recovering from an error costs far more than parsing, so
   * a file of garbage (`set set set ...`) would take minutes; past a limit no one reads, the parse stops instead.
   */
  SAVE_ERROR(error: IRecognitionException): IRecognitionException {
    if (++this.saved > MAX_SYNTAX_ERRORS) throw new TooManySyntaxErrors();
    return (EmbeddedActionsParser.prototype as unknown as { SAVE_ERROR(e: IRecognitionException): IRecognitionException }).SAVE_ERROR.call(this, error);
  }

  /**
   * A key or a value is one token of a category (`KeyItem`, `ScalarItem`) where the grammar once had a rule for each;
   * chevrotain's single-token recovery (inventing or skipping one token) does not apply to them, as it did not to
   * those rules: a missing key is reported where it is missing, not patched over with the next word.
   */
  override canTokenTypeBeInsertedInRecovery(tokType: TokenType): boolean {
    return tokType !== T.KeyItem && tokType !== T.ScalarItem;
  }

  override canTokenTypeBeDeletedInRecovery(tokType: TokenType): boolean {
    return tokType !== T.KeyItem && tokType !== T.ScalarItem;
  }

  /** file := statement* */
  public file = this.RULE(
    "file",
    (): A.Statement[] => {
      const statements: A.Statement[] = [];
      try {
        this.MANY(() => {
          const s = this.SUBRULE(this.statement);
          if (s) statements.push(s);
        });
      } catch (e) {
        const child = this.takeFailed();
        if (isStatement(child)) statements.push(child);
        this.fail(e, statements);
      }
      return statements;
    },
    { recoveryValueFunc: () => (this.takeFailed() as A.Statement[] | undefined) ?? [] },
  );

  /** statement := setStatement | unsetStatement | disableStatement | onStatement, optionally ended by `;` */
  public statement = this.RULE(
    "statement",
    (): A.Statement | undefined => {
      let s: A.Statement | undefined;
      try {
        s = this.OR(this.alts<A.Statement | undefined>("a1", () => [
          { ALT: () => this.SUBRULE(this.setStatement) },
          { ALT: () => this.SUBRULE(this.unsetStatement) },
          { ALT: () => this.SUBRULE(this.disableStatement) },
          { ALT: () => this.SUBRULE(this.onStatement) },
        ]));
        this.OPTION(() => this.CONSUME(T.Semicolon));
      } catch (e) {
        const child = this.takeFailed();
        this.fail(e, isStatement(child) ? child : s);
      }
      return s;
    },
    this.recovering,
  );

  /** setStatement := "set" module key* ( "=" value | block ) */
  public setStatement = this.RULE(
    "setStatement",
    (): A.SetStatement | undefined => {
      const p: SetParts = { path: [] };
      try {
        p.kw = this.CONSUME(T.SetKw);
        p.module = this.CONSUME(T.Name, { LABEL: "module" });
        this.MANY(() => p.path.push(this.CONSUME(T.KeyItem)));
        p.value = this.OR(this.alts<A.Value | undefined>("a2", () => [
          {
            ALT: () => {
              this.CONSUME(T.Equals);
              return this.SUBRULE(this.value);
            },
          },
          { ALT: () => this.SUBRULE(this.block) },
        ]));
      } catch (e) {
        const child = this.takeFailed();
        if (isValue(child)) p.value = child;
        this.fail(e, (this.RECORDING_PHASE ? undefined : this.builder!.set(p)));
      }
      return (this.RECORDING_PHASE ? undefined : this.builder!.set(p));
    },
    this.recovering,
  );

  /** unsetStatement := "unset" module key* (a key path stops before `layer on`, which starts the next statement) */
  public unsetStatement = this.RULE(
    "unsetStatement",
    (): A.UnsetStatement | undefined => {
      const p: UnsetParts = { path: [] };
      try {
        p.kw = this.CONSUME(T.Unset);
        p.module = this.CONSUME(T.Name, { LABEL: "module" });
        this.MANY({ GATE: () => !(this.LA(1).tokenType === T.Layer && this.LA(2).tokenType === T.On), DEF: () => p.path.push(this.CONSUME(T.KeyItem)) });
      } catch (e) {
        // An error here leaves the module or a key unread: nothing to keep.
        this.takeFailed();
        this.fail(e, undefined);
      }
      return (this.RECORDING_PHASE ? undefined : this.builder!.unset(p));
    },
    this.recovering,
  );

  /** disableStatement := "disable" module */
  public disableStatement = this.RULE(
    "disableStatement",
    (): A.DisableStatement | undefined => {
      const p: DisableParts = {};
      try {
        p.kw = this.CONSUME(T.Disable);
        p.module = this.CONSUME(T.Name, { LABEL: "module" });
      } catch (e) {
        this.takeFailed();
        this.fail(e, undefined);
      }
      return (this.RECORDING_PHASE ? undefined : this.builder!.disable(p));
    },
    this.recovering,
  );

  /** onStatement := "layer"? "on" target ( "{" statement* "}" | setStatement | unsetStatement ) */
  public onStatement = this.RULE(
    "onStatement",
    (): A.OnStatement | undefined => {
      const p: OnParts = { body: [] };
      try {
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
      } catch (e) {
        const child = this.takeFailed();
        if (p.form === undefined && isTarget(child)) p.target = child;
        else if (p.form === "block" && isStatement(child)) p.body.push(child);
        else if (p.form === "single" && (isStatement(child) && (child.kind === "Set" || child.kind === "Unset"))) p.single = child;
        this.fail(e, (this.RECORDING_PHASE ? undefined : this.builder!.on(p)));
      }
      return (this.RECORDING_PHASE ? undefined : this.builder!.on(p));
    },
    this.recovering,
  );

  /** target := "label" key "in" list | "host" key */
  public target = this.RULE(
    "target",
    (): A.Target | undefined => {
      const p: TargetParts = {};
      try {
        // These alternatives fill this call's parts, so they are made per call.
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
      } catch (e) {
        const child = this.takeFailed();
        if (isValue(child) && child.kind === "List") p.list = child;
        this.fail(e, (this.RECORDING_PHASE ? undefined : this.builder!.target(p)));
      }
      return (this.RECORDING_PHASE ? undefined : this.builder!.target(p));
    },
    this.recovering,
  );

  /** block := "{" field* "}" */
  public block = this.RULE(
    "block",
    (): A.Block | undefined => {
      const p: BlockParts = { fields: [] };
      try {
        p.open = this.CONSUME(T.LBrace);
        this.MANY(() => {
          const f = this.SUBRULE(this.field);
          if (f) p.fields.push(f);
        });
        p.close = this.CONSUME(T.RBrace);
      } catch (e) {
        const child = this.takeFailed() as A.Field | undefined;
        if (child?.kind === "Field") p.fields.push(child);
        this.fail(e, (this.RECORDING_PHASE ? undefined : this.builder!.block(p)));
      }
      return (this.RECORDING_PHASE ? undefined : this.builder!.block(p));
    },
    this.recovering,
  );

  /** field := key ( "=" value | block ), optionally ended by `;` or `,` */
  public field = this.RULE(
    "field",
    (): A.Field | undefined => {
      const p: FieldParts = {};
      try {
        p.key = this.CONSUME(T.KeyItem);
        p.value = this.OR(this.alts<A.Value | undefined>("a5", () => [
          {
            ALT: () => {
              this.CONSUME(T.Equals);
              return this.SUBRULE(this.value);
            },
          },
          { ALT: () => this.SUBRULE(this.block) },
        ]));
        this.OPTION(() => this.OR2(this.alts("a6", () => [{ ALT: () => this.CONSUME(T.Semicolon) }, { ALT: () => this.CONSUME(T.Comma) }])));
      } catch (e) {
        const child = this.takeFailed();
        if (isValue(child)) p.value = child;
        this.fail(e, (this.RECORDING_PHASE ? undefined : this.builder!.field(p)));
      }
      return (this.RECORDING_PHASE ? undefined : this.builder!.field(p));
    },
    this.recovering,
  );

  /** value := scalar | list | block */
  public value = this.RULE(
    "value",
    (): A.Value | undefined => {
      try {
        return this.OR(this.alts<A.Value | undefined>("a7", () => [
          { ALT: () => this.scalarOf(this.CONSUME(T.ScalarItem)) },
          { ALT: () => this.SUBRULE(this.list) },
          { ALT: () => this.SUBRULE(this.block) },
        ]));
      } catch (e) {
        const child = this.takeFailed();
        this.fail(e, isValue(child) ? child : undefined);
      }
    },
    this.recovering,
  );

  /** list := "[" ( key ( "," )? )* "]" — items are keys (a `KeyItem`: a word or a one-line string), so a missing `]` stops at the next statement */
  public list = this.RULE(
    "list",
    (): A.List | undefined => {
      const p: ListParts = { items: [] };
      try {
        p.open = this.CONSUME(T.LBracket);
        this.MANY(() => {
          p.items.push(this.CONSUME(T.KeyItem));
          this.OPTION(() => this.CONSUME(T.Comma));
        });
        p.close = this.CONSUME(T.RBracket);
      } catch (e) {
        this.takeFailed();
        this.fail(e, (this.RECORDING_PHASE ? undefined : this.builder!.list(p)));
      }
      return (this.RECORDING_PHASE ? undefined : this.builder!.list(p));
    },
    this.recovering,
  );

  private scalarOf(t: IToken): A.Scalar | undefined {
    return this.RECORDING_PHASE ? undefined : this.builder!.scalarToken(t);
  }
}

/** One shared instance: chevrotain parsers are reusable by resetting `input`. */
export const parser = new DbellParser();
