/**
 * Declarative schemas for module configuration, and the one validator that turns syntax values into IR nodes
 * under a schema: unknown fields (with "did you mean"), wrong shapes and bad values are reported at their place.
 */
import type { DiagnosticBag } from "../diagnostics/diagnostic.js";
import type { Code } from "../diagnostics/codes.js";
import type { Span } from "../diagnostics/span.js";
import { didYouMean } from "../diagnostics/suggest.js";
import type * as A from "../syntax/ast.js";
import type { ConfigNode, ListNode, MapEntry, MapNode, ScalarNode } from "../ir/ir.js";

export type Reporter = Pick<DiagnosticBag, "report">;

export interface ScalarSchema {
  readonly kind: "Scalar";
  readonly doc: string;
  /** The only words allowed, where the value is a choice (for hover and completion; `check` enforces them). */
  readonly values?: readonly string[];
  /** Bounds of a whole number, where it has them. */
  readonly range?: { readonly min?: number; readonly max?: number };
  /** Reports what is wrong with the value, if anything. */
  readonly check: (node: ScalarNode, report: Reporter) => void;
}

export interface ListSchema {
  readonly kind: "List";
  readonly doc: string;
  readonly item: ScalarSchema;
}

export interface FieldSpec {
  readonly schema: Schema;
  readonly required?: boolean;
  readonly doc?: string;
}

export type KeyCheck = (key: string, span: Span, report: Reporter) => void;

export interface RecordSchema {
  readonly kind: "Record";
  readonly doc: string;
  readonly fields: Readonly<Record<string, FieldSpec>>;
  /** Keys that are not fields but entries (perm paths): when `matches` holds, the value follows `value`. */
  readonly rest?: { readonly matches: (key: string) => boolean; readonly key?: KeyCheck; readonly value: Schema; readonly doc: string };
  /** A plain value written for the record sets this field (`set apt package vim = "2:9.0"`). */
  readonly shorthand?: string;
}

export interface DictSchema {
  readonly kind: "Dict";
  readonly doc: string;
  readonly keyDoc: string;
  readonly key: KeyCheck;
  readonly value: Schema;
}

export type Schema = ScalarSchema | ListSchema | RecordSchema | DictSchema;

// ---- scalar builders ---------------------------------------------------------------------------------

export function scalarOf(doc: string, check: ScalarSchema["check"]): ScalarSchema {
  return { kind: "Scalar", doc, check };
}

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

/** Any one-line text (or multi-line where allowed), optionally matching a pattern. */
export function str(doc: string, opts: { pattern?: RegExp; code?: Code; what?: string; multiline?: boolean; allowEmpty?: boolean; help?: string } = {}): ScalarSchema {
  return scalarOf(doc, (n, r) => {
    if (!opts.allowEmpty && n.text === "") return r.report(opts.code ?? "DB2008", n.origin, `${opts.what ?? "value"} is empty`);
    if (CONTROL.test(n.text) || (!opts.multiline && n.text.includes("\n"))) {
      return r.report("DB2008", n.origin, `${opts.what ?? "value"} contains a newline or control character`);
    }
    if (opts.pattern && !opts.pattern.test(n.text)) {
      r.report(opts.code ?? "DB2008", n.origin, `${opts.what ?? "value"} \`${n.text}\` is not valid`, opts.help ? { help: opts.help } : {});
    }
  });
}

export function bool(doc: string): ScalarSchema {
  return withValues(["true", "false"], scalarOf(doc, (n, r) => {
    if (n.text !== "true" && n.text !== "false") {
      r.report("DB2007", n.origin, `expected \`true\` or \`false\`, found \`${n.text}\``, hint(n.text, ["true", "false"]));
    }
  }));
}

/** Records the words a scalar accepts, so tools can list them without a second copy. */
export function withValues(values: readonly string[], s: ScalarSchema): ScalarSchema {
  return { ...s, values };
}

export function oneOf(doc: string, words: readonly string[]): ScalarSchema {
  return withValues(words, scalarOf(doc, (n, r) => {
    if (!words.includes(n.text)) {
      r.report("DB2005", n.origin, `expected one of ${words.map((w) => `\`${w}\``).join(", ")}, found \`${n.text}\``, hint(n.text, words));
    }
  }));
}

