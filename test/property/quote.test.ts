/**
 * quote() against real bash: random strings full of shell syntax, quoted and passed as arguments, come back
 * byte-identical. Strings are checked in batches, one bash process per batch, as NUL-terminated printf output.
 */
import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { quote } from "../../src/backends/bash/quote.js";

/** Pieces that mean something to bash, mixed with arbitrary code points. */
const SHELL_BITS = [
  "'", '"', "\\", "`", "$(", ")", "${", "}", "$", "$'", "'\\''", "\n", "\r", "\t", " ", "  ", ";", "&", "&&", "|", "||",
  "<", ">", ">>", "<<EOF", "(", "*", "?", "[", "]", "[!a]", "{a,b}", "{1..3}", "~", "~root", "!", "!!", "#", "=", "a=b",
  "-", "--", "-n", "-e", "--help", "%s", "%", "\\n", "\\x41", "\u0001", "\u001b[31m", "\u007f", "é", "ß", "日本", "😀",
  "\u200b", "\ufeff", "IFS", "$IFS", "$((1+1))", "<(true)", "EOF",
];

const piece = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...SHELL_BITS) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 4 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary-ascii", maxLength: 4 }) },
);

/** Any string without NUL (no program argument can hold one) and with well-formed UTF-16 (so it has a UTF-8 form). */
const shellString = fc
  .array(piece, { maxLength: 12 })
  .map((parts) => parts.join(""))
  .filter((s) => !s.includes("\0") && !/\p{Cs}/u.test(s));

/**
 * What bash gets back for each string, used both as a plain command argument and as a function argument (the way
 * host scripts call their module's functions).
 */
function throughBash(values: readonly string[]): { plain: string[]; viaFunction: string[] } {
  const lines = ["out() { printf '%s\\0' \"$@\"; }"];
  for (const v of values) lines.push(`printf '%s\\0' ${quote(v)}`);
  for (const v of values) lines.push(`out ${quote(v)}`);
  const r = spawnSync("bash", ["--norc", "--noprofile", "-s"], { input: Buffer.from(lines.join("\n") + "\n", "utf8"), env: { PATH: process.env["PATH"], LC_ALL: "C.UTF-8" } });
  if (r.status !== 0) throw new Error(`bash failed (${r.status}): ${r.stderr.toString()}`);
  const parts = r.stdout.toString("utf8").split("\0");
  parts.pop();
  return { plain: parts.slice(0, values.length), viaFunction: parts.slice(values.length) };
}

describe("quote", () => {
  it("round-trips random strings through bash byte for byte", () => {
    fc.assert(
      fc.property(fc.array(shellString, { minLength: 1, maxLength: 40 }), (values) => {
        const back = throughBash(values);
        expect(back.plain).toEqual(values);
        expect(back.viaFunction).toEqual(values);
      }),
      { numRuns: 150 },
    );
  });

  it("round-trips the hard cases", () => {
    const hard = ["", "'", "''", "a'b", "$(rm -rf /)", "`id`", "a\nb", "\n", "-", "--", "*", "~", "!$", "\\", "\\'", "é😀", "a b\tc", "x=1"];
    expect(throughBash(hard)).toEqual({ plain: hard, viaFunction: hard });
  });

  it("leaves plain words readable and always yields one word", () => {
    expect(quote("net.ipv4.ip_forward")).toBe("net.ipv4.ip_forward");
    expect(quote("/etc/sysctl.d/60-x.conf")).toBe("/etc/sysctl.d/60-x.conf");
    expect(quote("")).toBe("''");
    expect(quote("a b")).toBe("'a b'");
  });

  it("refuses NUL, which no program argument can carry", () => {
    expect(() => quote("a\0b")).toThrow();
  });
});
