/** Any text survives the import: YAML string → .dbell string form → parser → the same text (keys, values, lists, scripts). */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { importValues } from "../../src/import/import-values.js";
import type { Block, SetStatement, Statement, Value } from "../../src/syntax/ast.js";
import { parse } from "../../src/syntax/parse.js";

const tricky = ["'", '"', "\\", "$", "\n", "\r", "\t", "\0", "\u0001", "\u007f", "#", "{", "}", "[", "]", ",", "=", " ", '"""', "${x}", "$(id)", "`", "\u2028", "\ufeff", "set", "on"];
const text = fc.string({ unit: fc.oneof(fc.constantFrom(...tricky), fc.string({ unit: "binary", minLength: 1, maxLength: 1 })), maxLength: 24 });

/** A YAML double-quoted scalar holding exactly `s`: every character outside printable ASCII as an escape. */
function yamlString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (s[i] === '"' || s[i] === "\\") out += "\\" + s[i];
    else if (c >= 0x20 && c < 0x7f) out += s[i];
    else out += `\\u${c.toString(16).padStart(4, "0")}`;
  }
  return out + '"';
}

function sets(statements: readonly Statement[]): SetStatement[] {
  return statements.flatMap((s) => (s.kind === "Set" ? [s] : s.kind === "On" ? sets(s.body) : []));
}

function fieldOf(v: Value, name: string): Value | undefined {
  return (v as Block).fields.find((f) => f.key.text === name)?.value;
}

describe("import string forms", () => {
  it("keep every key, value, list item, label value, host name and script exactly", () => {
    fc.assert(
      fc.property(text, text, text, text.filter((s) => s !== ""), (key, value, item, script) => {
        const yaml = [
          "conf:",
          "  sysctl:",
          `    ${yamlString(key)}: ${yamlString(value)}`,
          "  exec:",
          "    x.sh:",
          `      args: [${yamlString(item)}]`,
          `      data: ${yamlString(script)}`,
          "  overrides:",
          "    divingbell_sysctl:",
          `      hosts: [{name: ${yamlString(value)}, conf: {sysctl: {k: "1"}}}]`,
          `      labels: [{label: {key: l, values: [${yamlString(item)}]}, conf: {sysctl: {k: "2"}}}]`,
        ].join("\n");
        const r = importValues("v.yaml", yaml);
        expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        const p = parse("p.dbell", r.dbell!);
        expect(p.diagnostics).toEqual([]);
        const all = sets(p.ast.statements);
        const sysctl = all.find((s) => s.module.text === "sysctl")!;
        expect([sysctl.path[0]!.text, (sysctl.value as { text: string }).text]).toEqual([key, value]);
        const exec = all.find((s) => s.module.text === "exec")!;
        const args = fieldOf(exec.value, "args");
        expect(args?.kind === "List" ? args.items.map((i) => i.text) : args).toEqual([item]);
        const body = fieldOf(exec.value, "script");
        expect(body?.kind === "Scalar" ? body.text : body).toBe(script);
        const targets = p.ast.statements.flatMap((s) => (s.kind === "On" ? [s.target] : []));
        expect(targets.map((t) => (t.kind === "HostTarget" ? t.name.text : t.values.map((v) => v.text).join("|")))).toEqual([item, value]);
      }),
      { numRuns: 300 },
    );
  });
});
