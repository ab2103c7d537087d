/**
 * Reads a Divingbell values file into a located tree: every scalar keeps its text exactly as written, whether it was
 * plain or quoted, and its place in the file, so YAML 1.1 typing is decided later (yaml11.ts) and diagnostics point
 * into the YAML.
 */
import yaml from "js-yaml";
import { DiagnosticBag, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { Span } from "../diagnostics/span.js";

export interface YScalar {
  readonly kind: "scalar";
  /** Plain scalars as written (folded over lines), quoted and block scalars decoded; "" for an empty node. */
  readonly text: string;
  /** `empty` is a node with no content (`key:`), which YAML reads as null. */
  readonly style: "plain" | "quoted" | "block" | "empty";
  readonly span: Span;
}

export interface YEntry {
  readonly key: YScalar;
  readonly value: YNode;
}

export interface YMap {
  readonly kind: "map";
  readonly entries: readonly YEntry[];
  readonly span: Span;
}

export interface YSeq {
  readonly kind: "seq";
  readonly items: readonly YNode[];
  readonly span: Span;
}

export type YNode = YScalar | YMap | YSeq;

export interface YamlResult {
  /** Undefined when the text is not YAML; an empty document gives an empty scalar. */
  readonly root?: YNode;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * js-yaml builds plain JS values; a listener on its node events swaps each scalar for this wrapper, which remembers
 * place and style. Mapping keys are stringified by js-yaml, so a wrapper's string form is a unique marker that the
 * conversion below turns back into the wrapper.
 */
class Wrapped {
  constructor(
    readonly id: number,
    readonly text: string,
    readonly style: YScalar["style"],
    readonly start: number,
    readonly end: number,
  ) {}
  get [Symbol.toStringTag](): string {
    return "Wrapped";
  }
  toString(): string {
    return `\u0000${this.id}\u0000`;
  }
}

const MARKER = /^\u0000(\d+)\u0000$/;

interface ListenerState {
  readonly input: string;
  readonly position: number;
  readonly tag: string | null;
  readonly anchor: string | null;
  result: unknown;
}

/** Offset of a node's content: past spaces, line breaks, comments, a document marker, tags and anchors. */
function contentStart(text: string, from: number): number {
  let i = from;
  for (;;) {
    const c = text[i];
    if (c === " " || c === "\t" || c === "\r" || c === "\n") i++;
    else if (c === "#") while (i < text.length && text[i] !== "\n") i++;
    else if ((c === "!" || c === "&") && i < text.length) while (i < text.length && !/[\s]/.test(text[i]!)) i++;
    else if (c === "-" && text.startsWith("---", i) && (i === 0 || text[i - 1] === "\n") && /[\s]|$/.test(text[i + 3] ?? "")) i += 3;
    else return i;
  }
}

function contentEnd(text: string, start: number, end: number): number {
  let e = end;
  while (e > start && /\s/.test(text[e - 1]!)) e--;
  return e;
}

export function loadYaml(file: string, source: string): YamlResult {
  const bag = new DiagnosticBag();
  // js-yaml drops a leading byte-order mark and may add a final newline; places are computed on the text it reads
  // and shifted back into `source`.
  const shift = source.charCodeAt(0) === 0xfeff ? 1 : 0;
  const text = source.slice(shift);
  const at = (offset: number): number => Math.min(offset, text.length) + shift;
  const wrapped: Wrapped[] = [];
  const spans = new WeakMap<object, Span>();
  const anchors = new Map<string, unknown>();
  const opened: number[] = [];
  const listener = (event: "open" | "close", state: ListenerState): void => {
    if (event === "open") {
      opened.push(state.position);
      return;
    }
    const start = contentStart(text, opened.pop() ?? 0);
    const end = contentEnd(text, start, state.position);
    if (text[start] === "*") {
      // An alias: the same node as its anchor (js-yaml hands back the unwrapped value).
      const named = anchors.get(text.slice(start + 1, end));
      if (named !== undefined) state.result = named;
    } else if (typeof state.result === "string") {
      // Only plain scalars get the non-specific tag `?`; anything else (quoted, block, `!!str`) is a string.
      const c = text[start];
      const style = state.tag === "?" ? "plain" : c === "|" || c === ">" ? "block" : "quoted";
      const w = new Wrapped(wrapped.length, state.result, style, at(start), at(end));
      wrapped.push(w);
      state.result = w;
    } else if (state.result !== null && typeof state.result === "object" && !(state.result instanceof Wrapped) && !spans.has(state.result)) {
      spans.set(state.result, { file, start: at(start), end: at(end) });
    }
    if (state.anchor !== null) anchors.set(state.anchor, state.result);
  };

  for (const m of source.matchAll(NOT_TEXT)) {
    bag.report("DB4001", { file, start: m.index, end: m.index + m[0].length }, /[\uD800-\uDFFF]/.test(m[0]) ? "unpaired UTF-16 surrogate: not a character" : "invalid UTF-8 (read as U+FFFD, the replacement character)", {
      help: "save the values file as UTF-8",
    });
  }
  let raw: unknown;
  try {
    // `listener` is a js-yaml option its type declarations do not list.
    const options = { filename: file, schema: yaml.FAILSAFE_SCHEMA, listener } as unknown as yaml.LoadOptions;
    raw = yaml.load(text, options);
  } catch (e) {
    const err = e as { mark?: { position?: number }; reason?: string; message?: string };
    const where = at(err.mark?.position ?? 0);
    bag.report("DB4001", { file, start: where, end: Math.min(where + 1, source.length) }, `not valid YAML: ${err.reason ?? err.message ?? "unreadable"}`);
    return { diagnostics: bag.items };
  }
  const whole: Span = { file, start: 0, end: source.length };
  const budget = new AliasBudget();
  // Objects being converted right now: meeting one again means an alias inside its own anchor.
  const active = new Set<object>();
  // Objects converted before: meeting one again is an alias being expanded.
  const expanded = new Set<object>();
  let aliasDepth = 0;
  const convert = (v: unknown, fallback: Span, depth = 0): YNode => {
    if (depth > MAX_DEPTH) throw new YamlLimit(fallback, `nested more than ${MAX_DEPTH} levels deep`);
    const isObject = v !== null && typeof v === "object";
    if (isObject && active.has(v)) throw new YamlLimit(spans.get(v) ?? fallback, "an anchor's value contains an alias of itself, which Helm refuses (`anchor value contains itself`)");
    const alias = isObject && expanded.has(v);
    if (alias) aliasDepth++;
    try {
      budget.count(aliasDepth > 0, fallback);
      if (isObject) {
        active.add(v);
        expanded.add(v);
      }
      return convertNode(v, fallback, depth);
    } finally {
      if (isObject) active.delete(v);
      if (alias) aliasDepth--;
    }
  };
  const convertNode = (v: unknown, fallback: Span, depth: number): YNode => {
    if (v instanceof Wrapped) {
      const span = { file, start: v.start, end: v.end };
      // A `"\ud800"` escape makes a lone surrogate that is in no byte of the file.
      if (LONE_SURROGATE.test(v.text)) bag.report("DB4001", span, "this string holds an unpaired UTF-16 surrogate (from a `\\u` escape): not a character", { help: "escape the whole character, e.g. `\\U0001F600`" });
      return { kind: "scalar", text: v.text, style: v.style, span };
    }
    if (v === null || v === undefined) return { kind: "scalar", text: "", style: "empty", span: fallback };
    if (Array.isArray(v)) {
      const span = spans.get(v) ?? fallback;
      return { kind: "seq", items: v.map((i) => convert(i, span, depth + 1)), span };
    }
    if (typeof v === "object") return convertMap(v as Record<string, unknown>, spans.get(v) ?? fallback, depth);
    return { kind: "scalar", text: String(v), style: "quoted", span: fallback };
  };
  const convertMap = (obj: Record<string, unknown>, span: Span, depth: number): YMap => {
    // Explicit entries, and in their place the entries of each `<<` merge key (explicit keys win over merged ones).
    const written: (YEntry | { merged: readonly YEntry[] })[] = [];
    const explicit = new Map<string, YEntry>();
    // Entries a later duplicate replaced; skipped below rather than spliced out one by one (quadratic).
    const removed = new Set<YEntry>();
    for (const [k, v] of Object.entries(obj)) {
      const m = MARKER.exec(k);
      const w = m ? wrapped[Number(m[1])] : undefined;
      if (!w) {
        bag.report("DB4001", span, "a mapping key that is not a plain value (null, list or map) is not supported");
        continue;
      }
      const key: YScalar = { kind: "scalar", text: w.text, style: w.style, span: { file, start: w.start, end: w.end } };
      // go-yaml decodes (and counts) keys as nodes too.
      budget.count(aliasDepth > 0, key.span);
      const value = convert(v, key.span, depth + 1);
      if (key.text === "<<" && key.style === "plain") {
        // YAML merge key, which Helm's YAML library supports.
        const merged: YEntry[] = [];
        for (const src of value.kind === "seq" ? value.items : [value]) {
          if (src.kind === "map") merged.push(...src.entries);
          else bag.report("DB4001", src.span, "`<<` merges only maps");
        }
        written.push({ merged });
        continue;
      }
      const dup = explicit.get(key.text);
      if (dup) {
        bag.report("DB4001", key.span, `duplicate key \`${key.text}\``, { related: [{ message: "first written here", span: dup.key.span }], help: "Helm refuses a values file with a repeated key; keep one" });
        removed.add(dup);
      }
      const entry = { key, value };
      explicit.set(key.text, entry);
      written.push(entry);
    }
    const seen = new Set<string>();
    const entries: YEntry[] = [];
    for (const w of written) {
      if (!("merged" in w) && removed.has(w)) continue;
      for (const e of "merged" in w ? w.merged : [w]) {
        if (seen.has(e.key.text) || ("merged" in w && explicit.has(e.key.text))) continue;
        seen.add(e.key.text);
        entries.push(e);
      }
    }
    return { kind: "map", entries, span };
  };
  try {
    return { root: convert(raw, whole), diagnostics: bag.items };
  } catch (e) {
    if (!(e instanceof YamlLimit)) throw e;
    bag.report("DB4001", e.span, e.message, { help: e.help });
    return { diagnostics: bag.items };
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** U+FFFD (what a reader makes of bytes that are not UTF-8) and lone surrogates, in runs. */
const NOT_TEXT = /(?:\uFFFD|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF])+/g;

/** Divingbell values nest a few levels; far deeper nesting is refused before it can exhaust the stack. */
const MAX_DEPTH = 500;

/** A limit the document breaks; ends the conversion. */
class YamlLimit extends Error {
  constructor(
    readonly span: Span,
    message: string,
    readonly help = "Helm could not have read this values file either",
  ) {
    super(message);
  }
}

/**
 * dbellc's own bound on alias expansion, below Helm's: every expanded value becomes policy text that is then checked,
 * so this keeps a 1 MB values file's import within seconds. Real values files reuse a few anchors in overrides.
 */
const MAX_ALIASED = 50_000;

/**
 * The alias-expansion limit of Helm's YAML reader (go-yaml v2.2.8 and later, decode.go, the fix of CVE-2019-11254):
 * once more than 100 of over 1,000 decoded nodes come from aliases, the share of alias-driven nodes may be at most
 * 99% up to 400,000 nodes, falling linearly to 10% at 4,000,000. A document over it is refused, by Helm and here, so
 * an alias bomb costs at most about 400,000 nodes (and dbellc stops at MAX_ALIASED).
 */
class AliasBudget {
  private decoded = 0;
  private aliased = 0;
  count(inAlias: boolean, span: Span): void {
    this.decoded++;
    if (inAlias) this.aliased++;
    if (this.aliased > 100 && this.decoded > 1000 && this.aliased / this.decoded > allowedAliasRatio(this.decoded)) {
      throw new YamlLimit(span, "the document contains excessive aliasing (an alias bomb), which Helm refuses");
    }
    if (this.aliased > MAX_ALIASED) {
      throw new YamlLimit(span, `aliases here expand to more than ${MAX_ALIASED.toLocaleString("en")} values, more than dbellc imports (Helm allows up to about 400,000)`, "write the repeated settings once, in the root conf, and let the overrides inherit them");
    }
  }
}

function allowedAliasRatio(decoded: number): number {
  const low = 400_000;
  const high = 4_000_000;
  if (decoded <= low) return 0.99;
  if (decoded >= high) return 0.1;
  return 0.99 - (0.89 * (decoded - low)) / (high - low);
}

/** The entry named `key`, if any. */
export function field(map: YMap, key: string): YEntry | undefined {
  return map.entries.find((e) => e.key.text === key);
}

/** A short description of a node's kind for messages. */
export function kindOf(n: YNode): string {
  if (n.kind === "map") return "a map";
  if (n.kind === "seq") return "a list";
  return n.style === "empty" ? "nothing" : "a value";
}
