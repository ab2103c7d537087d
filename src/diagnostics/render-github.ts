/**
 * GitHub Actions workflow commands (`::error file=...,line=...,col=...::message`), which the runner turns into
 * annotations on the pull request. Escaping follows the runner's rules: `%`, CR and LF everywhere, and also `:` and
 * `,` inside properties (https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts).
 */
import type { Diagnostic } from "./diagnostic.js";
import { LineIndex, type Sources } from "./render.js";

export function renderGithub(ds: readonly Diagnostic[], sources: Sources): string {
  const idx = new LineIndex(sources);
  return ds
    .map((d) => {
      const from = idx.pos(d.span.file, d.span.start);
      const to = idx.pos(d.span.file, d.span.end);
      const props = [
        `file=${escapeProperty(d.span.file)}`,
        `line=${from.line}`,
        `endLine=${to.line}`,
        `col=${from.col}`,
        `endColumn=${to.col}`,
        `title=${escapeProperty(`${d.code}`)}`,
      ];
      const text = [d.message, ...(d.related ?? []).map((r) => `note: ${r.message}: ${idx.where(r.span)}`), ...(d.help ? [`help: ${d.help}`] : [])];
      return `::${d.severity} ${props.join(",")}::${escapeData(text.join("\n"))}\n`;
    })
    .join("");
}

function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
