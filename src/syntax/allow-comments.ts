/**
 * `# allow DB3003: reason` comments: a policy accepts a warning on one statement, in writing. A comment rather than
 * a keyword, so the grammar stays as it is and every tool that reads .dbell (and `fmt`) keeps it where it was.
 * The comment belongs to the statement on the next line, or, written at the end of a statement's first line, to
 * that statement; on an `on` rule it covers the whole rule.
 */
import type { Acknowledgement } from "../diagnostics/acknowledge.js";
import { CODES } from "../diagnostics/codes.js";
import { DiagnosticBag, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { Span } from "../diagnostics/span.js";
import type { Statement } from "./ast.js";

/** The prefix that makes a comment an acknowledgement: `# allow DB`. Other comments that start with "allow" are prose. */
const ALLOW = /^#\s*allow\s+(?=DB)/;
const FORM = /^#\s*allow\s+(DB\d{4}(?:\s*,?\s*DB\d{4})*)\s*(?::\s*(.*?))?\s*$/;

export interface AllowComments {
  readonly acknowledgements: readonly Acknowledgement[];
  readonly diagnostics: readonly Diagnostic[];
}

export function allowComments(text: string, comments: readonly Span[], statements: readonly Statement[]): AllowComments {
  const bag = new DiagnosticBag();
  const out: Acknowledgement[] = [];
  let flat: Statement[] | undefined;
  for (const c of comments) {
    const body = text.slice(c.start, c.end);
    if (!ALLOW.test(body)) continue;
    const m = FORM.exec(body);
    if (!m) {
      bag.report("DB1901", c, "malformed `# allow` comment", { help: "write `# allow DB3003: why this warning is fine here`" });
      continue;
    }
    const codes = m[1]!.split(/[\s,]+/);
    const bad = codes.find((code) => !(code in CODES) || CODES[code as keyof typeof CODES].severity !== "warning");
    if (bad !== undefined) {
      const what = bad in CODES ? "is an error, and errors cannot be acknowledged" : "is not a diagnostic code";
      bag.report("DB1901", c, `\`${bad}\` ${what}`, { help: "only warning codes can be allowed; see docs/diagnostics.md" });
      continue;
    }
    const reason = m[2] ?? "";
    if (reason === "") {
      bag.report("DB1901", c, "`# allow` comment without a reason", { help: `say why after a colon: \`# allow ${codes.join(" ")}: ...\`` });
      continue;
    }
    flat ??= flatten(statements);
    const scope = scopeOf(text, c, flat);
    if (!scope) {
      bag.report("DB1902", c, "this `# allow` comment belongs to no statement", { help: "put it on the line before the rule that warns" });
      continue;
    }
    out.push({ codes, reason, span: c, scope: scope.span });
  }
  return { acknowledgements: out, diagnostics: bag.items };
}

/** Every statement, rules before the statements inside them, in source order. */
function flatten(ss: readonly Statement[]): Statement[] {
  return ss.flatMap((s) => (s.kind === "On" ? [s, ...flatten(s.body)] : [s]));
}

function scopeOf(text: string, c: Span, statements: readonly Statement[]): Statement | undefined {
  // At the end of a line some statement starts on: the outermost such statement (an `on` rule, not its first `set`).
  const lineStart = text.lastIndexOf("\n", c.start - 1) + 1;
  const sameLine = statements.find((s) => s.span.start >= lineStart && s.span.start < c.start);
  if (sameLine) return sameLine;
  // Else the first statement after it, with only blank lines and comments between.
  const next = statements.find((s) => s.span.start >= c.end);
  if (!next || !/^(?:\s|#[^\n]*)*$/.test(text.slice(c.end, next.span.start))) return undefined;
  return next;
}
