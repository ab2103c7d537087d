/** Overlap analysis: unit cases by code and underline, and a brute-force check of its verdicts on small label spaces. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/compile.js";
import { expectDiagnostic, analyzeText, summary } from "../support/diagnostics.js";

describe("overlapping targets", () => {
  it("reports an unreachable label rule as an error with the winner", () => {
    const d = expectDiagnostic("on label a in [x] set sysctl vm.a = 1\non label a in [y, x] set sysctl vm.a = 2\n", { code: "DB3001", underline: "set sysctl vm.a = 1" });
    expect(d.severity).toBe("error");
    expect(d.related).toHaveLength(1);
  });

  it("warns about label rules one node can match, naming an example node", () => {
    const d = expectDiagnostic("on label a in [x] set sysctl vm.a = 1\non label b in [y] set sysctl vm.a = 2\n", { code: "DB3002", underline: "set sysctl vm.a = 1" });
    expect(d.related?.[0]?.message).toContain("a=x, b=y");
  });

  it("does not warn about disjoint selectors on one key, or rules of different modules", () => {
    const a = analyzeText("on label a in [x] set sysctl vm.swappiness = 1\non label a in [y] set sysctl vm.swappiness = 2\n");
    expect(summary(a)).toEqual([]);
  });

  it("warns when a host rule drops label settings of its module", () => {
    expectDiagnostic("on label a in [x] set sysctl vm.a = 1\non host n1 set sysctl vm.b = 1\n", { code: "DB3003", underline: "set sysctl vm.b = 1" });
  });

  it("warns about rules without effect and useless unsets", () => {
    expectDiagnostic("set sysctl vm.a = 1\non host n1 set sysctl vm.a = 1\n", { code: "DB3004", underline: "set sysctl vm.a = 1" });
    expectDiagnostic("on host n1 { }\n", { code: "DB3004", underline: "host n1" });
    expectDiagnostic("set sysctl vm.a = 1\non host n1 { unset sysctl vm.b\nset sysctl vm.a = 2 }\n", { code: "DB3006", underline: "unset sysctl vm.b" });
  });

  it("rejects an empty selector", () => {
    expectDiagnostic("on label a in [] set sysctl vm.a = 1\n", { code: "DB3005", underline: "label a in []" });
  });
});

const KEYS = ["a", "b"];
const VALUES = ["x", "y", "z"];
const ruleArb = fc.tuple(fc.constantFrom(...KEYS), fc.uniqueArray(fc.constantFrom(...VALUES), { minLength: 1, maxLength: 3 }));

/** Every node over KEYS, each label absent or one of VALUES. */
function allNodes(): Map<string, string>[] {
  let nodes: Map<string, string>[] = [new Map()];
  for (const k of KEYS) nodes = nodes.flatMap((n) => [n, ...VALUES.map((v) => new Map([...n, [k, v]]))]);
  return nodes;
}

describe("overlap verdicts agree with brute force", () => {
  it("DB3001 exactly for rules no node reaches, DB3002 exactly for reachable rules some node shares with a later one", () => {
    fc.assert(
      fc.property(fc.uniqueArray(ruleArb, { selector: ([k, v]) => `${k}=${[...v].sort().join(",")}`, maxLength: 5 }), (rules) => {
        const text = rules.map(([k, v], i) => `on label ${k} in [${v.join(", ")}] set sysctl vm.r${i} = 1`).join("\n") + "\n";
        const a = analyze([{ file: "p.dbell", text }]);
        const lineOf = (d: { span: { start: number } }) => text.slice(0, d.span.start).split("\n").length - 1;
        const unreachable = new Set(a.diagnostics.filter((d) => d.code === "DB3001").map(lineOf));
        const overlapping = new Set(a.diagnostics.filter((d) => d.code === "DB3002").map(lineOf));
        const matches = (i: number, n: Map<string, string>) => rules[i]![1].includes(n.get(rules[i]![0]) ?? "\0");
        const nodes = allNodes();
        rules.forEach((_, i) => {
          const reached = nodes.some((n) => matches(i, n) && !rules.some((_r, j) => j > i && matches(j, n)));
          const shared = nodes.some((n) => matches(i, n) && rules.some((_r, j) => j > i && matches(j, n)));
          expect(unreachable.has(i), `rule ${i} unreachable`).toBe(!reached);
          expect(overlapping.has(i), `rule ${i} overlapping`).toBe(reached && shared);
        });
      }),
      { numRuns: 300 },
    );
  });
});
