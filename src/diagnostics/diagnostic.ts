/** The one shape every stage reports problems in, plus sorting and a collecting sink. */
import { compareSpans, type Span } from "./span.js";
import { CODES, type Code } from "./codes.js";

export type Severity = "error" | "warning";

export interface Related {
  readonly message: string;
  readonly span: Span;
}

export interface Diagnostic {
  readonly code: Code;
  readonly severity: Severity;
  /** Lower-case, names the thing: "duplicate sysctl key `vm.swappiness`". */
  readonly message: string;
  readonly span: Span;
  readonly related?: readonly Related[];
  /** The fix: "did you mean `mounts`?" */
  readonly help?: string;
  /** Set on a warning that a `# allow` comment accepts, with that comment's reason and place. */
  readonly acknowledged?: { readonly reason: string; readonly span: Span };
}

export function diag(code: Code, span: Span, message: string, extra: { related?: readonly Related[]; help?: string } = {}): Diagnostic {
  return { code, severity: CODES[code].severity, message, span, ...extra };
}

export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  return [...ds].sort((a, b) => compareSpans(a.span, b.span) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
}

/** Drops exact repeats (the same problem found through several variants of one module). */
export function dedupe(ds: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of ds) {
    const k = `${d.code}\0${d.span.file}\0${d.span.start}\0${d.span.end}\0${d.message}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(d);
    }
  }
  return out;
}

export function hasErrors(ds: readonly Diagnostic[]): boolean {
  return ds.some((d) => d.severity === "error");
}

/** A sink that stages push into; it never throws. */
export class DiagnosticBag {
  readonly items: Diagnostic[] = [];
  add(d: Diagnostic): void {
    this.items.push(d);
  }
  report(code: Code, span: Span, message: string, extra: { related?: readonly Related[]; help?: string } = {}): void {
    this.items.push(diag(code, span, message, extra));
  }
}
