/** The scheduler's node predicate, operator by operator, as the API reference defines it. */
import { describe, expect, it } from "vitest";
import { compileScheduling, InvalidSelector, type NodeSelectorRequirement, type SchedulingSpec } from "../../src/plan/node-affinity.js";

const node = (labels: Record<string, string>, name = "n1") => ({ name, labels: new Map(Object.entries(labels)) });
const terms = (...t: NodeSelectorRequirement[][]): SchedulingSpec => ({
  affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: t.map((matchExpressions) => ({ matchExpressions })) } } },
});

describe("compileScheduling", () => {
  it("schedules anywhere without selector or affinity", () => {
    expect(compileScheduling({})(node({}))).toBe(true);
  });

  it("needs every nodeSelector label with an equal value", () => {
    const p = compileScheduling({ nodeSelector: { "kubernetes.io/os": "linux", rack: "r1" } });
    expect(p(node({ "kubernetes.io/os": "linux", rack: "r1", x: "y" }))).toBe(true);
    expect(p(node({ "kubernetes.io/os": "linux" }))).toBe(false);
    expect(p(node({ "kubernetes.io/os": "windows", rack: "r1" }))).toBe(false);
  });

  it("In needs the label with a listed value; NotIn holds when it is absent or unlisted", () => {
    const inP = compileScheduling(terms([{ key: "k", operator: "In", values: ["a", "b"] }]));
    const notIn = compileScheduling(terms([{ key: "k", operator: "NotIn", values: ["a", "b"] }]));
    expect([inP(node({ k: "a" })), inP(node({ k: "c" })), inP(node({}))]).toEqual([true, false, false]);
    expect([notIn(node({ k: "a" })), notIn(node({ k: "c" })), notIn(node({}))]).toEqual([false, true, true]);
  });

  it("Exists and DoesNotExist test presence, an empty value counting as present", () => {
    const ex = compileScheduling(terms([{ key: "node-role.kubernetes.io/control-plane", operator: "Exists" }]));
    const dne = compileScheduling(terms([{ key: "node-role.kubernetes.io/control-plane", operator: "DoesNotExist" }]));
    expect([ex(node({ "node-role.kubernetes.io/control-plane": "" })), ex(node({}))]).toEqual([true, false]);
    expect([dne(node({ "node-role.kubernetes.io/control-plane": "" })), dne(node({}))]).toEqual([false, true]);
  });

  it("Gt and Lt compare integers and fail on a missing or non-integer label", () => {
    const gt = compileScheduling(terms([{ key: "cores", operator: "Gt", values: ["32"] }]));
    const lt = compileScheduling(terms([{ key: "cores", operator: "Lt", values: ["32"] }]));
    expect([gt(node({ cores: "64" })), gt(node({ cores: "32" })), gt(node({ cores: "x" })), gt(node({}))]).toEqual([true, false, false, false]);
    expect([lt(node({ cores: "8" })), lt(node({ cores: "32" })), lt(node({ cores: "-1" }))]).toEqual([true, false, true]);
  });

  it("ORs terms and ANDs the requirements of one term; an empty term matches nothing", () => {
    const p = compileScheduling(terms([{ key: "a", operator: "In", values: ["1"] }, { key: "b", operator: "In", values: ["2"] }], [{ key: "c", operator: "Exists" }]));
    expect([p(node({ a: "1", b: "2" })), p(node({ a: "1" })), p(node({ c: "" }))]).toEqual([true, false, true]);
    expect(compileScheduling(terms([]))(node({ a: "1" }))).toBe(false);
  });

  it("reads metadata.name in matchFields, and nodeSelector and affinity both have to hold", () => {
    const spec: SchedulingSpec = {
      nodeSelector: { "kubernetes.io/os": "linux" },
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: ["n1"] }] }] } } },
    };
    const p = compileScheduling(spec);
    expect(p(node({ "kubernetes.io/os": "linux" }, "n1"))).toBe(true);
    expect(p(node({ "kubernetes.io/os": "linux" }, "n2"))).toBe(false);
    expect(p(node({}, "n1"))).toBe(false);
  });

  it("rejects selectors the API server would reject", () => {
    for (const bad of [
      terms([{ key: "k", operator: "In", values: [] }]),
      terms([{ key: "k", operator: "Exists", values: ["a"] }]),
      terms([{ key: "k", operator: "Gt", values: ["1.5"] }]),
      terms([{ key: "k", operator: "Near", values: ["a"] }]),
      { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } } },
    ]) {
      expect(() => compileScheduling(bad)).toThrow(InvalidSelector);
    }
  });
});
