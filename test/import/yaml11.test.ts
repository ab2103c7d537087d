/** YAML 1.1 typing as Helm's yaml.v2 does it, and Go's `%v` printing of the float64 values Helm turns numbers into. */
import { describe, expect, it } from "vitest";
import { goFloat, goText, resolvePlain, truthy } from "../../src/import/yaml11.js";

describe("resolvePlain", () => {
  it.each([
    ["yes", "bool", true],
    ["On", "bool", true],
    ["y", "bool", true],
    ["N", "bool", false],
    ["off", "bool", false],
    ["~", "null", undefined],
    ["", "null", undefined],
    ["Null", "null", undefined],
    ["0640", "number", 416],
    ["0x1F", "number", 31],
    ["0o17", "number", 15],
    ["0b101", "number", 5],
    ["-0640", "number", -416],
    ["08", "number", 8],
    ["1_000", "number", 1000],
    ["+12", "number", 12],
    ["1e3", "number", 1000],
    [".5", "number", 0.5],
    [".inf", "number", Infinity],
    ["1.2.3", "string", "1.2.3"],
    ["yesterday", "string", "yesterday"],
    ["2001-12-14", "string", "2001-12-14"],
    ["-", "string", "-"],
  ])("%j is %s %j", (text, kind, value) => {
    const r = resolvePlain(text);
    expect(r.kind).toBe(kind);
    if (value !== undefined) expect((r as { value: unknown }).value).toBe(value);
  });
});

describe("goFloat", () => {
  it.each([
    [1000000, "1e+06"],
    [123456, "123456"],
    [1234567, "1.234567e+06"],
    [0.5, "0.5"],
    [0.0001, "0.0001"],
    [0.00001, "1e-05"],
    [1e21, "1e+21"],
    [1e100, "1e+100"],
    [-2500000, "-2.5e+06"],
    [0, "0"],
    [416, "416"],
  ])("%d prints as %s", (x, want) => expect(goFloat(x)).toBe(want));
});

describe("truthiness and printing", () => {
  it("follows Go templates: empty, zero, false and null are false", () => {
    expect(["", "0", "false", "no", "~"].map((t) => truthy(resolvePlain(t)))).toEqual([false, false, false, false, false]);
    expect(truthy({ kind: "string", value: "false" })).toBe(true);
    expect(goText(resolvePlain("True"))).toBe("true");
  });
});
