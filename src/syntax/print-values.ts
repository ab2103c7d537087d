/**
 * .dbell text for values, keys and blocks built in code (`dbellc import`): each string gets the form that reads back
 * as exactly the same text (`"""` for multi-line text, '...' for text with backslashes or `$`, "..." with escapes
 * otherwise). The layout rules shared with `format.ts` (when a block fits on one line) live here too.
 */
import { WORD_CHARS } from "./tokens.js";

/** A value of the policy being written: the output counterpart of the IR's config tree. */
export type DNode = DScalar | DList | DMap;

export interface DScalar {
  readonly kind: "scalar";
  readonly text: string;
}

export interface DList {
  readonly kind: "list";
  readonly items: readonly DScalar[];
}

export interface DMap {
  readonly kind: "map";
  /** In the order written. */
  readonly entries: Map<string, DNode>;
}

export const scalar = (text: string): DScalar => ({ kind: "scalar", text });
export const dlist = (items: readonly string[]): DList => ({ kind: "list", items: items.map(scalar) });
export const dmap = (entries: Iterable<readonly [string, DNode]> = []): DMap => ({ kind: "map", entries: new Map(entries) });

const WORD = new RegExp(`^[${WORD_CHARS}]+$`);
/** Words that start statements cannot be keys or list items unquoted. */
const STATEMENT_WORDS = new Set(["set", "unset", "disable", "on"]);
/** Values written bare: names, numbers and paths; anything with other punctuation is quoted for readability. */
const BARE_VALUE = /^[A-Za-z0-9_/][A-Za-z0-9_./-]*$/;

/** A key: bare when the lexer reads it as one word, else a quoted string. */
export function keyText(key: string): string {
  return WORD.test(key) && !STATEMENT_WORDS.has(key) ? key : oneLineString(key);
}

/** A list item or label value: like a key (lists hold words and one-line strings). */
export function itemText(value: string): string {
  return BARE_VALUE.test(value) && !STATEMENT_WORDS.has(value) ? value : oneLineString(value);
}

/** A value after `=`: bare when it is a plain word, else the string form that keeps it exact. */
export function valueText(value: string, indent: string): string {
  if (BARE_VALUE.test(value)) return value;
  return stringText(value, indent);
}

/** The string form of `text`, for a value whose line starts at `indent`. */
export function stringText(text: string, indent: string): string {
  if (text.includes("\n") && !text.includes("\r") && !text.includes('"""')) {
    const lines = text.split("\n");
    if (text.endsWith("\n")) {
      // The closing delimiter's indentation is removed from every line, so the text can be indented with the code.
      const inner = indent + "  ";
      const body = lines.slice(0, -1).map((l) => (l === "" ? "" : inner + l));
      return `"""\n${body.join("\n")}\n${inner}"""`;
    }
    // Without a final newline the last line sits before the closing delimiter, and nothing is de-indented; that
    // needs a last line that is not blank (it would be taken for the indentation) and does not end in a quote.
    if (!/^[ \t]*$/.test(lines[lines.length - 1]!) && !text.endsWith('"')) return `"""\n${text}"""`;
  }
  return oneLineString(text);
}

/** '...' (raw) for text with backslashes or `$`, else "..." with escapes. */
export function oneLineString(text: string): string {
  if (/[\\$]/.test(text) && !/['\n\r]/.test(text) && !CONTROL.test(text)) return `'${text}'`;
  return `"${escape(text)}"`;
}

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

function escape(text: string): string {
  let out = "";
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (ch === "\\") out += "\\\\";
    else if (ch === '"') out += '\\"';
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c === 0) out += "\\0";
    else if (c < 0x20 || c === 0x7f || (c >= 0xd800 && c <= 0xdfff)) out += `\\u{${c.toString(16)}}`;
    else out += ch;
  }
  return out;
}

/** `[a, "b c"]` */
export function listText(l: DList): string {
  return `[${l.items.map((i) => itemText(i.text)).join(", ")}]`;
}

/** The longest block written on one line. */
export const INLINE_BLOCK_WIDTH = 90;

/** `{ a = 1  b = 2 }` from the fields' `key = value` texts, or undefined when that is too long for one line. */
export function inlineBlock(fields: readonly string[]): string | undefined {
  const line = fields.length ? `{ ${fields.join("  ")} }` : "{}";
  return line.length <= INLINE_BLOCK_WIDTH ? line : undefined;
}

/** Whether a block fits on one line: only one-line scalars and lists, and short. */
function inline(m: DMap): string | undefined {
  const parts: string[] = [];
  for (const [k, v] of m.entries) {
    if (v.kind === "map") return undefined;
    if (v.kind === "scalar" && v.text.includes("\n")) return undefined;
    parts.push(`${keyText(k)} = ${v.kind === "list" ? listText(v) : valueText(v.text, "")}`);
  }
  return inlineBlock(parts);
}

/** A block `{ ... }`, inline when short, else one field per line below `indent`. */
export function blockText(m: DMap, indent: string): string {
  const one = inline(m);
  if (one !== undefined) return one;
  const inner = indent + "  ";
  const lines = ["{"];
  for (const [k, v] of m.entries) {
    if (v.kind === "map") lines.push(`${inner}${keyText(k)} ${blockText(v, inner)}`);
    else lines.push(`${inner}${keyText(k)} = ${v.kind === "list" ? listText(v) : valueText(v.text, inner)}`);
  }
  lines.push(`${indent}}`);
  return lines.join("\n");
}

/** The right-hand side of `set ... = VALUE` or `set ... { }` (a block needs no `=`). */
export function assignmentText(v: DNode, indent: string): string {
  if (v.kind === "map") return ` ${blockText(v, indent)}`;
  return ` = ${v.kind === "list" ? listText(v) : valueText(v.text, indent)}`;
}
