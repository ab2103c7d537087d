/**
 * SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html) for code-scanning upload: one run,
 * a rule per code used with its catalog text as help, results with locations and related locations; acknowledged
 * warnings are results with an in-source suppression carrying the reason.
 */
import { CODES } from "./codes.js";
import type { Diagnostic } from "./diagnostic.js";
import { LineIndex, type Sources } from "./render.js";
import type { Span } from "./span.js";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

export interface SarifTool {
  readonly name: string;
  readonly version: string;
}

export function toSarif(ds: readonly Diagnostic[], acknowledged: readonly Diagnostic[], sources: Sources, tool: SarifTool): object {
  const idx = new LineIndex(sources);
  const all = [...ds, ...acknowledged];
  const codes = [...new Set(all.map((d) => d.code))].sort();
  const location = (s: Span) => {
    const from = idx.pos(s.file, s.start);
    const to = idx.pos(s.file, s.end);
    return {
      physicalLocation: {
        artifactLocation: { uri: fileUri(s.file), uriBaseId: "%SRCROOT%" },
        region: { startLine: from.line, startColumn: from.col, endLine: to.line, endColumn: to.col, charOffset: s.start, charLength: s.end - s.start },
      },
    };
  };
  const result = (d: Diagnostic) => ({
    ruleId: d.code,
    ruleIndex: codes.indexOf(d.code),
    level: d.severity,
    message: { text: d.help ? `${d.message}\nhelp: ${d.help}` : d.message },
    locations: [location(d.span)],
    ...(d.related?.length ? { relatedLocations: d.related.map((r, i) => ({ id: i + 1, message: { text: r.message }, ...location(r.span) })) } : {}),
    ...(d.acknowledged ? { suppressions: [{ kind: "inSource", justification: d.acknowledged.reason }] } : {}),
  });
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            version: tool.version,
            rules: codes.map((code) => {
              const info = CODES[code];
              return {
                id: code,
                shortDescription: { text: info.doc },
                fullDescription: { text: info.doc },
                help: { text: `${info.doc} The code catalog is docs/diagnostics.md.` },
                defaultConfiguration: { level: info.severity },
              };
            }),
          },
        },
        columnKind: "utf16CodeUnits",
        results: all.map(result),
      },
    ],
  };
}

export function renderSarif(ds: readonly Diagnostic[], acknowledged: readonly Diagnostic[], sources: Sources, tool: SarifTool): string {
  return JSON.stringify(toSarif(ds, acknowledged, sources, tool), null, 2) + "\n";
}

/** A relative URI reference for a path as given on the command line (`<stdin>` included). */
function fileUri(file: string): string {
  return file.replace(/\\/g, "/").split("/").map(encodeURIComponent).join("/");
}