/** A whole number written in decimal, kept as written; `words` lists accepted non-numbers (`infinity`). */
export function int(doc: string, opts: { min?: number; max?: number; words?: readonly string[]; code?: Code } = {}): ScalarSchema {
  const range = { ...(opts.min !== undefined ? { min: opts.min } : {}), ...(opts.max !== undefined ? { max: opts.max } : {}) };
  return { ...intSchema(doc, opts), range, ...(opts.words ? { values: opts.words } : {}) };
}

function intSchema(doc: string, opts: { min?: number; max?: number; words?: readonly string[]; code?: Code }): ScalarSchema {
  return scalarOf(doc, (n, r) => {
    if (opts.words?.includes(n.text)) return;
    const code = opts.code ?? "DB2006";
    if (!/^-?[0-9]+$/.test(n.text)) {
      const also = opts.words?.length ? ` or ${opts.words.map((w) => `\`${w}\``).join(", ")}` : "";
      return r.report(code, n.origin, `expected a whole number${also}, found \`${n.text}\``, opts.words ? hint(n.text, opts.words) : {});
    }
    const v = BigInt(n.text);
    if (opts.min !== undefined && v < BigInt(opts.min)) r.report(code, n.origin, `\`${n.text}\` is below the minimum of ${opts.min}`);
    else if (opts.max !== undefined && v > BigInt(opts.max)) r.report(code, n.origin, `\`${n.text}\` is above the maximum of ${opts.max}`);
  });
}

export function listOf(doc: string, item: ScalarSchema): ListSchema {
  return { kind: "List", doc, item };
}

function hint(word: string, candidates: readonly string[]): { help?: string } {
  const h = didYouMean(word, candidates);
  return h ? { help: h } : {};
}

// ---- conversion --------------------------------------------------------------------------------------

function describe(v: A.Value): string {
  return v.kind === "Scalar" ? "a value" : v.kind === "List" ? "a list" : "a block";
}
function expectedOf(s: Schema): string {
  return s.kind === "Scalar" ? "a value" : s.kind === "List" ? "a list `[...]`" : "a block `{ ... }`";
}

/** The field named `name`: own fields only, so user text such as `constructor` or `__proto__` is never a field. */
export function fieldOf(schema: RecordSchema, name: string): FieldSpec | undefined {
  return Object.hasOwn(schema.fields, name) ? schema.fields[name] : undefined;
}

/** What the key `key` leads to below `schema`, reporting an unknown field or bad key. */
export function childSchema(schema: Schema, key: A.Name, where: string, r: Reporter): Schema | undefined {
  if (schema.kind === "Record") {
    const f = fieldOf(schema, key.text);
    if (f) return f.schema;
    if (schema.rest?.matches(key.text)) {
      schema.rest.key?.(key.text, key.span, r);
      return schema.rest.value;
    }
    const known = Object.keys(schema.fields);
    const help = didYouMean(key.text, known) ?? (known.length ? `known fields: ${known.map((k) => `\`${k}\``).join(", ")}${schema.rest ? `, or ${schema.rest.doc}` : ""}` : undefined);
    r.report("DB2002", key.span, `unknown field \`${key.text}\` in \`${where}\``, help ? { help } : {});
    return undefined;
  }
  if (schema.kind === "Dict") {
    schema.key(key.text, key.span, r);
    return schema.value;
  }
  r.report("DB2011", key.span, `\`${where}\` takes no further key, found \`${key.text}\``);
  return undefined;
}

