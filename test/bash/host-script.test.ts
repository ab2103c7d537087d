/**
 * The host script's cut into a prefix shared by all variants of a module and a suffix per variant, and the base64
 * identity the Kubernetes emitter relies on to encode a module's prefix once.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { shellFileOrder } from "../../src/backends/bash/assets.js";
import { hostScript, hostScriptParts, scriptPrefix } from "../../src/backends/bash/script.js";
import { MODULES } from "../../src/modules/registry.js";

const base64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

describe("host script parts", () => {
  it("gives every module a prefix of whole base64 groups that names the module and no variant", () => {
    for (const mod of MODULES) {
      const prefix = scriptPrefix(mod);
      expect(Buffer.byteLength(prefix) % 3, mod.name).toBe(0);
      expect(prefix.startsWith(`#!/bin/bash\n# dbellc host script for module ${mod.name}. Generated; do not edit.\n`)).toBe(true);
      expect(prefix).toContain(`# ---- module ${mod.name} ----\n`);
      expect(prefix).toMatch(/\n# ---- this node's settings -{4,6}\n$/);
      expect(prefix).not.toMatch(/variant/);
    }
  });

  it("takes the module's lock after the definitions and before any call of the settings", () => {
    for (const mod of MODULES) {
      const prefix = scriptPrefix(mod);
      const lock = prefix.indexOf(`\nmodule_lock ${mod.name}\n`);
      expect(lock, mod.name).toBeGreaterThan(prefix.indexOf(`# ---- module ${mod.name} ----`));
      expect(prefix.indexOf("\n# ---- this node's settings"), mod.name).toBeGreaterThan(lock);
    }
  });

  it("keeps the prefix the same for every variant and puts the variant's name and calls in the suffix", () => {
    const sysctl = MODULES.find((m) => m.name === "sysctl")!;
    const a = hostScriptParts(sysctl, sysctl.settings({ kind: "Map", entries: new Map(), origin: { file: "p", start: 0, end: 0 } }), "host:n1");
    const b = hostScriptParts(sysctl, sysctl.settings({ kind: "Map", entries: new Map(), origin: { file: "p", start: 0, end: 0 } }), "label:rack=r1\nx");
    expect(a.prefix).toBe(b.prefix);
    expect(a.suffix.startsWith("# variant host:n1\n")).toBe(true);
    expect(b.suffix.startsWith("# variant label:rack=r1 x\n")).toBe(true);
    expect(a.suffix.endsWith("\ndone_summary sysctl\n")).toBe(true);
    expect(hostScript(sysctl, sysctl.settings({ kind: "Map", entries: new Map(), origin: { file: "p", start: 0, end: 0 } }), "host:n1")).toBe(a.prefix + a.suffix);
  });

  it("encodes prefix and suffix apart into the base64 of the whole script, whatever the suffix", () => {
    const prefixes = MODULES.map(scriptPrefix);
    fc.assert(
      fc.property(fc.constantFrom(...prefixes), fc.string({ unit: "binary", maxLength: 200 }), (prefix, suffix) => {
        expect(base64(prefix) + base64(suffix)).toBe(base64(prefix + suffix));
      }),
      { numRuns: 500 },
    );
  });

  it("does not hold for a prefix cut inside a base64 group, which is why the prefix is padded", () => {
    expect(base64("ab") + base64("c")).not.toBe(base64("abc"));
  });

  it("includes a module's main .sh file first, then its other .sh files in byte order of their names", () => {
    expect(shellFileOrder("m.sh", ["m.ts", "z.sh", "m.sh", "a.sh", "B.sh", "cases", "m.test.ts"])).toEqual(["m.sh", "B.sh", "a.sh", "z.sh"]);
    expect(shellFileOrder("m.sh", ["m.sh"])).toEqual(["m.sh"]);
  });
});
