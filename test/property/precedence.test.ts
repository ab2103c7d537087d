/**
 * Precedence against a small, obviously-correct reference model (docs/language.md, Semantics): per module, host rule > last
 * matching label rule > defaults; defaults minus unsets, merged with the rule's settings.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/compile.js";
import type { ConfigNode } from "../../src/ir/ir.js";
import { leaves } from "../../src/ir/tree.js";

type Target = { kind: "host"; name: string } | { kind: "label"; key: string; values: string[] };
interface Rule {
  target: Target;
  sets: [string, string][];
  unsets: string[];
}
interface PolicyModel {
  defaults: [string, string][];
  rules: Rule[];
}
interface Node {
  hostname: string;
  labels: Map<string, string>;
}

const KEYS = ["vm.a", "vm.b", "net.core.c", "kernel.d"];
const HOSTS = ["h1", "h2", "h3"];
const LABEL_KEYS = ["role", "zone", "rack"];
const LABEL_VALUES = ["x", "y", "z"];

const setsArb = fc.uniqueArray(fc.tuple(fc.constantFrom(...KEYS), fc.integer({ min: 0, max: 5 }).map(String)), { selector: (s) => s[0], maxLength: 3 });
const targetArb: fc.Arbitrary<Target> = fc.oneof(
  fc.constantFrom(...HOSTS).map((name) => ({ kind: "host" as const, name })),
  fc.tuple(fc.constantFrom(...LABEL_KEYS), fc.uniqueArray(fc.constantFrom(...LABEL_VALUES), { minLength: 1, maxLength: 2 })).map(([key, values]) => ({ kind: "label" as const, key, values: values.sort() })),
);
const ruleArb: fc.Arbitrary<Rule> = fc.record({ target: targetArb, sets: setsArb, unsets: fc.uniqueArray(fc.constantFrom(...KEYS), { maxLength: 2 }) }).filter((r) => r.sets.length + r.unsets.length > 0);
const policyArb: fc.Arbitrary<PolicyModel> = fc
  .record({ defaults: setsArb, rules: fc.array(ruleArb, { maxLength: 6 }) })
  // One rule per target (blocks naming the same target are one rule), and no key both unset and set in one rule.
  .map((p) => ({
    defaults: p.defaults,
    rules: p.rules
      .filter((r, i) => p.rules.findIndex((o) => tkey(o.target) === tkey(r.target)) === i)
      .map((r) => ({ ...r, unsets: r.unsets.filter((u) => !r.sets.some(([k]) => k === u)) })),
  }));
const nodeArb: fc.Arbitrary<Node> = fc.record({
  hostname: fc.constantFrom(...HOSTS, "other"),
  labels: fc.uniqueArray(fc.tuple(fc.constantFrom(...LABEL_KEYS), fc.constantFrom(...LABEL_VALUES)), { selector: (l) => l[0], maxLength: 3 }).map((l) => new Map(l)),
});

function tkey(t: Target): string {
  return t.kind === "host" ? `host ${t.name}` : `label ${t.key} in [${t.values.join(", ")}]`;
}

/** The reference model: which rule, then defaults minus unsets plus sets. */
function reference(p: PolicyModel, node: Node): Record<string, string> {
  const rule =
    p.rules.find((r) => r.target.kind === "host" && r.target.name === node.hostname) ??
    [...p.rules].reverse().find((r) => r.target.kind === "label" && r.target.values.includes(node.labels.get(r.target.key) ?? "\0"));
  const out: Record<string, string> = Object.fromEntries(p.defaults);
  if (rule) {
    for (const u of rule.unsets) delete out[u];
    for (const [k, v] of rule.sets) out[k] = v;
  }
  return out;
}

