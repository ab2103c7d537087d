/**
 * The run-record hash of an exec entry, computed exactly as Divingbell's template does (docs/modules/exec.md), so that a node
 * Divingbell managed keeps its run records (`/var/divingbell/exec/<hash>/`) when it switches to dbellc.
 */
import { createHash } from "node:crypto";
import type { ConfigNode, MapNode, ScalarNode } from "../../ir/ir.js";

/** dbellc field → Divingbell key; every other field has the same name in both. */
const DIVINGBELL_KEY: Readonly<Record<string, string>> = { script: "data" };

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/**
 * Go's `%v` of a float64 (Helm turns every YAML number into one): shortest digits, exponent form from 1e+06 on or
 * below 1e-04 (`1000000` → `1e+06`).
 */
export function goFloat(x: number): string {
  if (x === 0) return "0";
  const [mant, expText] = x.toExponential().split("e") as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) return `${mant}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  return String(x);
}

/** The words go-yaml (YAML 1.1) reads as booleans, which Go then prints as `true`/`false`. */
const YAML_TRUE = /^(y|Y|yes|Yes|YES|on|On|ON|true|True|TRUE)$/;
const YAML_FALSE = /^(n|N|no|No|NO|off|Off|OFF|false|False|FALSE)$/;

/**
 * How Divingbell's template prints a value it read from YAML: a bare word that YAML 1.1 reads as a number is printed
 * as Go prints the float (`0640` is octal 416, `1000000` is `1e+06`), one it reads as a boolean as `true`/`false`;
 * text stays as written.
 */
export function goValue(n: ScalarNode): string {
  if (n.form !== "word") return n.text;
  if (YAML_TRUE.test(n.text)) return "true";
  if (YAML_FALSE.test(n.text)) return "false";
  if (/^[-+]?(0|[1-9][0-9]*)$/.test(n.text) || /^[-+]?[0-9]*\.[0-9]+$/.test(n.text)) return goFloat(Number(n.text));
  if (/^[-+]?0[0-7]+$/.test(n.text)) return goFloat((n.text.startsWith("-") ? -1 : 1) * parseInt(n.text.replace(/^[-+]/, ""), 8));
  return n.text;
}

function render(node: ConfigNode): string {
  if (node.kind === "Scalar") return goValue(node);
  if (node.kind === "List") return `[${node.items.map(goValue).join(" ")}]`;
  return `map[${[...node.entries.values()].sort((a, b) => byteOrder(a.key, b.key)).map((e) => `${e.key}:${render(e.value)}`).join(" ")}]`;
}

/** Go's `%v` of a list of strings. */
function renderList(items: readonly string[]): string {
  return `[${items.join(" ")}]`;
}

/**
 * Divingbell's algorithm: for each key of the entry in sorted order (env expanded per variable, sorted), append
 * `<the list so far>;<key>:<value>` to a list; the hash is sha256 of the printed list. Only keys written in the policy
 * take part, as only keys present in the values did.
 */
export function divingbellHash(entry: MapNode): string {
  const keyed = [...entry.entries.values()].map((e) => ({ key: DIVINGBELL_KEY[e.key] ?? e.key, value: e.value }));
  keyed.sort((a, b) => byteOrder(a.key, b.key));
  const acc: string[] = [];
  for (const { key, value } of keyed) {
    if (key === "env" && value.kind === "Map") {
      for (const v of [...value.entries.values()].sort((a, b) => byteOrder(a.key, b.key))) {
        acc.push(`${renderList(acc)};env:${v.key}:${render(v.value)}`);
      }
    } else {
      acc.push(`${renderList(acc)};${key}:${render(value)}`);
    }
  }
  return createHash("sha256").update(renderList(acc), "utf8").digest("hex");
}
