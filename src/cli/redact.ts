/**
 * Keeps secrets out of what `check` and `explain` print: the places of password hashes and debconf password answers
 * are found in the policy, and their text is masked in the source excerpts and replaced in explained values, unless
 * `--show-secrets` asks for them.
 */
import type { Span } from "../diagnostics/span.js";
import type { Sources } from "../diagnostics/render.js";
import { type Analysis, leaves, type ModuleExplanation } from "../api.js";

/** What an explained secret value shows instead. */
export const REDACTED = "<redacted>";

/** Password values that are not secrets: no password, and a locked account. */
const NOT_SECRET = new Set(["*", "!"]);

/** `file:start:end` of a span, to look places up. */
const placeOf = (s: Span): string => `${s.file}:${s.start}:${s.end}`;

/** The places of every secret value the policy writes: users' password hashes, apt's debconf password answers. */
export function secretSpans(a: Analysis): Span[] {
  const found = new Map<string, Span>();
  const modules = a.resolution.policy.modules;
  for (const m of ["users", "apt"].filter((x) => modules.includes(x))) {
    for (const v of a.resolution.all(m)) {
      const all = [...leaves(v.config)];
      const text = new Map(all.map((l) => [l.path.join("\0"), l.node.kind === "Scalar" ? l.node.text : undefined] as const));
      for (const l of all) {
        if (l.node.kind !== "Scalar") continue;
        const p = l.path;
        const secret =
          m === "users"
            ? p.length === 3 && p[0] === "user" && p[2] === "password" && !NOT_SECRET.has(l.node.text)
            : p.length === 5 && p[0] === "package" && p[2] === "debconf" && p[4] === "answer" && text.get([...p.slice(0, 4), "type"].join("\0")) === "password";
        if (secret) found.set(placeOf(l.node.origin), l.node.origin);
      }
    }
  }
  return [...found.values()];
}

/**
 * The sources with every secret's text masked by `*`, same length and lines, so excerpts and columns stay right.
 * Quotes around a string are kept, so the excerpt still reads as the policy.
 */
export function maskSources(sources: Sources, secrets: readonly Span[]): Sources {
  const byFile = new Map<string, Span[]>();
  for (const s of secrets) byFile.set(s.file, [...(byFile.get(s.file) ?? []), s]);
  const out = new Map(sources);
  for (const [file, spans] of byFile) {
    let text = out.get(file);
    if (text === undefined) continue;
    for (const s of spans) {
      let [start, end] = [s.start, s.end];
      const quote = text[start];
      if (end - start >= 2 && (quote === '"' || quote === "'") && text[end - 1] === quote) [start, end] = [start + 1, end - 1];
      text = text.slice(0, start) + text.slice(start, end).replace(/[^\r\n]/g, "*") + text.slice(end);
    }
    out.set(file, text);
  }
  return out;
}

/** The explanation with every secret value replaced by REDACTED. */
export function redactExplanation(ms: readonly ModuleExplanation[], secrets: readonly Span[]): ModuleExplanation[] {
  const places = new Set(secrets.map(placeOf));
  return ms.map((m) => ({ ...m, values: m.values.map((v) => (places.has(placeOf(v.origin)) ? { ...v, value: REDACTED } : v)) }));
}
