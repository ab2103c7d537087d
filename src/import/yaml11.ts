/**
 * What Divingbell's Helm made of a located scalar, and how import describes it. The typing and printing themselves
 * live in modules/divingbell-value.ts, shared with exec's run-record hash.
 */
import { goFloat, resolvePlain, type Resolved } from "../modules/divingbell-value.js";
import type { YScalar } from "./yaml-tree.js";

export type { Resolved } from "../modules/divingbell-value.js";
export { goFloat, goText, resolvePlain, truthy } from "../modules/divingbell-value.js";

export function resolve(s: YScalar): Resolved {
  if (s.style === "empty") return { kind: "null" };
  if (s.style !== "plain") return { kind: "string", value: s.text };
  return resolvePlain(s.text);
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