/** Converts a syntax value under `schema` into an IR node; undefined when it is unusable (already reported). */
export function toNode(value: A.Value, schema: Schema, where: string, r: Reporter): ConfigNode | undefined {
  if (schema.kind === "Scalar") {
    if (value.kind !== "Scalar") return wrongShape(value, schema, where, r);
    const node: ScalarNode = { kind: "Scalar", text: value.text, form: value.form, origin: value.span };
    schema.check(node, r);
    return node;
  }
  if (schema.kind === "List") {
    if (value.kind !== "List") return wrongShape(value, schema, where, r);
    const items = value.items.map((i): ScalarNode => ({ kind: "Scalar", text: i.text, form: i.form, origin: i.span }));
    for (const i of items) schema.item.check(i, r);
    const node: ListNode = { kind: "List", items, origin: value.span };
    return node;
  }
  if (value.kind === "Scalar" && schema.kind === "Record" && schema.shorthand) {
    const field = schema.fields[schema.shorthand]!;
    const inner = toNode(value, field.schema, `${where} ${schema.shorthand}`, r);
    if (!inner) return undefined;
    return { kind: "Map", entries: new Map([[schema.shorthand, { key: schema.shorthand, keyOrigin: value.span, value: inner }]]), origin: value.span };
  }
  if (value.kind !== "Block") return wrongShape(value, schema, where, r);
  const entries = new Map<string, MapEntry>();
  for (const f of value.fields) {
    const sub = childSchema(schema, f.key, where, r);
    if (!sub) continue;
    const prev = entries.get(f.key.text);
    if (prev) {
      r.report("DB1009", f.key.span, `\`${f.key.text}\` appears twice in this block`, { related: [{ message: "first written here", span: prev.keyOrigin }] });
      continue;
    }
    const node = toNode(f.value, sub, `${where} ${f.key.text}`, r);
    if (node) entries.set(f.key.text, { key: f.key.text, keyOrigin: f.key.span, value: node });
  }
  const map: MapNode = { kind: "Map", entries, origin: value.span };
  return map;
}

function wrongShape(value: A.Value, schema: Schema, where: string, r: Reporter): undefined {
  const help =
    schema.kind === "List" && value.kind === "Scalar" ? `write a list: \`[${value.text}]\`` : schema.kind === "Record" ? "write the fields in a block: `{ name = value ... }`" : undefined;
  r.report("DB2004", value.span, `\`${where}\` expects ${expectedOf(schema)}, found ${describe(value)}`, help ? { help } : {});
  return undefined;
}

const requiredCache = new WeakMap<Schema, boolean>();

/** Whether any record below `schema` has a required field (so a merged configuration needs walking). */
export function hasRequired(schema: Schema): boolean {
  let v = requiredCache.get(schema);
  if (v === undefined) {
    if (schema.kind === "Record") v = Object.values(schema.fields).some((f) => f.required || hasRequired(f.schema)) || (schema.rest ? hasRequired(schema.rest.value) : false);
    else if (schema.kind === "Dict") v = hasRequired(schema.value);
    else v = false;
    requiredCache.set(schema, v);
  }
  return v;
}

/** Reports required fields that a merged configuration lacks. `what` names the entry for the message. */
export function checkRequired(node: ConfigNode, schema: Schema, where: string, r: Reporter): void {
  if (node.kind !== "Map" || !hasRequired(schema)) return;
  // Names for messages are built only on the way into a subtree that can be missing something: this runs for every
  // variant of every module.
  const below = (value: ConfigNode, sub: Schema, key: string) => {
    if (value.kind === "Map" && hasRequired(sub)) checkRequired(value, sub, `${where} ${key}`, r);
  };
  if (schema.kind === "Record") {
    for (const [name, f] of fieldEntries(schema)) {
      const e = node.entries.get(name);
      if (!e && f.required) r.report("DB2003", node.origin, `\`${where}\` is missing \`${name}\``, f.doc ? { help: `\`${name}\`: ${f.doc}` } : {});
      if (e) below(e.value, f.schema, name);
    }
    if (schema.rest) for (const [k, e] of node.entries) if (!fieldOf(schema, k)) below(e.value, schema.rest.value, k);
  } else if (schema.kind === "Dict") {
    for (const [k, e] of node.entries) below(e.value, schema.value, k);
  }
}

const fieldEntryCache = new WeakMap<RecordSchema, [string, FieldSpec][]>();

/** A record's fields as entries, made once per schema. */
function fieldEntries(schema: RecordSchema): readonly [string, FieldSpec][] {
  let e = fieldEntryCache.get(schema);
  if (!e) fieldEntryCache.set(schema, (e = Object.entries(schema.fields)));
  return e;
}
