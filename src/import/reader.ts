/**
 * Reading Divingbell values the way Divingbell did, for the module translations: type checks (DB4003), values that
 * Divingbell typed or printed differently from how they are written (DB4002), nulls, and the output being built.
 */
import type { DiagnosticBag } from "../diagnostics/diagnostic.js";
import type { Span } from "../diagnostics/span.js";
import { didYouMean } from "../diagnostics/suggest.js";
import { dmap, type DMap, type DNode } from "../syntax/print-values.js";
import { describeResolved, goFloat, goText, naiveBool, resolve, truthy } from "./yaml11.js";
import { kindOf, type YEntry, type YMap, type YNode, type YScalar, type YSeq } from "./yaml-tree.js";

export type Mode = "root" | "override";

export class Cx {
  constructor(readonly bag: DiagnosticBag) {}
  warn(span: Span, message: string, help?: string): void {
    this.bag.report("DB4002", span, message, help ? { help } : {});
  }
  error(span: Span, message: string, help?: string): void {
    this.bag.report("DB4003", span, message, help ? { help } : {});
  }
}

/** One module's translated settings: what the statements set, and what an override removes first. */
export class Out {
  readonly sets: DMap = dmap();
  readonly unsets: string[][] = [];

  set(path: readonly string[], value: DNode): void {
    let m = this.sets;
    for (const k of path.slice(0, -1)) {
      const next = m.entries.get(k);
      if (next?.kind === "map") m = next;
      else {
        const fresh = dmap();
        m.entries.set(k, fresh);
        m = fresh;
      }
    }
    m.entries.set(path[path.length - 1]!, value);
  }

  /** The unsets as joined keys, so an override of thousands of nulls does not compare each with every other. */
  private readonly unsetKeys = new Set<string>();

  unset(path: readonly string[]): void {
    const key = path.join("\0");
    if (this.unsetKeys.has(key)) return;
    this.unsetKeys.add(key);
    this.unsets.push([...path]);
  }
}

/** The state one module translation works in. */
export interface Translation {
  readonly cx: Cx;
  readonly mode: Mode;
  readonly out: Out;
  /** The module's translated root settings: what an override inherits. */
  readonly root: DMap;
  /** The module's root conf in the values file, for collections Divingbell merges before they are translated. */
  readonly rootYaml: YMap | undefined;
}

/**
 * Starts the block of a named entry. An override only creates it when the root lacks it: an override's empty map
 * merges into the root's entry without changing anything.
 */
export function startEntry(t: Translation, path: readonly string[]): void {
  if (t.mode === "root" || !hasPath(t.root, path)) t.out.set(path, dmap());
}

export function isNull(n: YNode): boolean {
  return n.kind === "scalar" && resolve(n).kind === "null";
}

export function hasPath(m: DMap, path: readonly string[]): boolean {
  let cur: DNode | undefined = m;
  for (const k of path) cur = cur?.kind === "map" ? cur.entries.get(k) : undefined;
  return cur !== undefined;
}

/**
 * A null value: dropped in the root conf; in an override it becomes `unset` of what the root has there.
 * Returns true when `n` was null (and so is handled).
 */
export function nullValue(t: Translation, n: YNode, path: readonly string[], where: string): boolean {
  if (!isNull(n)) return false;
  if (t.mode === "root") t.cx.warn(n.span, `\`${where}\` has no value (null), so Divingbell rendered an empty value; dropped`);
  else if (hasPath(t.root, path)) {
    t.out.unset(path);
    t.cx.warn(n.span, `\`${where}\` is null in an override: depending on its merge library Divingbell ignored it or cleared the root value; the policy removes it with \`unset\``);
  } else t.cx.warn(n.span, `\`${where}\` is null in an override and the root conf does not set it; dropped`);
  return true;
}

export function asMap(t: Translation, n: YNode, where: string): YMap | undefined {
  if (n.kind === "map") return n;
  if (!isNull(n)) t.cx.error(n.span, `\`${where}\` should be a map, found ${kindOf(n)}`);
  return undefined;
}

export function asSeq(t: Translation, n: YNode, where: string): YSeq | undefined {
  if (n.kind === "seq") return n;
  if (!isNull(n)) t.cx.error(n.span, `\`${where}\` should be a list, found ${kindOf(n)}`);
  return undefined;
}

