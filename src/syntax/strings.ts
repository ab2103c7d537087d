/** Decoding of the three string forms into their exact text, with problems reported by offset. */
import type { Code } from "../diagnostics/codes.js";

export interface StringProblem {
  readonly code: Code;
  /** Offsets relative to the start of the token. */
  readonly start: number;
  readonly end: number;
  readonly message: string;
  readonly help?: string;
}

export interface Decoded {
  readonly text: string;
  readonly problems: readonly StringProblem[];
}

const NO_PROBLEMS: readonly StringProblem[] = Object.freeze([]);

/** Unknown escapes reported per string: a string of a million `\q` is one mistake, not a million. */
const MAX_ESCAPE_PROBLEMS = 10;

const SIMPLE_ESCAPES: Record<string, string> = { "\\": "\\", '"': '"', "'": "'", n: "\n", r: "\r", t: "\t", "0": "\0", $: "$" };

/** `"..."`: backslash escapes `\\ \" \' \n \r \t \0 \$ \u{HEX}`. `closed` is false for a string cut off at the line end. */
export function decodeQuoted(raw: string, closed: boolean): Decoded {
  const body = closed ? raw.slice(1, -1) : raw.slice(1);
  // Most strings have no escape at all: their text is what is written.
  if (closed && !body.includes("\\")) return { text: body, problems: NO_PROBLEMS };
  const problems: StringProblem[] = [];
  let unknown = 0;
  let firstUnlisted = 0;
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== "\\") {
      out += c;
      continue;
    }
    const n = body[i + 1];
    if (n === undefined) break;
    if (Object.hasOwn(SIMPLE_ESCAPES, n)) {
      out += SIMPLE_ESCAPES[n];
      i++;
      continue;
    }
    const unicode = /^u\{([0-9A-Fa-f]{1,6})\}/.exec(body.slice(i + 1, i + 10));
    const code = unicode ? parseInt(unicode[1]!, 16) : -1;
    if (unicode && (code >= 0xd800 && code <= 0xdfff)) {
      problems.push({ code: "DB1003", start: i + 1, end: i + 1 + unicode[0].length + 1, message: `\`\\${unicode[0]}\` is a surrogate, not a character`, help: "write the character's own code point, e.g. `\\u{1f600}`" });
      i += unicode[0].length;
      continue;
    }
    if (unicode && code <= 0x10ffff) {
      out += String.fromCodePoint(parseInt(unicode[1]!, 16));
      i += unicode[0].length;
      continue;
    }
    unknown++;
    if (unknown === MAX_ESCAPE_PROBLEMS + 1) firstUnlisted = i + 1;
    if (unknown <= MAX_ESCAPE_PROBLEMS) {
      problems.push({
        code: "DB1003",
        start: i + 1,
        end: i + 3,
        message: `unknown escape sequence \`\\${n}\``,
        help: "escapes are \\\\ \\\" \\' \\n \\r \\t \\0 \\$ and \\u{HEX}; for text full of backslashes use '...' or \"\"\"",
      });
    }
    out += n;
    i++;
  }
  if (unknown > MAX_ESCAPE_PROBLEMS) {
    problems.push({ code: "DB1003", start: firstUnlisted, end: firstUnlisted + 2, message: `${unknown - MAX_ESCAPE_PROBLEMS} more unknown escape sequences in this string, from here on` });
  }
  if (!closed) problems.push({ code: "DB1002", start: 0, end: raw.length, message: "unterminated string", help: "close the string with `\"` on the same line, or use `\"\"\"` for text over several lines" });
  return { text: out, problems };
}

/** `'...'`: raw text, no escapes. */
export function decodeRaw(raw: string, closed: boolean): Decoded {
  if (closed) return { text: raw.slice(1, -1), problems: NO_PROBLEMS };
  return { text: raw.slice(1), problems: [{ code: "DB1002", start: 0, end: raw.length, message: "unterminated string", help: "close the string with `'` on the same line" }] };
}

/**
 * `"""` newline, lines, then `"""` on a line of its own: raw text. The indentation in front of the closing `"""` is
 * removed from every line, and every line keeps its newline. Text in front of the closing `"""` becomes a last line
 * without a newline (and no indentation is removed).
 */
export function decodeMultiline(raw: string, closed: boolean): Decoded {
  const problems: StringProblem[] = [];
  const inner = closed ? raw.slice(3, -3) : raw.slice(3);
  if (!closed) problems.push({ code: "DB1002", start: 0, end: 3, message: "unterminated multi-line string", help: 'close it with `"""` on a line of its own' });
  const firstBreak = inner.indexOf("\n");
  const opening = firstBreak < 0 ? inner : inner.slice(0, firstBreak);
  if (firstBreak < 0 || opening.trim() !== "") {
    problems.push({ code: "DB1008", start: 0, end: 3 + opening.length, message: "text after the opening `\"\"\"`", help: 'start the text on the line after `"""`, or use "..." for one line' });
    return { text: inner, problems };
  }
  const rawLines = inner.slice(firstBreak + 1).split("\n");
  const lines = rawLines.map((l) => l.replace(/\r$/, ""));
  const last = lines.pop() ?? "";
  const lastIsIndent = /^[ \t]*$/.test(last);
  const indent = lastIsIndent ? last : "";
  let offset = 3 + firstBreak + 1;
  let text = "";
  for (const [i, line] of lines.entries()) {
    if (line.startsWith(indent)) text += line.slice(indent.length) + "\n";
    else if (line.trim() === "") text += "\n";
    else {
      problems.push({ code: "DB1008", start: offset, end: offset + line.length, message: "line is indented less than the closing `\"\"\"`", help: "indent every line at least as far as the closing delimiter" });
      text += line.trimStart() + "\n";
    }
    offset += (rawLines[i]?.length ?? line.length) + 1;
  }
  if (!lastIsIndent) text += last;
  return { text, problems };
}