/** Renders the policy; `split` spreads each rule over one block per statement and two files. */
function render(p: PolicyModel, split: boolean): { file: string; text: string }[] {
  const head = p.defaults.map(([k, v]) => `set sysctl ${k} = ${v}`);
  const stmts = (r: Rule) => [...r.unsets.map((u) => `unset sysctl ${u}`), ...r.sets.map(([k, v]) => `set sysctl ${k} = ${v}`)];
  if (!split) return [{ file: "a.dbell", text: [...head, ...p.rules.map((r) => `on ${tkey(r.target)} {\n  ${stmts(r).join("\n  ")}\n}`)].join("\n") + "\n" }];
  // Each rule's first block stays in order (it fixes the rule's position); later blocks go to a second file.
  const first: string[] = [...head];
  const second: string[] = [];
  for (const r of p.rules) {
    const [one, ...rest] = stmts(r);
    first.push(`on ${tkey(r.target)} ${one}`);
    for (const s of rest) second.push(`on ${tkey(r.target)} { ${s} }`);
  }
  return [
    { file: "a.dbell", text: first.join("\n") + "\n" },
    { file: "b.dbell", text: second.join("\n") + "\n" },
  ];
}

function flat(n: ConfigNode): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of leaves(n)) if (l.node.kind === "Scalar") out[l.path.join(" ")] = l.node.text;
  return out;
}

function resolved(files: { file: string; text: string }[], node: Node) {
  const a = analyze(files);
  // Overlap findings (DB3xxx) are reported, but resolution is defined for every policy that lowers.
  expect(a.diagnostics.filter((d) => d.severity === "error" && !d.code.startsWith("DB3"))).toEqual([]);
  const v = a.resolution.variantFor("sysctl", { hostname: node.hostname, labels: node.labels });
  return { config: flat(v.config), id: v.id };
}

describe("precedence", () => {
  it("agrees with the reference model", () => {
    fc.assert(
      fc.property(policyArb, fc.array(nodeArb, { minLength: 1, maxLength: 5 }), (p, nodes) => {
        const files = render(p, false);
        for (const n of nodes) expect(resolved(files, n).config).toEqual(reference(p, n));
      }),
      { numRuns: 300 },
    );
  });

  it("does not depend on how rules are split across blocks and files", () => {
    fc.assert(
      fc.property(policyArb, fc.array(nodeArb, { minLength: 1, maxLength: 5 }), (p, nodes) => {
        for (const n of nodes) expect(resolved(render(p, true), n)).toEqual(resolved(render(p, false), n));
      }),
      { numRuns: 200 },
    );
  });

  it("is deterministic", () => {
    fc.assert(
      fc.property(policyArb, nodeArb, (p, n) => {
        expect(resolved(render(p, false), n)).toEqual(resolved(render(p, false), n));
      }),
      { numRuns: 100 },
    );
  });

  it("removing a rule never changes nodes whose variant did not come from it", () => {
    fc.assert(
      fc.property(policyArb.filter((p) => p.rules.length > 0), fc.nat(), fc.array(nodeArb, { minLength: 1, maxLength: 5 }), (p, i, nodes) => {
        const removed = p.rules[i % p.rules.length]!;
        const without = { ...p, rules: p.rules.filter((r) => r !== removed) };
        for (const n of nodes) {
          const before = resolved(render(p, false), n);
          if (before.id === (removed.target.kind === "host" ? `host:${removed.target.name}` : `label:${removed.target.key}=${removed.target.values.join(",")}`)) continue;
          expect(resolved(render(without, false), n)).toEqual(before);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("never leaks one variant's settings into another", () => {
    const a = analyze([{ file: "a.dbell", text: "set sysctl vm.a = 1\non host fooHost set sysctl fooKey = 1\non label role in [x] set sysctl vm.b = 2\n" }]);
    const all = a.resolution.all("sysctl").map((v) => [v.id, flat(v.config)]);
    expect(all).toEqual([
      ["host:fooHost", { "vm.a": "1", fooKey: "1" }],
      ["label:role=x", { "vm.a": "1", "vm.b": "2" }],
      ["default", { "vm.a": "1" }],
    ]);
  });
});
