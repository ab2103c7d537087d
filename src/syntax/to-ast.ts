/**
 * Parts → AST. The parser's rules collect their tokens and sub-results into a parts record and hand it here, also when
 * an error stops a rule half-way: each builder tolerates missing parts, keeps what is complete and drops the rest.
 */
import type { IToken, TokenType } from "chevrotain";
import type { Span } from "../diagnostics/span.js";
import type { DiagnosticBag } from "../diagnostics/diagnostic.js";
import type * as A from "./ast.js";
import { decodeMultiline, decodeQuoted, decodeRaw, type Decoded } from "./strings.js";
import { QuotedString, RawString, TripleString, UnclosedString, UnclosedTriple, tokenEnd } from "./tokens.js";

const STRING_TOKENS: ReadonlySet<TokenType> = new Set([QuotedString, RawString, TripleString, UnclosedString, UnclosedTriple]);

/** Strings with problems reported one by one per file. */
const MAX_STRING_PROBLEMS = 100;

/** `set MODULE KEY... = VALUE`: `path` holds `undefined` for a key an error left unreadable. */
export interface SetParts {
  kw?: IToken;
  module?: IToken;
  readonly path: (IToken | undefined)[];
  value?: A.Value;
}

export interface UnsetParts {
  kw?: IToken;
  module?: IToken;
  readonly path: (IToken | undefined)[];
}

export interface DisableParts {
  kw?: IToken;
  module?: IToken;
}

export interface OnParts {
  layer?: IToken;
  kw?: IToken;
  target?: A.Target;
  /** Which form the body took: a `{ ... }` block, or one `set`/`unset` statement (`single` holds what it gave). */
  form?: "block" | "single";
  readonly body: A.Statement[];
  single?: A.SetStatement | A.UnsetStatement;
  close?: IToken;
}

export interface TargetParts {
  label?: IToken;
  host?: IToken;
  key?: IToken;
  list?: A.List;
}

export interface BlockParts {
  open?: IToken;
  readonly fields: A.Field[];
  close?: IToken;
}

export interface FieldParts {
  key?: IToken;
  value?: A.Value;
}

export interface ListParts {
  open?: IToken;
  readonly items: (IToken | undefined)[];
  close?: IToken;
}

export class AstBuilder {
  /** String problems are reported once per token, by `checkStrings`, even for tokens that recovery drops. */
  private reportStrings = false;
  /** Strings with problems reported so far in this file. */
  private stringProblems = 0;
  /** String tokens `checkStrings` decoded, so building the AST does not decode them again. */
  private readonly decoded = new Map<IToken, A.Scalar>();

  constructor(
    private readonly file: string,
    private readonly bag: DiagnosticBag,
  ) {}

  tokenSpan(t: IToken): Span {
    return { file: this.file, start: t.startOffset, end: tokenEnd(t) };
  }

  private spanOf(first: Span, last: Span): Span {
    return { file: this.file, start: first.start, end: Math.max(first.end, last.end) };
  }

  private usable(t: IToken | undefined): t is IToken {
    return t !== undefined && !t.isInsertedInRecovery && !Number.isNaN(t.startOffset);
  }

  checkStrings(tokens: readonly IToken[]): void {
    this.reportStrings = true;
    for (const t of tokens) {
      if (!STRING_TOKENS.has(t.tokenType)) continue;
      if (this.stringProblems >= MAX_STRING_PROBLEMS) {
        // A file of quote characters is thousands of broken strings: one mistake, reported once from here on.
        this.reportStrings = false;
        this.bag.report("DB1002", this.tokenSpan(t), "more broken strings from here on (not reported one by one)", { help: "check the quotes from here: is a string opened and never closed?" });
        break;
      }
      const scalar = this.scalarToken(t);
      if (scalar) this.decoded.set(t, scalar);
    }
    this.reportStrings = false;
  }

  private moduleName(t: IToken | undefined): A.Name | undefined {
    if (!this.usable(t)) return undefined;
    return { kind: "Name", text: t.image, quoted: false, span: this.tokenSpan(t) };
  }

  set(p: SetParts): A.SetStatement | undefined {
    const module = this.moduleName(p.module);
    const path = this.keys(p.path);
    const value = p.value;
    if (!this.usable(p.kw) || !module || !path || !value) return undefined;
    return { kind: "Set", module, path, value, span: this.spanOf(this.tokenSpan(p.kw), value.span) };
  }

  unset(p: UnsetParts): A.UnsetStatement | undefined {
    const module = this.moduleName(p.module);
    const path = this.keys(p.path);
    if (!this.usable(p.kw) || !module || !path) return undefined;
    const last = path.length ? path[path.length - 1]!.span : module.span;
    return { kind: "Unset", module, path, span: this.spanOf(this.tokenSpan(p.kw), last) };
  }

