/**
 * Completion from the tokens before the cursor (the text being typed rarely parses): keywords, modules, the fields
 * of the module at the cursor, enum words, and label keys, values and host names used elsewhere in the policy or
 * carried by the nodes of the configured inventory.
 */
import { CompletionItemKind, type CompletionItem } from "vscode-languageserver/node.js";
import type { Analysis } from "../compile.js";
import type { Inventory } from "../plan/inventory.js";
import { MODULES } from "../modules/registry.js";
import { describeSchema, fieldsOf, schemaAt, valuesOf } from "../modules/schema-info.js";
import type { Statement } from "../syntax/ast.js";
import { STATEMENT_START } from "../syntax/parse.js";
import { DbellLexer, tokenEnd } from "../syntax/tokens.js";
import { inventoryFacts } from "./selector-match.js";

type Frame = { readonly kind: "rule" } | { readonly kind: "block"; readonly module: string; readonly path: readonly string[] };

/** Where the cursor is: the enclosing `{ }` and the words of the statement or field written so far. */
function context(text: string, offset: number): { frame: Frame | undefined; words: string[]; newLine: boolean } {
  const stack: Frame[] = [];
  let words: string[] = [];
  let inList = false;
  let lastEnd = 0;
  for (const t of DbellLexer.tokenize(text).tokens) {
    // The word under the cursor is what is being completed: the editor filters by it. Punctuation just before the
    // cursor is complete already.
    const end = tokenEnd(t);
    if (end > offset || (end === offset && /^[\w"'.\/*?~@%+:!^-]/.test(t.image))) break;
    lastEnd = end;
    const img = t.image;
    const top = stack[stack.length - 1];
    if (img === "{") {
      if (top?.kind === "block" && words[0] !== undefined) stack.push({ kind: "block", module: top.module, path: [...top.path, words[0]] });
      else if (words[0] === "set" && words[1] !== undefined) stack.push({ kind: "block", module: words[1], path: words.slice(2).filter((w) => w !== "=") });
      else stack.push({ kind: "rule" });
      words = [];
    } else if (img === "}") {
      stack.pop();
      words = [];
    } else if (img === "[") {
      inList = true;
      words.push(img);
    } else if (img === "]") {
      inList = false;
      words.push(img);
      if (top?.kind === "block") words = [];
    } else if (img === ";" || (img === "," && !inList)) words = [];
    else if (img === ",") continue;
    else if (top?.kind !== "block" && !inList && STATEMENT_START.has(img) && !(words[0] === "on" && words.length < 2)) words = [img];
    else if (top?.kind === "block" && words.length >= 3 && words[1] === "=" && !inList) words = [img];
    else if (top?.kind !== "block" && words[0] !== "on" && words[words.length - 2] === "=" && !inList) words = [img];
    else words.push(img);
  }
  // A statement or field that looks finished, followed by a line break: the cursor starts the next one.
  const finished = words.length > 0 && !inList && words[words.length - 1] !== "=" && (words.includes("=") || words[0] === "disable" || words[0] === "unset");
  return { frame: stack[stack.length - 1], words: finished && text.slice(lastEnd, offset).includes("\n") ? [] : words, newLine: text.slice(lastEnd, offset).includes("\n") };
}

const item = (label: string, kind: CompletionItemKind, detail?: string, doc?: string): CompletionItem => ({
  label,
  kind,
  ...(detail ? { detail } : {}),
  ...(doc ? { documentation: { kind: "markdown", value: doc } } : {}),
});

function fieldItems(module: string, path: readonly string[]): CompletionItem[] {
  return fieldsOf(schemaAt(module, path)).map(([name, f]) => item(name, CompletionItemKind.Field, f.required ? "required" : undefined, describeSchema(f.schema, f)));
}

function valueItems(module: string, path: readonly string[]): CompletionItem[] {
  return valuesOf(schemaAt(module, path)).map((v) => item(v, CompletionItemKind.EnumMember));
}

/** Label keys with their values, and host names, as the policy's rules use them. */
function targetsUsed(a: Analysis): { labels: Map<string, Set<string>>; hosts: Set<string> } {
  const labels = new Map<string, Set<string>>();
  const hosts = new Set<string>();
  const visit = (s: Statement): void => {
    if (s.kind !== "On") return;
    if (s.target.kind === "HostTarget") hosts.add(s.target.name.text);
    else {
      let vs = labels.get(s.target.key.text);
      if (!vs) labels.set(s.target.key.text, (vs = new Set()));
      for (const v of s.target.values) vs.add(v.text);
    }
    s.body.forEach(visit);
  };
  for (const f of a.files) f.statements.forEach(visit);
  return { labels, hosts };
}

/** Selector words: the policy's own first, then the inventory's not used yet, each once. */
function selectorItems(used: Iterable<string>, usedDetail: string, fleet: Iterable<[string, string]>, kind: CompletionItemKind): CompletionItem[] {
  const own = [...new Set(used)].sort();
  const seen = new Set(own);
  const out = own.map((w) => item(w, kind, usedDetail));
  const more = [...fleet].filter(([w]) => !seen.has(w)).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  for (const [w, detail] of more) out.push(item(w, kind, detail));
  return out;
}

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;

export function complete(a: Analysis, text: string, offset: number, inv?: Inventory): CompletionItem[] {
  const { frame, words } = context(text, offset);
  if (frame?.kind === "block") {
    if (words.length === 0) return fieldItems(frame.module, frame.path);
    if (words[1] === "=") return valueItems(frame.module, [...frame.path, words[0]!]);
    return [];
  }
  const [first, second] = words;
  if (first === undefined) {
    // Inside a rule only `set` and `unset` may start a statement (DB2013, DB1007 report the others).
    const kws = [...STATEMENT_START].filter((k) => frame?.kind !== "rule" || k === "set" || k === "unset");
    return kws.map((k) => item(k, CompletionItemKind.Keyword));
  }
  if (first === "set" || first === "unset" || first === "disable") {
    if (second === undefined) return MODULES.map((m) => item(m.name, CompletionItemKind.Module, m.summary, describeSchema(m.schema)));
    if (first === "disable") return [];
    const eq = words.indexOf("=");
    if (eq >= 0) return words.length === eq + 1 || words[eq + 1] === "[" ? valueItems(second, words.slice(2, eq)) : [];
    return fieldItems(second, words.slice(2));
  }
  if (first === "on") {
    const used = targetsUsed(a);
    const fleet = inv && inventoryFacts(inv);
    if (second === undefined) return [item("label", CompletionItemKind.Keyword), item("host", CompletionItemKind.Keyword)];
    if (second === "host" && words.length === 2) {
      return selectorItems(used.hosts, "host used in this policy", (fleet?.hostnames ?? []).map((h) => [h, `node in ${inv!.file}`]), CompletionItemKind.Value);
    }
    if (second === "label") {
      if (words.length === 2) {
        const keys = [...(fleet?.labels ?? [])].map(([k, vs]): [string, string] => [k, `label of ${plural([...vs.values()].reduce((x, y) => x + y, 0), "node")} in ${inv!.file}`]);
        return selectorItems(used.labels.keys(), "label key used in this policy", keys, CompletionItemKind.Property);
      }
      if (words.length === 3) return [item("in", CompletionItemKind.Keyword)];
      if (words[3] === "in" && words[4] === "[" && !words.includes("]")) {
        const values = [...(fleet?.labels.get(words[2]!) ?? [])].map(([v, n]): [string, string] => [v, `${words[2]} of ${plural(n, "node")} in ${inv!.file}`]);
        return selectorItems(used.labels.get(words[2]!) ?? [], `value of ${words[2]} used in this policy`, values, CompletionItemKind.Value);
      }
      if (words.includes("]")) return [item("set", CompletionItemKind.Keyword), item("unset", CompletionItemKind.Keyword)];
    }
    if (second === "host" && words.length === 3) return [item("set", CompletionItemKind.Keyword), item("unset", CompletionItemKind.Keyword)];
  }
  return [];
}
