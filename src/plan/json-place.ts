/**
 * Finds where a JSON path is written in JSON text, for error messages: `JSON.parse` keeps no places, and a position
 * index of a whole inventory would cost more than parsing it. Runs only when there is something to report.
 */
import type { Span } from "../diagnostics/span.js";

export type JsonPath = readonly (string | number)[];

/** The span of the value at `path` (or of the deepest part of it that exists); the whole text if it cannot tell. */
export function jsonPlace(file: string, text: string, path: JsonPath): Span {
  const s = new Scanner(text);
  try {
    const found = s.find(path);
    return { file, start: found.start, end: found.end };
  } catch {
    return { file, start: 0, end: Math.min(1, text.length) };
  }
}

const WS = /\s*/y;
const STRING = /"(?:[^"\\]|\\.)*"/y;
const SPECIAL = /"(?:[^"\\]|\\.)*"|[{}[\]]/g;

class Scanner {
  private i = 0;
  constructor(private readonly t: string) {}

  /** Walks down `path`, skipping whatever is not on it. */
  find(path: JsonPath): { start: number; end: number } {
    this.ws();
    let start = this.i;
    for (const step of path) {
      const c = this.t[this.i];
      if (c === "{" && typeof step === "string") {
        if (!this.enterKey(step)) break;
      } else if (c === "[" && typeof step === "number") {
        if (!this.enterIndex(step)) break;
      } else break;
      this.ws();
      start = this.i;
    }
    this.i = start;
    this.value();
    return { start, end: this.i };
  }

  private enterKey(key: string): boolean {
    this.i++;
    for (;;) {
      this.ws();
      if (this.t[this.i] === "}") return false;
      const k = this.string();
      this.ws();
      this.i++; // ':'
      this.ws();
      if (k === key) return true;
      this.value();
      this.ws();
      if (this.t[this.i] === ",") this.i++;
      else return false;
    }
  }

  private enterIndex(index: number): boolean {
    this.i++;
    for (let n = 0; ; n++) {
      this.ws();
      if (this.t[this.i] === "]") return false;
      if (n === index) return true;
      this.value();
      this.ws();
      if (this.t[this.i] === ",") this.i++;
      else return false;
    }
  }

  private ws(): void {
    WS.lastIndex = this.i;
    WS.test(this.t);
    this.i = WS.lastIndex;
  }

  private string(): string {
    const start = this.i;
    STRING.lastIndex = this.i;
    this.i = STRING.test(this.t) ? STRING.lastIndex : this.t.length;
    return JSON.parse(this.t.slice(start, this.i)) as string;
  }

  /** Skips one value. */
  private value(): void {
    const c = this.t[this.i];
    if (c === '"') {
      this.string();
      return;
    }
    if (c === "{" || c === "[") {
      // Jumps from one string or bracket to the next: the text between them never matters here.
      let depth = 0;
      SPECIAL.lastIndex = this.i;
      for (let m = SPECIAL.exec(this.t); m; m = SPECIAL.exec(this.t)) {
        const d = m[0][0];
        if (d === "{" || d === "[") depth++;
        else if (d === "}" || d === "]") depth--;
        if (depth === 0) {
          this.i = SPECIAL.lastIndex;
          return;
        }
      }
      this.i = this.t.length;
      return;
    }
    while (this.i < this.t.length && !/[\s,}\]]/.test(this.t[this.i]!)) this.i++;
  }
}
