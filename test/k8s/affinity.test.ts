/** Node affinity of each variant, on small policies whose expected expressions are easy to read. */
import { describe, expect, it } from "vitest";
import { moduleAffinities, type Requirement } from "../../src/backends/k8s/affinity.js";
import { analyze } from "../../src/compile.js";

function affinities(text: string, module = "mounts"): Map<string, readonly Requirement[] | undefined> {
  const a = analyze([{ file: "p.dbell", text }]);
  const out = moduleAffinities(a.resolution.variants(module));
  return new Map([...out].map(([v, r]) => [v.id, r]));
}

const H = "kubernetes.io/hostname";

describe("node affinity", () => {
  it("gives a module without rules no affinity at all", () => {
    expect(affinities("set sysctl vm.swappiness = 1\n", "sysctl")).toEqual(new Map([["default", undefined]]));
  });

  it("follows the precedence host > last label > defaults", () => {
    const got = affinities(`
on label compute_type in [dpdk, sriov] unset mounts
on label another in [v] unset mounts
on host superhost unset mounts
on host superhost2 unset mounts
`);
    expect(got.get("host:superhost")).toEqual([{ key: H, operator: "In", values: ["superhost"] }]);
    expect(got.get("host:superhost2")).toEqual([{ key: H, operator: "In", values: ["superhost2"] }]);
    expect(got.get("label:another=v")).toEqual([
      { key: "another", operator: "In", values: ["v"] },
      { key: H, operator: "NotIn", values: ["superhost", "superhost2"] },
    ]);
    expect(got.get("label:compute_type=dpdk,sriov")).toEqual([
      { key: "compute_type", operator: "In", values: ["dpdk", "sriov"] },
      { key: "another", operator: "NotIn", values: ["v"] },
      { key: H, operator: "NotIn", values: ["superhost", "superhost2"] },
    ]);
    expect(got.get("default")).toEqual([
      { key: "another", operator: "NotIn", values: ["v"] },
      { key: "compute_type", operator: "NotIn", values: ["dpdk", "sriov"] },
      { key: H, operator: "NotIn", values: ["superhost", "superhost2"] },
    ]);
  });

  it("merges exclusions of one key, and keeps on a rule's own key only the values it selects", () => {
    const got = affinities(`
on label role in [a, b] unset mounts
on label zone in [z1] unset mounts
on label role in [b, c] unset mounts
on label zone in [z2] unset mounts
on label role in [d] unset mounts
`);
    expect(got.get("label:role=a,b")).toEqual([
      { key: "role", operator: "In", values: ["a", "b"] },
      { key: "role", operator: "NotIn", values: ["b"] },
      { key: "zone", operator: "NotIn", values: ["z1", "z2"] },
    ]);
    expect(got.get("label:role=d")).toEqual([{ key: "role", operator: "In", values: ["d"] }]);
    expect(got.get("default")).toEqual([
      { key: "role", operator: "NotIn", values: ["a", "b", "c", "d"] },
      { key: "zone", operator: "NotIn", values: ["z1", "z2"] },
    ]);
  });

  it("treats a label rule on the host name label like any other key", () => {
    const got = affinities(`
on label ${H} in [n1, n2] unset mounts
on host n2 unset mounts
on host n3 unset mounts
`);
    expect(got.get(`label:${H}=n1,n2`)).toEqual([
      { key: H, operator: "In", values: ["n1", "n2"] },
      { key: H, operator: "NotIn", values: ["n2"] },
    ]);
  });

  it("makes an unreachable label rule match no node, with valid expressions", () => {
    const got = affinities(`
on label role in [a] unset mounts
on label role in [a, b] unset mounts
`);
    expect(got.get("label:role=a")).toEqual([
      { key: "role", operator: "In", values: ["a"] },
      { key: "role", operator: "NotIn", values: ["a"] },
    ]);
  });

  it("never emits an empty expression list or an expression without values", () => {
    const got = affinities("on host h unset mounts\non label k in [v] unset mounts\n");
    for (const [, reqs] of got) {
      expect(reqs!.length).toBeGreaterThan(0);
      for (const r of reqs!) expect(r.values.length).toBeGreaterThan(0);
    }
  });
});
