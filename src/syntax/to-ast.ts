/** CST → AST. Tolerates the partial trees that error recovery leaves, dropping what is incomplete. */
import type { IToken } from "chevrotain";
import type { Span } from "../diagnostics/span.js";
import type { DiagnosticBag } from "../diagnostics/diagnostic.js";
import type * as C from "./cst.generated.js";
import type * as A from "./ast.js";
import { decodeMultiline, decodeQuoted, decodeRaw, type Decoded } from "./strings.js";

const STRING_TOKENS = new Set(["QuotedString", "RawString", "TripleString", "UnclosedString", "UnclosedTriple"]);

/** Strings with problems reported one by one per file. */
const MAX_STRING_PROBLEMS = 100;

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

  /** Chevrotain's `endOffset` is inclusive; this is the one place it becomes half-open. */
  tokenSpan(t: IToken): Span {
    return { file: this.file, start: t.startOffset, end: (t.endOffset ?? t.startOffset) + 1 };
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
      if (!STRING_TOKENS.has(t.tokenType.name)) continue;
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

  statements(nodes: readonly C.StatementCstNode[] | undefined): A.Statement[] {
    const out: A.Statement[] = [];
    for (const n of nodes ?? []) {
      try {
        const s = this.statement(n);
        if (s) out.push(s);
      } catch (e) {
        // A recovered tree of a shape this builder does not expect: drop the statement and say so, never crash.
        const start = Number.isNaN(n.location?.startOffset) ? 0 : (n.location?.startOffset ?? 0);
        this.bag.report("DB9001", { file: this.file, start, end: start + 1 }, `internal error while reading this statement: ${(e as Error).message}`, {
          help: "please report this with the input that caused it",
        });
      }
    }
    return out;
  }

  private statement(n: C.StatementCstNode): A.Statement | undefined {
    const c = n.children;
    if (c.setStatement?.[0]) return this.set(c.setStatement[0]);
    if (c.unsetStatement?.[0]) return this.unset(c.unsetStatement[0]);
    if (c.disableStatement?.[0]) return this.disable(c.disableStatement[0]);
    if (c.onStatement?.[0]) return this.on(c.onStatement[0]);
    return undefined;
  }

  private moduleName(t: IToken | undefined): A.Name | undefined {
    if (!this.usable(t)) return undefined;
    return { kind: "Name", text: t.image, quoted: false, span: this.tokenSpan(t) };
  }

  private set(n: C.SetStatementCstNode): A.SetStatement | undefined {
    const c = n.children;
    const kw = c.Set?.[0];
    const module = this.moduleName(c.module?.[0]);
    const path = this.keys(c.key);
    const value = c.value?.[0] ? this.value(c.value[0]) : c.block?.[0] ? this.block(c.block[0]) : undefined;
    if (!this.usable(kw) || !module || !path || !value) return undefined;
    return { kind: "Set", module, path, value, span: this.spanOf(this.tokenSpan(kw), value.span) };
  }

  private unset(n: C.UnsetStatementCstNode): A.UnsetStatement | undefined {
    const c = n.children;
    const kw = c.Unset?.[0];
    const module = this.moduleName(c.module?.[0]);
    const path = this.keys(c.key);
    if (!this.usable(kw) || !module || !path) return undefined;
    const last = path.length ? path[path.length - 1]!.span : module.span;
    return { kind: "Unset", module, path, span: this.spanOf(this.tokenSpan(kw), last) };
  }

  private disable(n: C.DisableStatementCstNode): A.DisableStatement | undefined {
    const c = n.children;
    const kw = c.Disable?.[0];
    const module = this.moduleName(c.module?.[0]);
    if (!this.usable(kw) || !module) return undefined;
    return { kind: "Disable", module, span: this.spanOf(this.tokenSpan(kw), module.span) };
  }

  private on(n: C.OnStatementCstNode): A.OnStatement | undefined {
    const c = n.children;
    const kw = c.On?.[0];
    const target = c.target?.[0] ? this.target(c.target[0]) : undefined;
    if (!this.usable(kw) || !target) return undefined;
    let body: A.Statement[];
    let end: Span;
    if (c.setStatement?.[0] || c.unsetStatement?.[0]) {
      const s = c.setStatement?.[0] ? this.set(c.setStatement[0]) : this.unset(c.unsetStatement![0]!);
      if (!s) return undefined;
      body = [s];
      end = s.span;
    } else {
      body = this.statements(c.statement);
      const close = c.RBrace?.[0];
      end = this.usable(close) ? this.tokenSpan(close) : body.length ? body[body.length - 1]!.span : target.span;
    }
    const layer = c.Layer?.[0];
    const start = this.usable(layer) ? this.tokenSpan(layer) : this.tokenSpan(kw);
    return { kind: "On", ...(this.usable(layer) ? { layer: start } : {}), target, body, span: this.spanOf(start, end) };
  }

  private target(n: C.TargetCstNode): A.Target | undefined {
    const c = n.children;
    if (c.Host?.[0]) {
      const name = c.hostName?.[0] ? this.key(c.hostName[0]) : undefined;
      if (!this.usable(c.Host[0]) || !name) return undefined;
      return { kind: "HostTarget", name, span: this.spanOf(this.tokenSpan(c.Host[0]), name.span) };
    }
    if (c.Label?.[0]) {
      const key = c.labelKey?.[0] ? this.key(c.labelKey[0]) : undefined;
      const list = c.list?.[0] ? this.list(c.list[0]) : undefined;
      if (!this.usable(c.Label[0]) || !key || !list) return undefined;
      return { kind: "LabelTarget", key, values: list.items, span: this.spanOf(this.tokenSpan(c.Label[0]), list.span) };
    }
    return undefined;
  }

  private keys(nodes: readonly C.KeyCstNode[] | undefined): A.Name[] | undefined {
    const out: A.Name[] = [];
    for (const k of nodes ?? []) {
      const name = this.key(k);
      if (!name) return undefined;
      out.push(name);
    }
    return out;
  }

  private key(n: C.KeyCstNode): A.Name | undefined {
    const s = this.scalarToken(n.children.KeyName?.[0] ?? n.children.QuotedString?.[0] ?? n.children.RawString?.[0] ?? n.children.UnclosedString?.[0]);
    return s && { kind: "Name", text: s.text, quoted: s.form !== "word", span: s.span };
  }

  private value(n: C.ValueCstNode): A.Value | undefined {
    const c = n.children;
    if (c.scalar?.[0]) return this.scalar(c.scalar[0]);
    if (c.list?.[0]) return this.list(c.list[0]);
    if (c.block?.[0]) return this.block(c.block[0]);
    return undefined;
  }

  private scalar(n: C.ScalarCstNode): A.Scalar | undefined {
    const c = n.children;
    return this.scalarToken(c.Name?.[0] ?? c.QuotedString?.[0] ?? c.RawString?.[0] ?? c.TripleString?.[0] ?? c.UnclosedString?.[0] ?? c.UnclosedTriple?.[0]);
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

  private list(n: C.ListCstNode): A.List | undefined {
    const c = n.children;
    const open = c.LBracket?.[0];
    if (!this.usable(open)) return undefined;
    const items: A.Scalar[] = [];
    for (const k of c.key ?? []) {
      const t = k.children.KeyName?.[0] ?? k.children.QuotedString?.[0] ?? k.children.RawString?.[0] ?? k.children.UnclosedString?.[0];
      const v = this.scalarToken(t);
      if (v) items.push(v);
    }
    const close = c.RBracket?.[0];
    // An unclosed list with no items is a syntax error already reported; as an empty list it would also read as `in []`.
    if (!this.usable(close) && items.length === 0) return undefined;
    const end = this.usable(close) ? this.tokenSpan(close) : items[items.length - 1]!.span;
    return { kind: "List", items, span: this.spanOf(this.tokenSpan(open), end) };
  }

  private block(n: C.BlockCstNode): A.Block | undefined {
    const c = n.children;
    const open = c.LBrace?.[0];
    if (!this.usable(open)) return undefined;
    const fields: A.Field[] = [];
    for (const f of c.field ?? []) {
      const key = f.children.key?.[0] ? this.key(f.children.key[0]) : undefined;
      const value = f.children.value?.[0] ? this.value(f.children.value[0]) : f.children.block?.[0] ? this.block(f.children.block[0]) : undefined;
      if (key && value) fields.push({ kind: "Field", key, value, span: this.spanOf(key.span, value.span) });
    }
    const close = c.RBrace?.[0];
    const end = this.usable(close) ? this.tokenSpan(close) : fields.length ? fields[fields.length - 1]!.span : this.tokenSpan(open);
    return { kind: "Block", fields, span: this.spanOf(this.tokenSpan(open), end) };
  }
}
