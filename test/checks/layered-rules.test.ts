/** Layered rules: the `layer` keyword, mixing (DB3007), the layered overlap checks (DB3008-DB3010), fmt and explain. */
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/compile.js";
import { format } from "../../src/syntax/format.js";
import { explainNode } from "../../src/lower/explain.js";
import { expectClean, expectDiagnostic } from "../support/diagnostics.js";

const codes = (text: string) => analyze([{ file: "p.dbell", text }]).diagnostics.map((d) => d.code);

describe("layered rules", () => {
  it("parse `layer on` in both forms, and `layer` stays usable as a key", () => {
    const a = expectClean("layer on label a in [x] set sysctl vm.swappiness = 1\nlayer on host h1 {\n  set sysctl vm.dirty_ratio = 2\n}\nset limits layer { domain = \"*\"  type = soft  item = nofile  value = 1024 }\n", { noWarnings: true });
    expect(a.policy.rules.map((r) => r.layered)).toEqual([true, true]);
  });

  it("end an `unset` key path before `layer on`, and still read `layer` as a key elsewhere", () => {
    const a = expectClean("set sysctl vm.swappiness = 0\nlayer on label a in [x] unset sysctl vm.swappiness\nlayer on host h1 unset sysctl\nlayer on host h2 unset sysctl layer\n");
    expect(a.policy.rules.map((r) => r.parts.get("sysctl")!.unsets.map((u) => u.path.join(" ")))).toEqual([["vm.swappiness"], [""], ["layer"]]);
  });

  it("make `layer on T` and `on T` two rules", () => {
    const a = analyze([{ file: "p.dbell", text: "layer on label a in [x] set sysctl vm.swappiness = 1\non label a in [x] set mounts m { target = /m  device = tmpfs  type = tmpfs }\n" }]);
    expect(a.policy.rules.map((r) => r.layered)).toEqual([true, false]);
    expect(a.ok).toBe(true);
  });

  it("refuse a module configured by layered and plain rules (DB3007), at the plain rule", () => {
    const d = expectDiagnostic("layer on label a in [x] set sysctl vm.swappiness = 1\non label b in [y] set sysctl vm.dirty_ratio = 2\n", { code: "DB3007", underline: "set sysctl vm.dirty_ratio = 2" });
    expect(d.severity).toBe("error");
    expect(d.related?.length).toBe(1);
  });

  it("warn about a layer that later layers override wherever it applies (DB3008)", () => {
    expectDiagnostic("layer on label a in [x] set sysctl vm.swappiness = 1\nlayer on label a in [x, y] set sysctl vm.swappiness = 2\n", { code: "DB3008", underline: "set sysctl vm.swappiness = 1" });
    // A later layer on another key only meets it on some nodes: not fully overridden.
    expect(codes("layer on label a in [x] set sysctl vm.swappiness = 1\nlayer on label b in [y] set sysctl vm.swappiness = 2\n")).not.toContain("DB3008");
  });

  it("warn when two layers that can meet set one key differently, naming the winner (DB3009)", () => {
    const d = expectDiagnostic("layer on label a in [x] set sysctl vm.swappiness = 1\nlayer on host h1 set sysctl vm.swappiness = 2\n", { code: "DB3009", underline: "1" });
    expect(d.message).toContain("host `h1` wins");
    // Disjoint values of one key never meet; equal values do not conflict.
    expect(codes("layer on label a in [x] set sysctl vm.swappiness = 1\nlayer on label a in [y] set sysctl vm.swappiness = 2\n")).toEqual([]);
    expect(codes("layer on label a in [x] set sysctl vm.swappiness = 1\nlayer on label b in [y] set sysctl vm.swappiness = 1\n")).toEqual([]);
  });

  it("refuse more combinations than the term limit (DB3010), naming the layers and a way out", () => {
    const text = Array.from({ length: 11 }, (_, i) => `layer on label role-${i} in [yes] set sysctl vm.r${i} = 1`).join("\n") + "\n";
    const d = expectDiagnostic(text, { code: "DB3010", underline: "set sysctl vm.r0 = 1" });
    expect(d.related!.length).toBeGreaterThan(1);
    expect(d.help).toContain("one key");
  });

  it("keep `layer` through fmt", () => {
    const r = format("p.dbell", "layer   on label a in [x]   set sysctl vm.swappiness = 1\nlayer on host h {\nset sysctl vm.dirty_ratio = 2\n}\n");
    expect(r.text).toBe("layer on label a in [x] set sysctl vm.swappiness = 1\nlayer on host h {\n  set sysctl vm.dirty_ratio = 2\n}\n");
  });

  it("explain every layer that set a value, in order, the defaults first", () => {
    const a = analyze([{ file: "p.dbell", text: "set sysctl vm.swappiness = 0\nlayer on label a in [x] set sysctl vm.swappiness = 1\nlayer on host h1 set sysctl vm.swappiness = 2\n" }]);
    const [m] = explainNode(a.resolution, { hostname: "h1", labels: new Map([["a", "x"]]) }, "sysctl");
    expect(m!.applied!.map((v) => v.id)).toEqual(["label:a=x", "host:h1"]);
    const v = m!.values.find((x) => x.path[0] === "vm.swappiness")!;
    expect(v.value).toBe("2");
    expect(v.layers!.map((l) => [l.variant.id, a.sources.get("p.dbell")!.slice(l.origin.start, l.origin.end)])).toEqual([
      ["default", "0"],
      ["label:a=x", "1"],
      ["host:h1", "2"],
    ]);
  });

  it("explain the unsets of the applied layers, and not those of layers that do not match", () => {
    const a = analyze([{ file: "p.dbell", text: "set sysctl vm.swappiness = 0\nset sysctl vm.dirty_ratio = 0\nlayer on label a in [x] unset sysctl vm.swappiness\nlayer on host h1 unset sysctl vm.dirty_ratio\n" }]);
    const [m] = explainNode(a.resolution, { hostname: "h2", labels: new Map([["a", "x"]]) }, "sysctl");
    expect(m!.unsets!.map((u) => [u.path, u.variant.id])).toEqual([[["vm.swappiness"], "label:a=x"]]);
    expect(m!.values.map((v) => v.path[0])).toEqual(["vm.dirty_ratio"]);
  });
});
