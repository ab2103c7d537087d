/** Renders diagnostics for people (an excerpt with carets) and for tools (versioned JSON). */
import type { Diagnostic } from "./diagnostic.js";
import { caretLead, excerptLine, visible, visibleMessage } from "./excerpt.js";
import { lineCol, lineStarts, type LineCol, type Span } from "./span.js";

/** The source texts by file name, so line and column are computed at render time. */
export type Sources = ReadonlyMap<string, string>;

export class LineIndex {
  private readonly cache = new Map<string, number[]>();
  constructor(private readonly sources: Sources) {}
  starts(file: string): number[] {
    let s = this.cache.get(file);
    if (!s) {
      s = lineStarts(this.sources.get(file) ?? "");
      this.cache.set(file, s);
    }
    return s;
  }
  pos(file: string, offset: number): LineCol {
    return lineCol(this.starts(file), offset);
  }
  where(span: Span): string {
    const p = this.pos(span.file, span.start);
    return `${span.file}:${p.line}:${p.col}`;
  }
}

export interface HumanOptions {
  readonly color?: boolean;
  /** At most this many diagnostics are shown per file; a line then says how many more there are. */
  readonly maxPerFile?: number;
}

/** Enough to fix a file in one pass; more only scrolls the first ones away (a broken file can give one per byte). */
export const MAX_PER_FILE = 100;

/** The diagnostics to show, at most `max` per file (in the given order), and how many were left out per file. */
export function capPerFile(ds: readonly Diagnostic[], max: number): { shown: Diagnostic[]; omitted: Map<string, Diagnostic[]> } {
  const count = new Map<string, number>();
  const shown: Diagnostic[] = [];
  const omitted = new Map<string, Diagnostic[]>();
  for (const d of ds) {
    const n = count.get(d.span.file) ?? 0;
    count.set(d.span.file, n + 1);
    if (n < max) shown.push(d);
    else {
      let list = omitted.get(d.span.file);
      if (!list) omitted.set(d.span.file, (list = []));
      list.push(d);
    }
  }
  return { shown, omitted };
}

const paint = (on: boolean, code: string, s: string): string => (on ? `\x1b[${code}m${s}\x1b[0m` : s);

export function renderHuman(ds: readonly Diagnostic[], sources: Sources, opts: HumanOptions = {}): string {
  const idx = new LineIndex(sources);
  const color = opts.color ?? false;
  const out: string[] = [];
  const { shown, omitted } = capPerFile(ds, opts.maxPerFile ?? MAX_PER_FILE);
  for (const d of shown) {
    const sev = paint(color, d.severity === "error" ? "1;31" : "1;33", `${d.severity}[${d.code}]`);
    out.push(`${sev}: ${visibleMessage(d.message)}`);
    out.push(`  --> ${visible(idx.where(d.span))}`);
    out.push(...excerpt(d.span, sources, idx, color, d.severity === "error" ? "1;31" : "1;33"));
    for (const r of d.related ?? []) out.push(`   = note: ${visibleMessage(r.message)}: ${visible(idx.where(r.span))}`);
    if (d.help) out.push(`   = help: ${visibleMessage(d.help)}`);
    out.push("");
  }
  for (const [file, rest] of omitted) {
    const errs = rest.filter((d) => d.severity === "error").length;
    out.push(`... and ${rest.length} more in ${visible(file)} (${plural(errs, "error")}, ${plural(rest.length - errs, "warning")}) not shown`, "");
  }
  const errors = ds.filter((d) => d.severity === "error").length;
  const warnings = ds.length - errors;
  if (ds.length > 0) out.push(`${plural(errors, "error")}, ${plural(warnings, "warning")}`);
  return out.join("\n") + (out.length ? "\n" : "");
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function excerpt(span: Span, sources: Sources, idx: LineIndex, color: boolean, caretColor: string): string[] {
  const text = sources.get(span.file);
  if (text === undefined) return [];
  const starts = idx.starts(span.file);
  const from = idx.pos(span.file, span.start);
  const lineStart = starts[from.line - 1] ?? 0;
  const nextStart = starts[from.line];
  const lineEnd = nextStart === undefined ? text.length : nextStart - 1;
  const line = text.slice(lineStart, lineEnd).replace(/\r$/, "");
  const gutter = String(from.line).length;
  const pad = " ".repeat(gutter);
  // A span running over several lines is underlined to the end of its first line.
  const shown = excerptLine(line, span.start - lineStart, Math.min(span.end, lineStart + line.length) - lineStart);
  return [
    ` ${pad} |`,
    ` ${from.line} | ${shown.text}`,
    ` ${pad} | ${caretLead(shown.text, shown.caretCol)}${paint(color, caretColor, "^".repeat(shown.caretWidth))}`,
  ];
}

/** Version of the JSON diagnostics format; bumped only on incompatible changes (docs/json-format.md). */
export const JSON_FORMAT_VERSION = 1;

export interface JsonPosition {
  readonly line: number;
  readonly col: number;
  readonly offset: number;
}

/** JSON lists more than the human output, for tools, but still a bounded number per file. */
export const MAX_JSON_PER_FILE = 1000;

/** `acknowledged`: warnings a `# allow` comment accepts; listed apart, with the reason, and not counted in `summary`. */
export function toJson(ds: readonly Diagnostic[], sources: Sources, acknowledged: readonly Diagnostic[] = []): object {
  const idx = new LineIndex(sources);
  const { shown, omitted } = capPerFile(ds, MAX_JSON_PER_FILE);
  const left = [...omitted.values()].reduce((n, l) => n + l.length, 0);
  const place = (s: Span) => ({ file: s.file, start: pos(idx, s.file, s.start), end: pos(idx, s.file, s.end) });
  const entry = (d: Diagnostic) => ({
    code: d.code,
    severity: d.severity,
    message: d.message,
    ...place(d.span),
    ...(d.help ? { help: d.help } : {}),
    related: (d.related ?? []).map((r) => ({ message: r.message, ...place(r.span) })),
  });
  return {
    version: JSON_FORMAT_VERSION,
    diagnostics: shown.map(entry),
    acknowledged: acknowledged.map((d) => ({ ...entry(d), reason: d.acknowledged?.reason ?? "", allowedAt: d.acknowledged ? place(d.acknowledged.span) : undefined })),
    summary: {
      errors: ds.filter((d) => d.severity === "error").length,
      warnings: ds.filter((d) => d.severity === "warning").length,
      acknowledged: acknowledged.length,
      ...(left > 0 ? { omitted: left } : {}),
    },
  };
}

function pos(idx: LineIndex, file: string, offset: number): JsonPosition {
  const p = idx.pos(file, offset);
  return { line: p.line, col: p.col, offset };
}

export function renderJson(ds: readonly Diagnostic[], sources: Sources, acknowledged: readonly Diagnostic[] = []): string {
  return JSON.stringify(toJson(ds, sources, acknowledged), null, 2) + "\n";
}

const indexes = new WeakMap<Sources, LineIndex>();

/** `file:line` for a span, used by explain and by comments in generated scripts. */
export function whereLine(span: Span, sources: Sources): string {
  // Callers ask for many places in one text: the line index is built once per sources map.
  let idx = indexes.get(sources);
  if (!idx) indexes.set(sources, (idx = new LineIndex(sources)));
  return `${span.file}:${idx.pos(span.file, span.start).line}`;
}
