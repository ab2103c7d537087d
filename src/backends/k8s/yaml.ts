/**
 * A small deterministic YAML writer for Kubernetes objects: block style (lists of scalars in flow style, `[a, b]`,
 * which keeps the long host-name lists compact), keys sorted with `apiVersion`, `kind`, `metadata` and `name` first,
 * comments attached to keys, multi-line text as literal block scalars (`|`, so scripts read as scripts and a changed
 * line is a one-line diff), and strings quoted whenever a YAML 1.1 or 1.2 reader could take them for anything but a
 * string (`0755`, `yes`, `on`, `1e3`, dates), see https://yaml.org/type/bool.html.
 */

export type YamlValue = string | number | boolean | readonly YamlValue[] | YamlMap;
export interface YamlMap {
  readonly [key: string]: YamlValue | undefined;
}

const PRIORITY = ["apiVersion", "kind", "metadata", "name"];
const comments = new WeakMap<object, Map<string, string>>();
const sharedValues = new WeakSet<object>();

/**
 * Marks a map or list that many documents contain (a module's container, the host names its label variants
 * exclude): it is rendered once per indentation and the text reused. It must not change afterwards.
 */
export function shared<T extends YamlMap | readonly YamlValue[]>(value: T): T {
  sharedValues.add(value);
  return value;
}

/** Attaches a `# text` comment above `key` of `map`; the object itself stays plain data (it is validated as is). */
export function commentKey(map: YamlMap, key: string, text: string): void {
  let m = comments.get(map);
  if (!m) comments.set(map, (m = new Map()));
  m.set(key, text);
}

/** One document: optional leading comment lines, then the value. Ends with a newline. */
export function yamlDocument(value: YamlValue, header: readonly string[] = []): string {
  return render(value, header, []);
}

/**
 * The same document as a part of a stream, `---` first: `yamlStream([yamlDocument(v, h)])`, made in one piece
 * because a document can be long (a Secret's scripts) and each concatenation would copy it again.
 */
export function yamlStreamDocument(value: YamlValue, header: readonly string[] = []): string {
  return render(value, header, ["---"]);
}

function render(value: YamlValue, header: readonly string[], out: string[]): string {
  for (const h of header) out.push(commentLine(h));
  block(value, "", out);
  // The empty last line gives the final newline within the one join.
  out.push("");
  return out.join("\n");
}

/** A multi-document stream: each document starts with `---`. */
export function yamlStream(documents: readonly string[]): string {
  return documents.map((d) => `---\n${d}`).join("");
}

// Words YAML 1.1 resolves to booleans or null (compared lower-cased; quoting a few extra strings is harmless).
const SPECIAL_WORDS = new Set(["y", "n", "yes", "no", "true", "false", "on", "off", "null"]);
// Starts with a letter or `/`, so it is never a number, date or sexagesimal; no character YAML gives a meaning to,
// in block or flow context (no `,`, brackets, braces, `:` or `#`).
const PLAIN = /^[A-Za-z/][A-Za-z0-9._/+=-]*$/;
// Characters a YAML reader may take as line breaks or that are not printable: written as escapes.
const UNSAFE = /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g;

export function scalar(value: string | number | boolean): string {
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new Error(`internal: YAML writer takes integers only, got ${value}`);
    return String(value);
  }
  // The special words are short: no need to lower-case (copy) a long string to know it is not one.
  if (PLAIN.test(value) && (value.length > 5 || !SPECIAL_WORDS.has(value.toLowerCase()))) return value;
  return JSON.stringify(value).replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

// Every character YAML 1.1 or 1.2 takes as a line break (CR, LF, NEL, LS, PS), and the backslash that escapes them.
const BREAKS = /[\\\r\n\u0085\u2028\u2029]/g;
const BREAK_ESCAPES: Record<string, string> = { "\\": "\\\\", "\r": "\\r", "\n": "\\n", "\u0085": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029" };

/** A comment line; a line break in the text is written as its escape, so the text cannot end the comment. */
export function commentLine(text: string): string {
  return `# ${text.replace(BREAKS, (c) => BREAK_ESCAPES[c]!)}`.trimEnd();
}

// What a literal block scalar cannot hold: C0 controls but tab and LF, DEL, C1 controls (NEL is a line break to a
// YAML 1.1 reader), LS, PS, byte-order marks, non-characters and lone surrogates.
const NOT_LITERAL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]|\p{Surrogate}/u;

/** Whether `text` is written as a literal block scalar: it has several lines and nothing a block cannot hold. */
function literal(text: string): boolean {
  return text.includes("\n") && !NOT_LITERAL.test(text);
}

/**
 * `text` as a literal block scalar under `head` (`key:` or `-`): the header carries an indentation indicator when the
 * first line starts with a space or is empty (the reader would guess the indentation wrong), and the chomping that
 * keeps the trailing line breaks exactly: `|-` none, `|` one, `|+` more.
 */
