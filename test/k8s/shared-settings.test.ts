/**
 * Settings are built once per distinct rule content (compile.ts): rules writing the same values share one build and
 * one DaemonSet, and anything that tells two rules apart for the host script, down to how a value is written, keeps
 * them apart. Every settings object still holds exactly what each of its variants' own build gives.
 */
import { describe, expect, it } from "vitest";
import { analyze, compileManifests, variantScriptParts } from "../../src/compile.js";
import { structuralKey } from "../../src/ir/tree.js";
import type { ConfigNode } from "../../src/ir/ir.js";
import { SETTINGS_KEY } from "../../src/backends/k8s/entry-script.js";

const span = { file: "t.dbell", start: 0, end: 0 };
const other = { file: "u.dbell", start: 5, end: 9 };
const word = (text: string, origin = span): ConfigNode => ({ kind: "Scalar", text, form: "word", origin });
const map = (...entries: [string, ConfigNode][]): ConfigNode => ({ kind: "Map", entries: new Map(entries.map(([k, v]) => [k, { key: k, keyOrigin: span, value: v }])), origin: span });

describe("structuralKey", () => {
  it("ignores where values are written", () => {
    expect(structuralKey(map(["a", word("1")]))).toBe(structuralKey(map(["a", word("1", other)])));
  });

  it("tells apart texts, forms, key order and shapes", () => {
    const keys = [
      map(["a", word("1")]),
      map(["a", word("2")]),
      map(["a", { kind: "Scalar", text: "1", form: "string", origin: span }]),
      map(["a", word("1")], ["b", word("1")]),
      map(["b", word("1")], ["a", word("1")]),
      map(["a", { kind: "List", items: [{ kind: "Scalar", text: "1", form: "word", origin: span }], origin: span }]),
      map(["a", map()]),
    ].map(structuralKey);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

function settingsObjects(text: string) {
  const a = analyze([{ file: "t.dbell", text }]);
  expect(a.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return compileManifests(a, { secretKey: "k".repeat(32) }).filter((m) => m.role === "settings");
}

function settingsText(object: unknown): string {
  const o = object as { kind: string; data: Record<string, string> };
  const raw = o.data[SETTINGS_KEY]!;
  return o.kind === "Secret" ? Buffer.from(raw, "base64").toString("utf8") : raw;
}

describe("settings built once per rule content", () => {
  it("hosts writing the same values share one settings object, and it is each host's own build", () => {
    const hosts = Array.from({ length: 6 }, (_, i) => `on host n${i} set sysctl vm.swappiness = ${i % 2 ? 10 : 20}`);
    const objects = settingsObjects(["set sysctl net.ipv4.ip_forward = 1", ...hosts].join("\n")).filter((o) => o.module === "sysctl");
    expect(objects.map((o) => o.variants.length).sort()).toEqual([1, 3, 3]);
    for (const o of objects) for (const v of o.variants) expect(settingsText(o.object)).toBe(variantScriptParts(v).settings);
  });

  it("a value written as a word and the same text written as a string stay apart where the script tells them apart", () => {
    // exec's run-record hash prints a bare 1000000 as Go prints the YAML number (1e+06), a quoted one as written.
    const job = (timeout: string) => `set exec job { script = """\n    #!/bin/bash\n    true\n    """\n  timeout = ${timeout} }`;
    const objects = settingsObjects([`on host a ${job("1000000")}`, `on host b ${job('"1000000"')}`].join("\n"));
    const own = objects.filter((o) => o.variants.some((v) => v.target.kind === "Host"));
    expect(own).toHaveLength(2);
    expect(settingsText(own[0]!.object)).not.toBe(settingsText(own[1]!.object));
    for (const o of own) for (const v of o.variants) expect(settingsText(o.object)).toBe(variantScriptParts(v).settings);
  });
});
