/** dbellc diagnostics as LSP diagnostics: each field maps directly (`related` becomes `relatedInformation`). */
import { DiagnosticSeverity, type Diagnostic as LspDiagnostic, type Range } from "vscode-languageserver/node.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { editDistance } from "../diagnostics/suggest.js";
import type { Span } from "../diagnostics/span.js";
import type { Policy, Workspace } from "./workspace.js";

/** What a quick fix needs, carried in the diagnostic's `data` so the code action does not recompute anything. */
export interface FixData {
  readonly replacement: string;
}

export class Spans {
  constructor(
    private readonly ws: Workspace,
    private readonly policy: Policy,
  ) {}

  uri(file: string): string {
    return this.policy.files.find((f) => f.name === file)?.uri ?? file;
  }

  range(span: Span): Range {
    const f = this.policy.files.find((x) => x.name === span.file);
    if (!f) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const doc = this.ws.textDocument(f);
    return { start: doc.positionAt(span.start), end: doc.positionAt(span.end) };
  }

  /**
   * The text that replaces the underlined one to apply a "did you mean", when the underline is the misspelt word
   * itself (one word, or one quoted word, close to the suggestion). Some checks underline more (a whole ssh key line
   * for a wrong key type): writing the suggestion over that would lose text, so those get no quick fix.
   */
  private replacement(d: Diagnostic): string | undefined {
    const suggestion = /^did you mean `([^`]+)`\?$/.exec(d.help ?? "")?.[1];
    const f = this.policy.files.find((x) => x.name === d.span.file);
    if (suggestion === undefined || !f) return undefined;
    const underlined = this.ws.text(f).slice(d.span.start, d.span.end);
    const quote = /^(["'])(.*)\1$/.exec(underlined);
    const word = quote ? quote[2]! : underlined;
    if (/\s/.test(word) || word === "" || editDistance(word.toLowerCase(), suggestion.toLowerCase()) > Math.max(2, Math.floor(word.length / 3))) return undefined;
    return quote ? `${quote[1]}${suggestion}${quote[1]}` : suggestion;
  }

  diagnostic(d: Diagnostic): LspDiagnostic {
    const fix = this.replacement(d);
    return {
      range: this.range(d.span),
      severity: d.severity === "error" ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
      code: d.code,
      source: "dbellc",
      message: d.help ? `${d.message}\nhelp: ${d.help}` : d.message,
      ...(d.related?.length ? { relatedInformation: d.related.map((r) => ({ location: { uri: this.uri(r.span.file), range: this.range(r.span) }, message: r.message })) } : {}),
      ...(fix !== undefined ? { data: { replacement: fix } satisfies FixData } : {}),
    };
  }
}