function literalBlock(head: string, text: string, indent: string, out: string[]): void {
  const body = text.endsWith("\n") ? text.slice(0, -1) : text;
  const chomp = !text.endsWith("\n") ? "-" : body.endsWith("\n") || body === "" ? "+" : "";
  const indicator = text.startsWith(" ") || text.startsWith("\n") ? "2" : "";
  out.push(`${head} |${indicator}${chomp}`);
  const inner = indent + "  ";
  for (const line of body.split("\n")) out.push(line === "" ? "" : inner + line);
}

const RANK = new Map(PRIORITY.map((k, i) => [k, i]));

function keyBefore(a: string, b: string): boolean {
  const ra = RANK.get(a);
  const rb = RANK.get(b);
  if (ra !== undefined || rb !== undefined) return (ra ?? PRIORITY.length) < (rb ?? PRIORITY.length);
  return a < b;
}

/** The keys with a value, in output order. Maps built in that order (the emitter's own) skip the sort. */
function orderedKeys(map: YamlMap): string[] {
  const keys: string[] = [];
  let sorted = true;
  for (const k in map) {
    if (map[k] === undefined) continue;
    if (sorted && keys.length > 0 && !keyBefore(keys[keys.length - 1]!, k)) sorted = false;
    keys.push(k);
  }
  return sorted ? keys : keys.sort((a, b) => (keyBefore(a, b) ? -1 : 1));
}

const renderedKeys = new Map<string, string>();

function key(k: string): string {
  let r = renderedKeys.get(k);
  if (r === undefined) {
    r = `${scalar(k)}:`;
    if (renderedKeys.size < 10_000) renderedKeys.set(k, r);
  }
  return r;
}

function hasEntries(map: YamlMap): boolean {
  for (const k in map) if (map[k] !== undefined) return true;
  return false;
}

function isScalarList(v: readonly YamlValue[]): boolean {
  for (const i of v) if (typeof i === "object") return false;
  return true;
}

/** A value that fits on the line of its key or dash: a scalar, an empty collection, or a list of scalars. */
function inline(v: YamlValue): string | undefined {
  if (typeof v !== "object") return scalar(v);
  if (Array.isArray(v)) {
    const known = flowCache.get(v);
    if (known !== undefined) return known;
    return isScalarList(v) ? flowList(v as readonly (string | number | boolean)[]) : undefined;
  }
  return hasEntries(v as YamlMap) ? undefined : "{}";
}

const flowCache = new WeakMap<object, string>();

function flowList(items: readonly (string | number | boolean)[]): string {
  const text = `[${items.map(scalar).join(", ")}]`;
  if (sharedValues.has(items)) flowCache.set(items, text);
  return text;
}

// Text of shared values, per value and indentation.
const rendered = new WeakMap<object, Map<string, string>>();

function cachedText(value: object, indent: string): string | undefined {
  return sharedValues.has(value) ? rendered.get(value)?.get(indent) : undefined;
}

function remember(value: object, indent: string, out: string[], from: number): void {
  if (!sharedValues.has(value)) return;
  const text = out.splice(from).join("\n");
  out.push(text);
  let byIndent = rendered.get(value);
  if (!byIndent) rendered.set(value, (byIndent = new Map()));
  byIndent.set(indent, text);
}

function block(v: YamlValue, indent: string, out: string[]): void {
  const one = inline(v);
  if (one !== undefined) out.push(indent + one);
  else if (Array.isArray(v)) sequence(v, indent, out);
  else mapping(v as YamlMap, indent, out);
}

function mapping(map: YamlMap, indent: string, out: string[]): void {
  const hit = cachedText(map, indent);
  if (hit !== undefined) {
    out.push(hit);
    return;
  }
  const from = out.length;
  const notes = comments.get(map);
  for (const k of orderedKeys(map)) {
    const v = map[k]!;
    const note = notes?.get(k);
    if (note !== undefined) out.push(indent + commentLine(note));
    if (typeof v === "string" && literal(v)) {
      literalBlock(indent + key(k), v, indent, out);
      continue;
    }
    const one = inline(v);
    if (one !== undefined) out.push(`${indent}${key(k)} ${one}`);
    else {
      out.push(indent + key(k));
      // Sequences under a key are not indented further, as kubectl writes them.
      if (Array.isArray(v)) sequence(v, indent, out);
      else mapping(v as YamlMap, indent + "  ", out);
    }
  }
  remember(map, indent, out, from);
}

function sequence(items: readonly YamlValue[], indent: string, out: string[]): void {
  const hit = cachedText(items, indent);
  if (hit !== undefined) {
    out.push(hit);
    return;
  }
  const from = out.length;
  const inner = indent + "  ";
  for (const item of items) {
    if (typeof item === "string" && literal(item)) {
      literalBlock(`${indent}-`, item, indent, out);
      continue;
    }
    const one = inline(item);
    if (one !== undefined) {
      out.push(`${indent}- ${one}`);
      continue;
    }
    // The first line of a nested block goes on the dash line; the rest is indented under it.
    const first = out.length;
    if (Array.isArray(item)) sequence(item, inner, out);
    else mapping(item as YamlMap, inner, out);
    out[first] = `${indent}- ${out[first]!.slice(inner.length)}`;
  }
  remember(items, indent, out, from);
}
