/**
 * The one renderer of Divingbell's value text (modules/divingbell-value.ts), held to what Go computes. Go is not
 * needed to run this: each expected text follows from go-yaml v2's `resolve()` (resolve.go: the YAML 1.1 bool/null
 * table, strconv.ParseInt/ParseUint with base 0 over the text without `_`, then strconv.ParseFloat only for texts
 * matching `yamlStyleFloat` and only without a range error, else the text stays a string; `YYYY-` timestamps stay
 * strings in interface{}), Helm's JSON round trip (every number becomes a float64), and fmt's `%v` of a float64
 * (`%g` with the shortest digits, `%e` form from exponent 6 on or below -4; `+Inf`; nil prints `<nil>`).
 */
import { describe, expect, it } from "vitest";
import { goText, goValue, resolvePlain } from "../../src/modules/divingbell-value.js";
import { goValue as execHashValue } from "../../src/modules/exec/exec-hash.js";
import { goText as importText } from "../../src/import/yaml11.js";

/** [plain scalar, `{{ $v }}` in a template, `%v` (printf, lists, the exec hash)] */
const GO: readonly [string, string, string][] = [
  // the six texts the exec hash and import once disagreed on
  ["0x10", "16", "16"], // ParseInt base 0: hex
  ["1e3", "1000", "1000"], // ParseInt fails, yamlStyleFloat matches, ParseFloat 1000; %g shortest
  ["1_000", "1000", "1000"], // `_` removed before ParseInt
  ["0o17", "15", "15"], // base-0 ParseInt takes 0o (Go 1.13+)
  ["~", "", "<nil>"], // null: a template prints nothing, %v prints <nil>
  [".inf", "+Inf", "+Inf"], // resolve table: math.Inf(+1); %v prints +Inf
  // numbers
  ["1000000", "1e+06", "1e+06"],
  ["123456", "123456", "123456"],
  ["0640", "416", "416"], // leading-0 octal
  ["08", "8", "8"], // not octal: ParseInt/ParseUint fail, ParseFloat("08") = 8
  ["+0x10", "16", "16"],
  ["-0b101", "-5", "-5"],
  ["0.00001", "1e-05", "1e-05"],
  ["1.50", "1.5", "1.5"],
  ["1.", "1", "1"],
  ["-0.0", "-0", "-0"],
  ["18446744073709551615", "1.8446744073709552e+19", "1.8446744073709552e+19"], // ParseUint: uint64 max
  ["18446744073709551616", "1.8446744073709552e+19", "1.8446744073709552e+19"], // too big for uint64: ParseFloat
  ["-9223372036854775808", "-9.223372036854776e+18", "-9.223372036854776e+18"], // int64 min
  // strings
  ["0x10000000000000000", "0x10000000000000000", "0x10000000000000000"], // 65 bits: ParseInt/Uint fail, not float-style
  ["1e400", "1e400", "1e400"], // ParseFloat range error: kept as text
  ["2001-12-14", "2001-12-14", "2001-12-14"], // a timestamp stays text in interface{}
  ["0b2", "0b2", "0b2"],
  ["1.2.3", "1.2.3", "1.2.3"],
  // booleans
  ["yes", "true", "true"],
  ["Off", "false", "false"],
  ["y", "true", "true"],
];

describe("Divingbell's value text", () => {
  it.each(GO)("%j prints as %j in a template and %j with %%v", (text, template, v) => {
    expect(goText(resolvePlain(text))).toBe(template);
    expect(goValue(resolvePlain(text))).toBe(v);
  });

  it("is the same text for import and for the exec run-record hash", () => {
    for (const [text, template, v] of GO) {
      expect(importText(resolvePlain(text))).toBe(template);
      expect(execHashValue({ kind: "Scalar", text, form: "word", origin: { file: "f", start: 0, end: 1 } })).toBe(v);
    }
  });

  it("decides a megabyte of digits without a quadratic parse", () => {
    const started = performance.now();
    expect(resolvePlain("1".repeat(1_000_000)).kind).toBe("string"); // ParseFloat overflows: a string
    expect(resolvePlain("0x" + "f".repeat(1_000_000)).kind).toBe("string");
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
