/**
 * The host script's cut into the program all configurations of a module share (the module's ConfigMap) and the
 * settings of one configuration (its settings object): the pod joins them with `cat`.
 */
import { describe, expect, it } from "vitest";
import { shellFileOrder } from "../../src/backends/bash/assets.js";
import { hostScript, hostScriptParts, scriptProgram } from "../../src/backends/bash/script.js";
import { MODULES } from "../../src/modules/registry.js";

const empty = { kind: "Map", entries: new Map(), origin: { file: "p", start: 0, end: 0 } } as const;

describe("host script parts", () => {
  it("gives every module a program that names the module, ends with one line break and holds no settings", () => {
    for (const mod of MODULES) {
      const program = scriptProgram(mod);
      expect(program.startsWith(`#!/bin/bash\n# dbellc host script for module ${mod.name}. Generated; do not edit.\n`)).toBe(true);
      expect(program).toContain(`# ---- module ${mod.name} ----\n`);
      expect(program).toMatch(/[^\n]\n$/);
      expect(program).not.toContain("this node's settings");
    }
  });

  it("takes the module's lock after the definitions and before any call of the settings", () => {
    for (const mod of MODULES) {
      const program = scriptProgram(mod);
      const lock = program.indexOf(`\nmodule_lock ${mod.name}\n`);
      expect(lock, mod.name).toBeGreaterThan(program.indexOf(`# ---- module ${mod.name} ----`));
      // Nothing but blank lines follows the lock in the program; the settings part comes after it.
      expect(program.slice(lock).trim(), mod.name).toBe(`module_lock ${mod.name}`);
    }
  });

  it("keeps the program the same for every configuration and puts only the calls in the settings", () => {
    const sysctl = MODULES.find((m) => m.name === "sysctl")!;
    const a = hostScriptParts(sysctl, sysctl.settings(empty));
    expect(a.program).toBe(scriptProgram(sysctl));
    expect(a.settings.startsWith("# ---- this node's settings ----\n")).toBe(true);
    expect(a.settings.endsWith("\ndone_summary sysctl\n")).toBe(true);
    expect(hostScript(sysctl, sysctl.settings(empty))).toBe(a.program + a.settings);
  });

  it("includes a module's main .sh file first, then its other .sh files in byte order of their names", () => {
    expect(shellFileOrder("m.sh", ["m.ts", "z.sh", "m.sh", "a.sh", "B.sh", "cases", "m.test.ts"])).toEqual(["m.sh", "B.sh", "a.sh", "z.sh"]);
    expect(shellFileOrder("m.sh", ["m.sh"])).toEqual(["m.sh"]);
  });
});
