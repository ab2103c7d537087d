/**
 * The run-record hash of an exec entry, computed exactly as Divingbell's template does (docs/modules/exec.md), so that a node
 * Divingbell managed keeps its run records (`/var/divingbell/exec/<hash>/`) when it switches to dbellc.
 */
import { createHash } from "node:crypto";
import type { ConfigNode, MapNode, ScalarNode } from "../../ir/ir.js";
import { goValue as goPrint, resolvePlain } from "../divingbell-value.js";
export { goFloat } from "../divingbell-value.js";

/** dbellc field → Divingbell key; every other field has the same name in both. */
const DIVINGBELL_KEY: Readonly<Record<string, string>> = { script: "data" };

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/**
 * How Divingbell's template prints a value it read from YAML (Go's `%v`): a bare word is typed as go-yaml types the
 * plain scalar (`0640` is octal 416, `1000000` is `1e+06`, `on` is `true`); text stays as written.
 */
export function goValue(n: ScalarNode): string {
  return n.form === "word" ? goPrint(resolvePlain(n.text)) : n.text;
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
  const keyed = [...entry.entries.values()].map((e) => ({ key: Object.hasOwn(DIVINGBELL_KEY, e.key) ? DIVINGBELL_KEY[e.key]! : e.key, value: e.value }));
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
