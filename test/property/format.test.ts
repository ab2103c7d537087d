/**
 * Properties of `dbellc fmt`: formatting twice changes nothing more, and the formatted policy means the same (the
 * same diagnostics by code, variants and settings) over random policies, random edits of the examples and every
 * example and golden input.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyze, type Analysis } from "../../src/compile.js";
import { format } from "../../src/syntax/format.js";

const root = join(import.meta.dirname, "../..");

function dbellFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) return dbellFiles(p);
    return e.endsWith(".dbell") ? [p] : [];
  });
}
const inputs = [...dbellFiles(join(root, "examples")), ...dbellFiles(join(root, "test/golden")), ...dbellFiles(join(root, "src/modules"))]
  .sort()
  .map((p) => ({ path: p, text: readFileSync(p, "utf8") }));

/** What a policy means, without places: codes of its diagnostics, and per module every variant with its settings. */
function meaning(a: Analysis): unknown {
  const noPlaces = (_k: string, v: unknown) => (_k === "origin" || _k === "origins" || _k === "span" ? undefined : v);
  const variants = a.policy.modules.map((m) => {
    const mv = a.resolution.variants(m);
    return [m, [...mv.hosts, ...mv.labels, mv.fallback].map((v) => [v.id, JSON.stringify(v.config, noPlaces)])];
  });
  return { codes: a.diagnostics.map((d) => d.code).sort(), modules: a.policy.modules, variants };
}

function checkFormat(text: string): void {
  const once = format("p.dbell", text);
  if (once.text === undefined) {
    expect(once.diagnostics.some((d) => d.severity === "error")).toBe(true);
    return;
  }
  expect(format("p.dbell", once.text).text).toBe(once.text);
  expect(meaning(analyze([{ file: "p.dbell", text: once.text }]))).toEqual(meaning(analyze([{ file: "p.dbell", text }])));
}

const sp = fc.constantFrom(" ", "  ", "\n", " \n\n ", "\t");
const comment = fc.constantFrom("", " # note\n", "\n# own line\n", " #\n");
const word = fc.constantFrom("vm.a", "vm.b", "net.core.c", "kernel.d", "fs.e");
const scalar = fc.constantFrom("1", "0644", "0x1F", '"a b"', "'$6$x'", "007", '"""\n  x\n  """', "on", "off");
const labelKey = fc.constantFrom("role", "zone", '"team/x"');
const labelValues = fc.array(fc.constantFrom("a", "b", '"c d"'), { minLength: 1, maxLength: 3 });
const sep = fc.constantFrom("", ";");

const setSysctl = fc.tuple(word, scalar, sp, comment, sep).map(([k, v, s, c, e]) => `set sysctl${s}${k} =${s}${v}${e}${c}`);
const setBlock = fc.tuple(fc.array(fc.tuple(word, scalar, fc.constantFrom("", ";", ",")), { maxLength: 4 }), sp, comment)
  .map(([fs, s, c]) => `set sysctl {${s}${fs.map(([k, v, e]) => `${k} = ${v}${e}`).join(s)}${c}}`);
const setLimits = fc.tuple(fc.constantFrom("a", "b"), fc.constantFrom("soft", "hard"), sp)
  .map(([n, t, s]) => `set limits ${n} {${s}domain = "*"${s}type = ${t}  item = nofile${s}value = 10 }`);
const unset = fc.tuple(word, comment).map(([k, c]) => `unset sysctl ${k}${c}`);
const inner = fc.oneof(setSysctl, setBlock, setLimits, unset);
const onRule = fc.tuple(fc.oneof(fc.tuple(labelKey, labelValues).map(([k, vs]) => `label ${k} in [${vs.join(",")}]`), fc.constantFrom("host h1", "host h2")),
  fc.array(fc.tuple(inner, sp), { maxLength: 3 }), comment, fc.boolean())
  .map(([t, body, c, short]) => (short && body.length ? `on ${t} ${body[0]![0].replace(/#[^\n]*\n?$/, "")}` : `on ${t} {${c}${body.map(([s, w]) => s + w).join("\n")}\n}`));
const statement = fc.oneof(setSysctl, setBlock, setLimits, unset, onRule, fc.constant("disable ethtool"));
const policy = fc.tuple(comment, fc.array(fc.tuple(statement, sp), { maxLength: 8 })).map(([c, ss]) => c + ss.map(([s, w]) => `${s}\n${w}`).join(""));

/** A random deletion or insertion of punctuation applied to an example (most results still parse). */
const edited = fc.tuple(fc.nat({ max: inputs.length - 1 }), fc.nat(), fc.nat({ max: 6 }), fc.constantFrom("", " ", "\n", "# c\n", ";", "{", "}", '"x"'))
  .map(([i, at, len, ins]) => {
    const t = inputs[i]!.text;
    const p = t.length ? at % t.length : 0;
    return t.slice(0, p) + ins + t.slice(p + len);
  });

/** Text made of the characters and words that matter to the lexer: most of it does not parse, some does. */
const lexical = fc
  .array(fc.constantFrom("set ", "sysctl ", "vm.a ", "= ", "1", "{", "}", "[", "]", ",", ";", "on ", "label ", "host ", "in ", "x ", "# c\n", "\n", "\n\n", '"s"', "'r'", '"""\n  t\n  """', "unset ", "disable "), { maxLength: 40 })
  .map((parts) => parts.join(""));

describe("fmt properties", () => {
  it("has inputs to check", () => expect(inputs.length).toBeGreaterThan(10));

  it("is idempotent and keeps the meaning of every example and golden input", () => {
    for (const { path, text } of inputs) {
      const r = format(path, text);
      if (r.text === undefined) continue;
      expect(format(path, r.text).text, path).toBe(r.text);
      expect(meaning(analyze([{ file: "p.dbell", text: r.text }])), path).toEqual(meaning(analyze([{ file: "p.dbell", text }])));
    }
  });

  it("is idempotent and keeps the meaning of random policies", () => {
    fc.assert(fc.property(policy, checkFormat), { numRuns: 300 });
  });

  it("never throws on lexically random text, and refuses or keeps the meaning", () => {
    fc.assert(fc.property(lexical, checkFormat), { numRuns: 500 });
  });

  it("is idempotent and keeps the meaning of random edits of the inputs", () => {
    fc.assert(fc.property(edited, checkFormat), { numRuns: 300 });
  });
});
