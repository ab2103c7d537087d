/**
 * The canonical layout of a .dbell file (`dbellc fmt`, LSP formatting): tokens are copied exactly as written, so
 * strings, numbers and modes never change; only whitespace, optional `;`/`,` and comment placement do.
 */
import type { IToken } from "chevrotain";
import { hasErrors, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { Span } from "../diagnostics/span.js";
import type * as A from "./ast.js";
import { parse } from "./parse.js";
import { inlineBlock } from "./print-values.js";

export interface FormatResult {
  /** The formatted text; undefined when the file has syntax errors (it is refused, never mangled). */
  readonly text?: string;
  readonly diagnostics: readonly Diagnostic[];
}

const INDENT = "  ";
/** A statement cut by a comment goes on below its first line, indented further. */
const CONTINUATION = "    ";

export function format(file: string, text: string): FormatResult {
  const r = parse(file, text);
  if (hasErrors(r.diagnostics)) return { diagnostics: r.diagnostics };
  const p = new Printer(text, r.comments, r.tokens);
  for (const s of r.ast.statements) p.statement(s, false);
  p.finish();
  return { text: p.result(), diagnostics: r.diagnostics };
}

class Printer {
  private readonly lines: string[] = [];
  /** The line being written, or undefined between lines. */
  private line: string | undefined;
  private indent = "";
  /** Source offset of the last thing printed: blank lines and comments are found relative to it. */
  private lastEnd = 0;
  private next = 0;

  constructor(
    private readonly text: string,
    private readonly comments: readonly Span[],
    private readonly tokens: readonly IToken[],
  ) {}

  /** The first token at or after `offset` (binary search: the file has no syntax errors, so one exists where asked). */
  private tokenAt(offset: number): IToken {
    let lo = 0;
    let hi = this.tokens.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.tokens[mid]!.startOffset < offset) lo = mid + 1;
      else hi = mid;
    }
    return this.tokens[lo]!;
  }

  result(): string {
    return this.lines.length ? this.lines.join("\n") + "\n" : "";
  }

  statement(s: A.Statement, sameLine: boolean): void {
    if (!sameLine) this.open(s.span.start);
    switch (s.kind) {
      case "Set":
        this.word(s.span.start, s.span.start + 3);
        this.name(s.module);
        for (const k of s.path) this.name(k);
        this.assignment(s.value);
        return;
      case "Unset":
        this.word(s.span.start, s.span.start + 5);
        this.name(s.module);
        for (const k of s.path) this.name(k);
        return;
      case "Disable":
        this.word(s.span.start, s.span.start + 7);
        this.name(s.module);
        return;
      case "On":
        return this.on(s);
    }
  }

  private on(s: A.OnStatement): void {
    if (s.layer) this.word(s.layer.start, s.layer.end);
    const on = s.layer ? this.tokenAt(s.layer.end).startOffset : s.span.start;
    this.word(on, on + 2);
    const t = s.target;
    if (t.kind === "HostTarget") {
      this.word(t.span.start, t.span.start + 4);
      this.name(t.name);
    } else {
      this.word(t.span.start, t.span.start + 5);
      this.name(t.key);
      const inKw = this.tokenAt(t.key.span.end);
      this.word(inKw.startOffset, inKw.startOffset + 2);
      this.list(t.values, { file: t.span.file, start: this.tokenAt(inKw.startOffset + 2).startOffset, end: t.span.end });
    }
    // `on TARGET set ...` stays a one-liner; the braced form is recognised by the `{` after the target.
    const open = this.tokenAt(t.span.end);
    if (open.image !== "{") return this.statement(s.body[0]!, true);
    const close = s.span.end - 1;
    if (s.body.length === 0 && !this.hasComment(t.span.end, close)) return this.put("{}", " ", close + 1);
    this.put("{", " ", open.startOffset + 1);
    this.nested(() => {
      for (const b of s.body) this.statement(b, false);
    }, close);
  }

  /** `= VALUE` or ` { ... }` */
  private assignment(v: A.Value): void {
    if (v.kind === "Block") return this.block(v);
    this.put("=", " ");
    this.value(v);
  }

  private value(v: A.Value): void {
    if (v.kind === "Scalar") this.word(v.span.start, v.span.end);
    else if (v.kind === "List") this.list(v.items, v.span);
    else this.block(v);
  }

  private list(items: readonly A.Scalar[], span: Span): void {
    this.put("[", " ", span.start + 1);
    items.forEach((item, i) => {
      this.word(item.span.start, item.span.end, i === 0 ? "" : " ");
      if (i < items.length - 1) this.put(",", "");
    });
    this.put("]", "", span.end);
  }

  private block(b: A.Block): void {
    const one = this.inline(b);
    if (one !== undefined) return this.put(one, " ", b.span.end);
    this.put("{", " ", b.span.start + 1);
    this.nested(() => {
      for (const f of b.fields) {
        this.open(f.span.start);
        this.name(f.key);
        this.assignment(f.value);
      }
    }, b.span.end - 1);
  }

  /** A block on one line, when it holds only one-line scalars and lists, no comments, and is short (`inlineBlock`). */
  private inline(b: A.Block): string | undefined {
    if (this.hasComment(b.span.start, b.span.end)) return undefined;
    const parts: string[] = [];
    for (const f of b.fields) {
      const v = f.value;
      if (v.kind === "Block" || (v.kind === "Scalar" && v.form === "multiline")) return undefined;
      const value = v.kind === "Scalar" ? this.src(v.span) : `[${v.items.map((i) => this.src(i.span)).join(", ")}]`;
      parts.push(`${this.src(f.key.span)} = ${value}`);
    }
    return inlineBlock(parts);
  }

  /** The body of `{ ... }`, one item per line, indented; comments before the `}` at `close` stay inside. */
  private nested(body: () => void, close: number): void {
    const outer = this.indent;
    this.indent += INDENT;
    body();
    this.closeLine(close);
    this.ownLineComments(close);
    this.indent = outer;
    this.line = this.indent;
    this.put("}", "", close + 1);
  }

  private name(n: A.Name): void {
    this.word(n.span.start, n.span.end);
  }

  private src(s: Span): string {
    return this.text.slice(s.start, s.end);
  }

  /** Starts a new line for the item at `start`, after the comments before it and at most one blank line. */
  private open(start: number): void {
    this.closeLine(start);
    this.ownLineComments(start);
    this.blankLine(start);
    this.line = this.indent;
  }

  /** Copies source text; a comment before it ends the line there and the item continues below. */
  private word(start: number, end: number, sep = " "): void {
    let cut = false;
    while (this.next < this.comments.length && this.comments[this.next]!.start < start) {
      this.line = `${this.line ?? this.indent} ${this.commentText(this.comments[this.next++]!)}`;
      this.lines.push(this.line);
      this.line = this.indent + CONTINUATION;
      cut = true;
    }
    this.put(this.text.slice(start, end), cut ? "" : sep, end);
  }

  /** Appends text that has no comments before it (punctuation, or a block already checked for comments). */
  private put(text: string, sep: string, end?: number): void {
    const line = this.line ?? this.indent;
    this.line = line + (line.trim() === "" ? "" : sep) + text;
    if (end !== undefined) this.lastEnd = end;
  }

  /** Ends the current line, taking along the comments that follow on the same source line before `before`. */
  private closeLine(before = Infinity): void {
    if (this.line === undefined) return;
    while (this.next < this.comments.length) {
      const c = this.comments[this.next]!;
      if (c.start >= before || this.text.slice(this.lastEnd, c.start).includes("\n")) break;
      this.line += ` ${this.commentText(c)}`;
      this.lastEnd = c.end;
      this.next++;
    }
    this.lines.push(this.line);
    this.line = undefined;
  }

  private ownLineComments(before: number): void {
    while (this.next < this.comments.length && this.comments[this.next]!.start < before) {
      const c = this.comments[this.next++]!;
      this.blankLine(c.start);
      this.lines.push(this.indent + this.commentText(c));
      this.lastEnd = c.end;
    }
  }

  /** Keeps one blank line where the source had one or more, except at the start of a file or block. */
  private blankLine(start: number): void {
    const prev = this.lines[this.lines.length - 1];
    if (prev === undefined || prev === "" || prev.endsWith("{")) return;
    if (/\n[ \t\r]*\n/.test(this.text.slice(this.lastEnd, start))) this.lines.push("");
  }

  private hasComment(start: number, end: number): boolean {
    return this.comments.some((c) => c.start >= start && c.start < end);
  }

  private commentText(c: Span): string {
    return this.src(c).trimEnd();
  }

  finish(): void {
    this.closeLine();
    this.ownLineComments(this.text.length + 1);
  }
}
