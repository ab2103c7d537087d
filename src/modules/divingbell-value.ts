/**
 * What Divingbell's Helm made of a plain YAML scalar, and how Go printed it: the one implementation, used by import
 * (to see where a values file meant something other than what it reads as) and by exec's run-record hash (which
 * must hash the text Divingbell hashed). Helm reads values with go-yaml v2 into interface{} (YAML 1.1 typing, its
 * `resolve()`), turns them into JSON and back, so every number becomes a float64, and templates print with Go's fmt.
 * docs/import.md (How the YAML is read) says what this means for a values file.
 */

export type Resolved =
  | { readonly kind: "null" }
  | { readonly kind: "bool"; readonly value: boolean }
  | { readonly kind: "number"; readonly value: number; readonly how: "decimal" | "octal" | "hex" | "binary" | "float" }
  | { readonly kind: "string"; readonly value: string };

/** go-yaml v2's resolve table: YAML 1.1 booleans and nulls, and the special floats. Own properties only. */
const WORDS: ReadonlyMap<string, Resolved> = new Map<string, Resolved>([
  ...["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"].map((w): [string, Resolved] => [w, { kind: "bool", value: true }]),
  ...["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"].map((w): [string, Resolved] => [w, { kind: "bool", value: false }]),
  ...["", "~", "null", "Null", "NULL"].map((w): [string, Resolved] => [w, { kind: "null" }]),
  ...[".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"].map((w): [string, Resolved] => [w, { kind: "number", value: Infinity, how: "float" }]),
  ...["-.inf", "-.Inf", "-.INF"].map((w): [string, Resolved] => [w, { kind: "number", value: -Infinity, how: "float" }]),
  ...[".nan", ".NaN", ".NAN"].map((w): [string, Resolved] => [w, { kind: "number", value: NaN, how: "float" }]),
]);

/** go-yaml's `yamlStyleFloat`: the only texts it hands to strconv.ParseFloat. */
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** strconv.ParseInt/ParseUint with base 0: sign, then 0x / 0o / 0b / leading-0 octal / decimal (prefixes in either case). */
const GO_INT = /^([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|(0[0-7]*)|([1-9][0-9]*))$/;
/** go-yaml's timestamp quick check (YYYY-...): such a scalar stays a string when read into interface{}. */
const TIMESTAMP_LIKE = /^[0-9]{4}-/;

const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

/** go-yaml v2's `resolve()` for an untagged plain scalar, as Helm receives it in interface{}. */
export function resolvePlain(text: string): Resolved {
  const word = WORDS.get(text);
  if (word) return word;
  const first = text[0] ?? "";
  if (first === ".") {
    if (/^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(text)) return finiteFloat(text);
    return { kind: "string", value: text };
  }
  if (!/[-+0-9]/.test(first) || TIMESTAMP_LIKE.test(text)) return { kind: "string", value: text };
  const plain = text.replace(/_/g, "");
  const m = GO_INT.exec(plain);
  if (m) {
    const [digits, radix, how] = m[2] ? [m[2], 16, "hex" as const] : m[3] ? [m[3], 8, "octal" as const] : m[4] ? [m[4], 2, "binary" as const] : m[5] ? [m[5], 8, "octal" as const] : [m[6]!, 10, "decimal" as const];
    const magnitude = parseBounded(digits, radix);
    // ParseInt takes what fits in int64, ParseUint (no sign allowed) what fits in uint64; anything larger goes on.
    const fits = magnitude !== undefined && (m[1] === "-" ? magnitude <= INT64_MAX + 1n : m[1] === "+" ? magnitude <= INT64_MAX : magnitude <= UINT64_MAX);
    if (fits) {
      // A lone `0` is octal to Go but means the same; report it as decimal.
      return { kind: "number", value: (m[1] === "-" ? -1 : 1) * Number(magnitude), how: how === "octal" && /^0*$/.test(digits) ? "decimal" : how };
    }
  }
  if (YAML_FLOAT.test(plain)) return finiteFloat(plain);
  return { kind: "string", value: text };
}

/** strconv.ParseFloat: a value beyond float64's range is an error there, so go-yaml keeps the text as a string. */
function finiteFloat(text: string): Resolved {
  const value = Number(text);
  return Number.isFinite(value) ? { kind: "number", value, how: "float" } : { kind: "string", value: text };
}

/**
 * The digits' value, or undefined when it needs more than 64 bits: bounded, so a megabyte of digits costs one length
 * check instead of a quadratic big-number parse.
 */
function parseBounded(digits: string, radix: number): bigint | undefined {
  const significant = digits.replace(/^0+/, "");
  const maxDigits = radix === 16 ? 16 : radix === 8 ? 22 : radix === 2 ? 64 : 20;
  if (significant.length > maxDigits) return undefined;
  if (significant === "") return 0n;
  const prefix = radix === 16 ? "0x" : radix === 8 ? "0o" : radix === 2 ? "0b" : "";
  const v = BigInt(prefix + significant);
  return v <= UINT64_MAX + 1n ? v : undefined;
}

/** Go's `%v` of a float64 (`%g`, shortest digits): `%e` form when the exponent is below -4 or at least 6, so 1000000 → 1e+06. */
export function goFloat(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "+Inf" : "-Inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const [mantissa, expText] = x.toExponential().split("e") as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  return String(x);
}

/** How a template printed the value (`{{ $value }}`): nothing for null. */
export function goText(r: Resolved): string {
  return r.kind === "null" ? "" : goValue(r);
}

/** Go's `%v` of the value (as in printf and in a printed list): `<nil>` for null. */
export function goValue(r: Resolved): string {
  switch (r.kind) {
    case "null":
      return "<nil>";
    case "bool":
      return String(r.value);
    case "number":
      return goFloat(r.value);
    case "string":
      return r.value;
  }
}

/** Go template truthiness (`{{ if $value }}`): false, 0, null and "" are false, anything else is true. */
export function truthy(r: Resolved): boolean {
  switch (r.kind) {
    case "null":
      return false;
    case "bool":
      return r.value;
    case "number":
      return r.value !== 0;
    case "string":
      return r.value !== "";
  }
}
