/** Warnings a policy acknowledges in its source (`# allow DB3003: reason`), set apart from the ones still open. */
import { diag, type Diagnostic } from "./diagnostic.js";
import type { Span } from "./span.js";

/** One `# allow` comment: the warning codes it accepts within `scope` (the statement it belongs to), and why. */
export interface Acknowledgement {
  readonly codes: readonly string[];
  readonly reason: string;
  /** The comment. */
  readonly span: Span;
  readonly scope: Span;
}

export interface Acknowledged {
  /** Diagnostics still to act on, with a DB1902 for each acknowledgement that matched nothing. */
  readonly open: readonly Diagnostic[];
  /** Warnings accepted in the source, each with the reason given. */
  readonly acknowledged: readonly Diagnostic[];
}

/** Errors are never acknowledged: only a warning whose code is listed and whose place lies in the scope. */
export function applyAcknowledgements(ds: readonly Diagnostic[], acks: readonly Acknowledgement[]): Acknowledged {
  if (acks.length === 0) return { open: ds, acknowledged: [] };
  const used = new Set<Acknowledgement>();
  const open: Diagnostic[] = [];
  const acknowledged: Diagnostic[] = [];
  for (const d of ds) {
    const ack = d.severity === "warning" ? acks.find((a) => covers(a, d)) : undefined;
    if (!ack) {
      open.push(d);
      continue;
    }
    used.add(ack);
    acknowledged.push({ ...d, acknowledged: { reason: ack.reason, span: ack.span } });
  }
  for (const a of acks) {
    if (!used.has(a)) {
      open.push(diag("DB1902", a.span, `nothing here raises ${a.codes.map((c) => `\`${c}\``).join(" or ")}`, {
        help: "remove this `# allow` comment, or move it onto the line before the rule that warns",
      }));
    }
  }
  return { open, acknowledged };
}

function covers(a: Acknowledgement, d: Diagnostic): boolean {
  return a.codes.includes(d.code) && d.span.file === a.scope.file && d.span.start >= a.scope.start && d.span.start < a.scope.end;
}