  disable(p: DisableParts): A.DisableStatement | undefined {
    const module = this.moduleName(p.module);
    if (!this.usable(p.kw) || !module) return undefined;
    return { kind: "Disable", module, span: this.spanOf(this.tokenSpan(p.kw), module.span) };
  }

  on(p: OnParts): A.OnStatement | undefined {
    const target = p.target;
    if (!this.usable(p.kw) || !target) return undefined;
    let body: A.Statement[];
    let end: Span;
    if (p.form === "single") {
      if (!p.single) return undefined;
      body = [p.single];
      end = p.single.span;
    } else {
      body = p.body;
      end = this.usable(p.close) ? this.tokenSpan(p.close) : body.length ? body[body.length - 1]!.span : target.span;
    }
    const start = this.usable(p.layer) ? this.tokenSpan(p.layer) : this.tokenSpan(p.kw);
    return { kind: "On", ...(this.usable(p.layer) ? { layer: start } : {}), target, body, span: this.spanOf(start, end) };
  }

  target(p: TargetParts): A.Target | undefined {
    if (p.host) {
      const name = this.key(p.key);
      if (!this.usable(p.host) || !name) return undefined;
      return { kind: "HostTarget", name, span: this.spanOf(this.tokenSpan(p.host), name.span) };
    }
    if (p.label) {
      const key = this.key(p.key);
      if (!this.usable(p.label) || !key || !p.list) return undefined;
      return { kind: "LabelTarget", key, values: p.list.items, span: this.spanOf(this.tokenSpan(p.label), p.list.span) };
    }
    return undefined;
  }

  private keys(tokens: readonly (IToken | undefined)[]): A.Name[] | undefined {
    const out: A.Name[] = [];
    for (const t of tokens) {
      const name = this.key(t);
      if (!name) return undefined;
      out.push(name);
    }
    return out;
  }

  private key(t: IToken | undefined): A.Name | undefined {
    const s = this.scalarToken(t);
    return s && { kind: "Name", text: s.text, quoted: s.form !== "word", span: s.span };
  }

  field(p: FieldParts): A.Field | undefined {
    const key = this.key(p.key);
    const value = p.value;
    return key && value ? { kind: "Field", key, value, span: this.spanOf(key.span, value.span) } : undefined;
  }

  /** Decodes a word or string token, reporting string problems at their exact place. */
  scalarToken(t: IToken | undefined): A.Scalar | undefined {
    if (!this.usable(t)) return undefined;
    const known = this.decoded.get(t);
    if (known) return known;
    const span = this.tokenSpan(t);
    const type = t.tokenType.name;
    let decoded: Decoded;
    let form: A.Scalar["form"] = "string";
    if (type === "QuotedString") decoded = decodeQuoted(t.image, true);
    else if (type === "UnclosedString") decoded = t.image.startsWith("'") ? decodeRaw(t.image, false) : decodeQuoted(t.image, false);
    else if (type === "RawString") decoded = decodeRaw(t.image, true);
    else if (type === "TripleString" || type === "UnclosedTriple") {
      decoded = decodeMultiline(t.image, type === "TripleString");
      form = "multiline";
    } else return { kind: "Scalar", text: t.image, form: "word", span };
    if (this.reportStrings) {
      if (decoded.problems.length) this.stringProblems++;
      for (const p of decoded.problems) {
        this.bag.report(p.code, { file: this.file, start: span.start + p.start, end: span.start + p.end }, p.message, p.help ? { help: p.help } : {});
      }
    }
    return { kind: "Scalar", text: decoded.text, form, span };
  }

  list(p: ListParts): A.List | undefined {
    if (!this.usable(p.open)) return undefined;
    const items: A.Scalar[] = [];
    for (const t of p.items) {
      const v = this.scalarToken(t);
      if (v) items.push(v);
    }
    // An unclosed list with no items is a syntax error already reported; as an empty list it would also read as `in []`.
    if (!this.usable(p.close) && items.length === 0) return undefined;
    const end = this.usable(p.close) ? this.tokenSpan(p.close) : items[items.length - 1]!.span;
    return { kind: "List", items, span: this.spanOf(this.tokenSpan(p.open), end) };
  }

  block(p: BlockParts): A.Block | undefined {
    if (!this.usable(p.open)) return undefined;
    const fields = p.fields;
    const end = this.usable(p.close) ? this.tokenSpan(p.close) : fields.length ? fields[fields.length - 1]!.span : this.tokenSpan(p.open);
    return { kind: "Block", fields, span: this.spanOf(this.tokenSpan(p.open), end) };
  }
}
