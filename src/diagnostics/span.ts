/** Source places: UTF-16 offsets into one file's text, half-open [start, end). */

export interface Span {
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

export interface LineCol {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column, counted in UTF-16 code units like editors and the LSP do. */
  readonly col: number;
}

export function span(file: string, start: number, end: number): Span {
  return { file, start, end: Math.max(start, end) };
}

/** The smallest span covering both (same file assumed). */
export function cover(a: Span, b: Span): Span {
  return { file: a.file, start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

/** The line indexes of the texts seen last, so that `file:line` for many spans of one file scans the file once. */
const recentStarts = new Map<string, number[]>();
const RECENT = 16;

/**
 * Offsets of the first character of every line. Cached per text (the caller must not change the array): renderers
 * and `# from file:line` comments ask for thousands of places in one source.
 */
export function lineStarts(text: string): number[] {
  let starts = recentStarts.get(text);
  if (starts !== undefined) return starts;
  starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  if (recentStarts.size >= RECENT) recentStarts.delete(recentStarts.keys().next().value!);
  recentStarts.set(text, starts);
  return starts;
}

export function lineCol(starts: readonly number[], offset: number): LineCol {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, col: offset - (starts[lo] ?? 0) + 1 };
}

export function compareSpans(a: Span, b: Span): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.start - b.start || a.end - b.end;
}
