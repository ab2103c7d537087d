/**
 * What DbellParser (parser.ts) is built on: chevrotain's EmbeddedActionsParser with rules that build their AST nodes
 * from parts records (to-ast.ts) and still hand up what they have when an error stops them, as a CST parser's partial
 * node would.
 */
import { EmbeddedActionsParser, type IOrAlt, type IRecognitionException, type IToken, type TokenType } from "chevrotain";
import type * as A from "./ast.js";
import type { AstBuilder, OnParts } from "./to-ast.js";
import * as T from "./tokens.js";

/** Syntax errors reported per file before parsing stops. */
export const MAX_SYNTAX_ERRORS = 90;

/** Thrown out of a parse that reached MAX_SYNTAX_ERRORS; parse.ts reports it. */
export class TooManySyntaxErrors extends Error {}

const STATEMENT_KINDS = new Set(["Set", "Unset", "Disable", "On"]);
const VALUE_KINDS = new Set(["Scalar", "List", "Block"]);
const TARGET_KINDS = new Set(["HostTarget", "LabelTarget"]);
const FIELD_KIND = new Set(["Field"]);
const kindIn = (kinds: ReadonlySet<string>, x: unknown): boolean => typeof x === "object" && x !== null && kinds.has((x as { kind?: string }).kind ?? "");
export const isStatement = (x: unknown): x is A.Statement => kindIn(STATEMENT_KINDS, x);
export const isValue = (x: unknown): x is A.Value => kindIn(VALUE_KINDS, x);
export const isField = (x: unknown): x is A.Field => kindIn(FIELD_KIND, x);
const isTarget = (x: unknown): x is A.Target => kindIn(TARGET_KINDS, x);

/**
 * The machinery under DbellParser's rules: the rule frame that builds a node from its parts (`collect`), the hand-up
 * of partial results while an error travels up the rule stack, the limit on syntax errors, and which tokens
 * chevrotain's single-token recovery may invent or skip.
 */
export abstract class RecoveringParser extends EmbeddedActionsParser {
  /**
   * Alternatives built once per rule instead of on every call, as chevrotain's performance guide advises; the
   * closures only reference `this`, so caching them is safe. Declared first: rule fields below use it.
   */
  private readonly alternatives = new Map<string, IOrAlt<unknown>[]>();
  protected alts<R>(id: string, make: () => IOrAlt<R>[]): IOrAlt<R>[] {
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
   * What the rule whose error is travelling up the rule stack had built. Each rule's frame (`collect`) takes its failed
   * sub-rule's part, adds it to its own parts and leaves its own result here; the rule that recovers returns it (its
   * `recoveryValueFunc`), as a CST parser returns its partial node.
   */
  private failed: unknown = undefined;
  protected readonly recovering = { recoveryValueFunc: (): undefined => this.takeFailed() as undefined };

  protected takeFailed(): unknown {
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

  /**
   * A rule's frame: runs `body`, which reads tokens and sub-rules into the parts `p`, then builds the rule's node from
   * `p` with `build`. When an error stops `body`, `absorb` adds to `p` what the failed sub-rule left, and the node that
   * `p` still makes is left for the rules above (nothing is built while chevrotain records the grammar).
   */
  protected collect<P, R>(p: P, body: () => void, build: (b: AstBuilder, p: P) => R | undefined, absorb?: (p: P, child: unknown) => void): R | undefined {
    try {
      body();
    } catch (e) {
      const child = this.takeFailed();
      absorb?.(p, child);
      this.fail(e, this.RECORDING_PHASE ? undefined : build(this.builder!, p));
    }
    return this.RECORDING_PHASE ? undefined : build(this.builder!, p);
  }
}

/** A failed `value` or `block` sub-rule's partial value becomes the rule's value. */
export function absorbValue(p: { value?: A.Value }, child: unknown): void {
  if (isValue(child)) p.value = child;
}

/** What a failed sub-rule of `on` left goes where that sub-rule was reading: the target, the block, or the one statement. */
export function absorbOnPart(p: OnParts, child: unknown): void {
  if (p.form === undefined && isTarget(child)) p.target = child;
  else if (p.form === "block" && isStatement(child)) p.body.push(child);
  else if (p.form === "single" && isStatement(child) && (child.kind === "Set" || child.kind === "Unset")) p.single = child;
}
