/** Hover, go to definition, references, the outline, formatting and quick fixes, on the analysis of a policy. */
import {
  CodeActionKind,
  SymbolKind,
  type CodeAction,
  type CodeActionParams,
  type DocumentSymbol,
  type Hover,
  type Location,
  type TextEdit,
} from "vscode-languageserver/node.js";
import type { Analysis } from "../compile.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Span } from "../diagnostics/span.js";
import { moduleNamed } from "../modules/registry.js";
import { describeSchema, fieldAt, schemaAt } from "../modules/schema-info.js";
import type * as A from "../syntax/ast.js";
import { format } from "../syntax/format.js";
import { nodesAt, type AnyNode } from "../syntax/node-at.js";
import type { FixData, Spans } from "./convert.js";
import type { Inventory } from "../plan/inventory.js";
import { selectorMatchText } from "./selector-match.js";

/** Overlap findings (DB3xxx) relate rules: the rules a rule's target overlaps, with the finding's message. */
function overlapsOf(a: Analysis, rule: A.OnStatement): { other: Span; d: Diagnostic }[] {
  const inRule = (s: Span) => s.file === rule.span.file && s.start >= rule.span.start && s.start < rule.span.end;
  const out: { other: Span; d: Diagnostic }[] = [];
  for (const d of [...a.diagnostics, ...a.acknowledged]) {
    if (!d.code.startsWith("DB3")) continue;
    if (inRule(d.span)) for (const r of d.related ?? []) out.push({ other: r.span, d });
    else if (d.related?.some((r) => inRule(r.span))) out.push({ other: d.span, d });
  }
  return out;
}

/** `inv`: the configured node inventory, whose matches a selector's hover tells. */
export function hover(a: Analysis, file: A.SourceFile, offset: number, spans: Spans, inv?: Inventory): Hover | null {
  const chain = nodesAt(file, offset);
  const inner = chain[chain.length - 1];
  if (!inner) return null;
  const text = hoverText(a, chain, inner, spans, inv);
  return text ? { contents: { kind: "markdown", value: text }, range: spans.range(inner.span) } : null;
}

function hoverText(a: Analysis, chain: readonly AnyNode[], inner: AnyNode, spans: Spans, inv?: Inventory): string | undefined {
  const stmt = [...chain].reverse().find((n): n is A.SetStatement | A.UnsetStatement | A.DisableStatement => n.kind === "Set" || n.kind === "Unset" || n.kind === "Disable");
  const rule = chain.find((n): n is A.OnStatement => n.kind === "On");
  if (rule && (chain.includes(rule.target) && !stmt)) {
    const overlaps = overlapsOf(a, rule);
    const selector = rule.target.kind === "HostTarget" ? `**host** \`${rule.target.name.text}\`: nodes whose kubernetes.io/hostname is this name` : `**label** \`${rule.target.key.text}\` in [${rule.target.values.map((v) => `\`${v.text}\``).join(", ")}]: nodes with this label set to one of the values`;
    const head = inv ? `${selector}\n\n${selectorMatchText(inv, rule.target)}` : selector;
    if (overlaps.length === 0) return `${head}\n\nNo other rule overlaps it.`;
    const lines = overlaps.map(({ other, d }) => `- ${d.code}: ${d.message} — ${spans.uri(other.file).split("/").pop()}:${spans.range(other).start.line + 1}`);
    return `${head}\n\nOverlapping rules:\n${lines.join("\n")}`;
  }
  if (!stmt) return undefined;
  const mod = moduleNamed(stmt.module.text);
  if (!mod) return undefined;
  if (inner === stmt.module || inner === stmt) return `**${mod.name}**: ${mod.summary}\n\n${describeSchema(mod.schema)}`;
  if (stmt.kind === "Disable") return undefined;
  // The path to the hovered key or value: the statement's keys, then the keys of the enclosing fields.
  const path: string[] = [];
  for (const k of stmt.path) {
    path.push(k.text);
    if (k === inner) break;
  }
  if (!stmt.path.includes(inner as A.Name)) for (const n of chain) if (n.kind === "Field") path.push(n.key.text);
  const s = schemaAt(mod.name, path);
  if (!s) return undefined;
  return `**${[mod.name, ...path].join(" ")}**\n\n${describeSchema(s, fieldAt(mod.name, path))}`;
}

/** The rules that the overlap checks relate to the rule at `offset` (definition and references share this). */
export function relatedRules(a: Analysis, file: A.SourceFile, offset: number, spans: Spans): Location[] {
  const rule = nodesAt(file, offset).find((n): n is A.OnStatement => n.kind === "On");
  if (!rule) return [];
  const seen = new Set<string>();
  const out: Location[] = [];
  for (const { other } of overlapsOf(a, rule)) {
    const k = `${other.file}:${other.start}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ uri: spans.uri(other.file), range: spans.range(other) });
  }
  return out;
}

export function symbols(file: A.SourceFile, spans: Spans): DocumentSymbol[] {
  const sym = (s: A.Statement): DocumentSymbol => {
    const range = spans.range(s.span);
    if (s.kind === "On") {
      const t = s.target;
      const name = t.kind === "HostTarget" ? `on host ${t.name.text}` : `on label ${t.key.text} in [${t.values.map((v) => v.text).join(", ")}]`;
      return { name, kind: SymbolKind.Namespace, range, selectionRange: spans.range(t.span), children: s.body.map(sym) };
    }
    const name = [s.kind.toLowerCase(), s.module.text, ...(s.kind === "Disable" ? [] : s.path.map((k) => k.text))].join(" ");
    const children = s.kind === "Set" && s.value.kind === "Block" ? s.value.fields.map((f) => ({ name: f.key.text, kind: SymbolKind.Field, range: spans.range(f.span), selectionRange: spans.range(f.key.span) })) : [];
    return { name, kind: s.kind === "Set" ? SymbolKind.Property : SymbolKind.Event, range, selectionRange: spans.range(s.module.span), children };
  };
  return file.statements.map(sym);
}

/** The whole document replaced by `dbellc fmt`'s output; nothing when it has syntax errors or is formatted already. */
export function formatting(name: string, text: string, spans: Spans): TextEdit[] {
  const r = format(name, text);
  if (r.text === undefined || r.text === text) return [];
  return [{ range: spans.range({ file: name, start: 0, end: text.length }), newText: r.text }];
}

/** A quick fix for each diagnostic with a "did you mean": it writes the suggestion in place of the underlined text. */
export function quickFixes(p: CodeActionParams): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of p.context.diagnostics) {
    const data = d.data as FixData | undefined;
    if (d.source !== "dbellc" || typeof data?.replacement !== "string") continue;
    out.push({
      title: `Change to \`${data.replacement}\``,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      isPreferred: true,
      edit: { changes: { [p.textDocument.uri]: [{ range: d.range, newText: data.replacement }] } },
    });
  }
  return out;
}