/** Reports keys Divingbell does not read; returns the entries it does. */
export function knownFields(t: Translation, m: YMap, fields: readonly string[], where: string, ignored: string): YEntry[] {
  const out: YEntry[] = [];
  for (const e of m.entries) {
    if (fields.includes(e.key.text)) out.push(e);
    else t.cx.warn(e.key.span, `\`${where}.${e.key.text}\` is not a key Divingbell reads (${ignored}); dropped`, didYouMean(e.key.text, fields));
  }
  return out;
}

/** A map key as written, with a note when Divingbell's YAML reading turned it into another name. */
export function keyName(t: Translation, k: YScalar, where: string): string {
  if (k.style !== "plain") return k.text;
  const r = resolve(k);
  if (r.kind === "string") return k.text;
  // Helm converts non-string keys to strings (`on` → "true", `010` → "8").
  const seen = r.kind === "number" && Number.isInteger(r.value) ? String(r.value) : r.kind === "number" ? goFloat(r.value) : goText(r);
  if (seen !== k.text) t.cx.warn(k.span, `Divingbell read the key \`${k.text}\` in \`${where}\` as ${describeResolved(r)} and named it \`${seen}\`; the policy keeps \`${k.text}\``, "quote the key in YAML to make the name explicit");
  return k.text;
}

export interface TextOptions {
  /** Divingbell pasted the value between single quotes without escaping, so a `'` broke its script. */
  readonly singleQuoted?: boolean;
  /** Divingbell wrote the value with `echo -e`, so backslash escapes were interpreted. */
  readonly echoE?: boolean;
}

/** A value used as text: kept as written, with a note where Divingbell typed or printed it differently. */
export function textValue(t: Translation, n: YNode, where: string, opts: TextOptions = {}): string | undefined {
  if (n.kind !== "scalar") {
    t.cx.error(n.span, `\`${where}\` should be a value, found ${kindOf(n)}`);
    return undefined;
  }
  const r = resolve(n);
  const printed = goText(r);
  if (n.style === "plain" && printed !== n.text && r.kind !== "null") {
    t.cx.warn(n.span, `Divingbell read \`${n.text}\` in \`${where}\` as ${describeResolved(r)} and rendered \`${printed}\`; the policy keeps \`${n.text}\` as written`, "quote the value in YAML to make it a string");
  }
  if (opts.singleQuoted && n.text.includes("'")) {
    t.cx.warn(n.span, `\`${where}\` contains a single quote, which broke the script Divingbell generated for it; dbellc passes it intact`);
  }
  if (opts.echoE && n.text.includes("\\")) {
    t.cx.warn(n.span, `Divingbell wrote \`${where}\` with \`echo -e\`, which turned its backslash escapes into other characters; the policy keeps the text as written`);
  }
  return n.text;
}

/** A list of text values. */
export function textList(t: Translation, n: YNode, where: string, opts: TextOptions = {}): string[] | undefined {
  const s = asSeq(t, n, where);
  if (!s) return undefined;
  const out: string[] = [];
  s.items.forEach((item, i) => {
    if (isNull(item)) return t.cx.warn(item.span, `\`${where}[${i}]\` has no value (null); dropped`);
    const v = textValue(t, item, `${where}[${i}]`, opts);
    if (v !== undefined) out.push(v);
  });
  return out;
}

/**
 * A yes/no setting as Divingbell tested it: `truthy` for `{{ if $v }}`, `exact` where only the rendered text `true`
 * counts. Noted when that differs from how the text reads.
 */
export function boolValue(t: Translation, n: YNode, where: string, rule: "truthy" | "exact"): "true" | "false" | undefined {
  if (n.kind !== "scalar") {
    t.cx.error(n.span, `\`${where}\` should be true or false, found ${kindOf(n)}`);
    return undefined;
  }
  const r = resolve(n);
  const value = rule === "truthy" ? truthy(r) : goText(r) === "true";
  const reads = naiveBool(n.text);
  if (reads !== value) {
    const how = rule === "truthy" ? "counts any non-empty text and any non-zero number as true" : "grants it only for the exact value `true`";
    t.cx.warn(n.span, `Divingbell took \`${where}: ${n.text}\` as ${value} (${describeResolved(r)}; it ${how}); the policy keeps ${value}`);
  }
  return value ? "true" : "false";
}
