/**
 * Terminal-safe text for diagnostics: control characters escaped, and long source lines cut to a window around the
 * span, so a hostile or broken file can neither drive the terminal nor make the output grow with the line length.
 */

/**
 * Characters a terminal may act on instead of printing: C0 controls but tab, DEL, C1 controls (U+0085 NEL, U+009B CSI),
 * the Unicode line and paragraph separators, bidirectional overrides and isolates (they reorder what is shown), and
 * lone surrogates (not text at all).
 */
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** `\x1b`, `\u{85}`, `\u{202e}`: how an unsafe character is shown. */
export function escapeChar(c: string): string {
  const n = c.charCodeAt(0);
  if (c === "\n") return "\\n";
  if (c === "\r") return "\\r";
  return n < 0x80 ? `\\x${n.toString(16).padStart(2, "0")}` : `\\u{${n.toString(16)}}`;
}

/** The text with every unsafe character escaped. */
export function visible(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/** Messages quote user text; beyond this length the middle is left out. */
export const MAX_MESSAGE = 300;

/** A message, help or note made safe to print: escaped, and cut in the middle when very long. */
export function visibleMessage(text: string): string {
  if (text.length <= MAX_MESSAGE) return visible(text);
  const half = MAX_MESSAGE / 2;
  return `${visible(text.slice(0, half))} … ${visible(text.slice(-half))}`;
}

/** Source lines longer than this are cut to a window around the span. */
export const MAX_EXCERPT = 160;
/** Context kept in front of the span in a cut line. */
const LEAD = 60;

export interface ExcerptLine {
  /** The line as shown: escaped, and cut with `…` at either end when too long. */
  readonly text: string;
  /** Column (in shown characters) of the first caret, and how many carets. */
  readonly caretCol: number;
  readonly caretWidth: number;
}

/**
 * One source line prepared for display with carets under [from, to) (offsets into `line`). Escaped characters take
 * as many caret columns as their escape; tabs stay tabs, so the lead under them keeps them.
 */
export function excerptLine(line: string, from: number, to: number): ExcerptLine {
  let start = 0;
  let end = line.length;
  if (line.length > MAX_EXCERPT) {
    start = Math.max(0, Math.min(from - LEAD, line.length - MAX_EXCERPT));
    end = Math.min(line.length, start + MAX_EXCERPT);
  }
  const a = Math.max(from, start);
  const b = Math.min(Math.max(to, from + 1), end);
  const head = (start > 0 ? "…" : "") + visible(line.slice(start, a));
  const body = visible(line.slice(a, b));
  const tail = visible(line.slice(b, end)) + (end < line.length ? "…" : "");
  return { text: head + body + tail, caretCol: head.length, caretWidth: Math.max(1, body.length) };
}

/** The lead under an excerpt line up to its first caret: spaces, keeping tabs so carets line up in a terminal. */
export function caretLead(shown: string, col: number): string {
  return shown.slice(0, col).replace(/[^\t]/g, " ");
}
