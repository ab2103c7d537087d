/** Line indexes: computed once per source text, and right for every offset. */
import { describe, expect, it } from "vitest";
import { lineCol, lineStarts } from "../../src/diagnostics/span.js";
import { whereLine } from "../../src/diagnostics/render.js";

describe("line index", () => {
  it("is built once per text and reused, also by whereLine", () => {
    const text = "a\nbb\n\nccc\n".repeat(1000);
    const first = lineStarts(text);
    expect(lineStarts(text)).toBe(first);
    expect(whereLine({ file: "f", start: text.indexOf("ccc"), end: 0 }, new Map([["f", text]]))).toBe("f:4");
    expect(lineStarts(text)).toBe(first);
  });

  it("stays right when texts leave the cache", () => {
    const texts = Array.from({ length: 40 }, (_, i) => "x\n".repeat(i + 1) + "end");
    for (const t of [...texts, ...texts]) expect(lineCol(lineStarts(t), t.indexOf("end"))).toEqual({ line: t.split("\n").length, col: 1 });
    expect(lineStarts("")).toEqual([0]);
  });
});
