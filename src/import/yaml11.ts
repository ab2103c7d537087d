/**
 * What Divingbell's Helm made of a scalar: YAML 1.1 typing as Go's yaml.v2 resolves plain scalars, then the JSON
 * round trip Helm applies to values (every number becomes a float64), then Go's `%v` rendering into templates.
 * See divingbell-spec.md §2.1.
 */
import type { YScalar } from "./yaml-tree.js";

export type Resolved =
  | { readonly kind: "null" }
  | { readonly kind: "bool"; readonly value: boolean }
  | { readonly kind: "number"; readonly value: number; readonly how: "decimal" | "octal" | "hex" | "binary" | "float" }
  | { readonly kind: "string"; readonly value: string };

const BOOLS: Readonly<Record<string, boolean>> = Object.fromEntries([
  ...["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"].map((w) => [w, true]),
  ...["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"].map((w) => [w, false]),
]);
const NULLS = new Set(["", "~", "null", "Null", "NULL"]);
const SPECIAL_FLOATS: Readonly<Record<string, number>> = {
  ".inf": Infinity, ".Inf": Infinity, ".INF": Infinity, "+.inf": Infinity, "+.Inf": Infinity, "+.INF": Infinity,
  "-.inf": -Infinity, "-.Inf": -Infinity, "-.INF": -Infinity, ".nan": NaN, ".NaN": NaN, ".NAN": NaN,
};
/** yaml.v2's `yamlStyleFloat`. */
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** Go's strconv.ParseInt with base 0: sign, then 0x / 0o / 0b / leading-0 octal / decimal. */
const GO_INT = /^([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|(0[0-7]*)|([1-9][0-9]*))$/;

export function resolve(s: YScalar): Resolved {
  if (s.style === "empty") return { kind: "null" };
  if (s.style !== "plain") return { kind: "string", value: s.text };
  return resolvePlain(s.text);
}

/** yaml.v2 `resolve()` for an untagged plain scalar. */
export function resolvePlain(text: string): Resolved {
  if (NULLS.has(text)) return { kind: "null" };
  if (text in BOOLS) return { kind: "bool", value: BOOLS[text]! };
  if (text in SPECIAL_FLOATS) return { kind: "number", value: SPECIAL_FLOATS[text]!, how: "float" };
  const first = text[0] ?? "";
  if (first === ".") {
    if (/^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(text)) return { kind: "number", value: Number(text), how: "float" };
    return { kind: "string", value: text };
  }
  if (!/[-+0-9]/.test(first)) return { kind: "string", value: text };
  const plain = text.replace(/_/g, "");
  const m = GO_INT.exec(plain);
  if (m) {
    const sign = m[1] === "-" ? -1 : 1;
    const [digits, radix, how] = m[2] ? [m[2], 16, "hex" as const] : m[3] ? [m[3], 8, "octal" as const] : m[4] ? [m[4], 2, "binary" as const] : m[5] ? [m[5], 8, "octal" as const] : [m[6]!, 10, "decimal" as const];
    const value = Number(BigInt(sign) * parseBig(digits, radix));
    // A lone `0` is octal to Go but means the same; report it as decimal.
    return { kind: "number", value, how: how === "octal" && /^0*$/.test(digits) ? "decimal" : how };
  }
  if (YAML_FLOAT.test(plain)) return { kind: "number", value: Number(plain), how: "float" };
  return { kind: "string", value: text };
}

function parseBig(digits: string, radix: number): bigint {
  let v = 0n;
  for (const d of digits) v = v * BigInt(radix) + BigInt(parseInt(d, radix));
  return v;
}

/** Go's `%v` of a float64: shortest digits, `%e` form when the exponent is below -4 or at least 6 (1000000 → 1e+06). */
export function goFloat(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "+Inf" : "-Inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const [mantissa, expText] = x.toExponential().split("e") as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  return String(x);
}

/** How Divingbell's templates printed the value (`{{ $value }}`). */
export function goText(r: Resolved): string {
  switch (r.kind) {
    case "null":
      return "";
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

/** What a person reading the text would take it to mean, when it reads as a yes or a no. */
export function naiveBool(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  if (["true", "yes", "y", "on", "1"].includes(t)) return true;
  if (["false", "no", "n", "off", "0", ""].includes(t)) return false;
  return undefined;
}

/** "the boolean true", "the octal number 416", ... for messages. */
export function describeResolved(r: Resolved): string {
  switch (r.kind) {
    case "null":
      return "null (no value)";
    case "bool":
      return `the boolean ${r.value}`;
    case "number":
      return r.how === "decimal" || r.how === "float" ? `the number ${goFloat(r.value)}` : `the ${r.how} number ${goFloat(r.value)}`;
    case "string":
      return `the string \`${r.value}\``;
  }
}
