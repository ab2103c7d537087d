/** Files derived from the real parser (the EBNF and the railroad diagram) and the code catalogue. Tests fail when they are stale. */
import { createSyntaxDiagramsCode } from "chevrotain";
import { parser } from "../../src/syntax/parser.js";
import { grammarEbnf } from "./ebnf.js";
import { CODES } from "../../src/diagnostics/codes.js";
import { MODULES } from "../../src/modules/registry.js";

export interface GeneratedFile {
  readonly path: string;
  readonly text: string;
}

export function generatedFiles(): GeneratedFile[] {
  const serialized = parser.getSerializedGastProductions();
  return [
    { path: "grammar/dbell.ebnf", text: grammarEbnf(serialized) },
    { path: "grammar/railroad.html", text: createSyntaxDiagramsCode(serialized) },
    { path: "docs/diagnostics.md", text: diagnosticsDoc() },
  ];
}

/** The catalog's sections: the core bands, with each registered module's band (from its about.ts) after DB20. */
function bands(): [string, string][] {
  return [
    ["DB1", "Syntax"],
    ["DB20", "Values and structure (all modules)"],
    ...MODULES.map((m): [string, string] => [m.about.band, m.name]),
    ["DB3", "Overlapping targets"],
    ["DB4", "Import from Divingbell values"],
    ["DB5", "Kubernetes output"],
    ["DB6", "Plan against a node inventory"],
    ["DB9", "Internal"],
  ];
}

/** docs/diagnostics.md: the code catalog, from src/diagnostics/codes.ts and the registered modules. */
export function diagnosticsDoc(): string {
  const lines = [
    "# Diagnostic codes",
    "",
    "Generated from `src/diagnostics/codes.ts` and each module's `about.ts` by `npm run generate`; do not edit. A code never",
    "changes meaning; [adding-a-module.md](adding-a-module.md) says which band a new module takes.",
    "`dbellc check --format json` reports them in the `code` field (see [json-format.md](json-format.md)).",
    "",
    "The human output shows at most 100 diagnostics per file, then one line counting the rest; `--format json` lists",
    "up to 1,000 per file and counts the rest in `summary.omitted`. Control characters, Unicode line separators,",
    "bidirectional overrides and lone surrogates in messages and source excerpts are shown escaped (`\\x1b`,",
    "`\\u{202e}`), so a file cannot drive the terminal; a source line longer than 160 characters is cut to a window",
    "around the underlined place (`…` marks the cut).",
    "",
  ];
  for (const [prefix, title] of bands()) {
    const rows = Object.entries(CODES).filter(([c]) => c.startsWith(prefix));
    if (rows.length === 0) continue;
    lines.push(`## ${title}`, "", "| code | severity | meaning |", "|---|---|---|");
    for (const [code, info] of rows) lines.push(`| ${code} | ${info.severity} | ${info.doc.replace(/\|/g, "\\|")} |`);
    lines.push("");
  }
  return lines.join("\n");
}
