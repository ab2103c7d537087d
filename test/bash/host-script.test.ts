/**
 * The host script's cut into the program all configurations of a module share (the module's ConfigMap) and the
 * settings of one configuration (its settings object): the pod joins them with `cat`.
 */
import { describe, expect, it } from "vitest";
import { readdirSync } from "node:fs";
import { join } from "node:path";
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

  it("includes every .sh file of a module's folder, as its about.ts declares them, its <name>.sh first", () => {
    const root = join(import.meta.dirname, "..", "..");
    for (const mod of MODULES) {
      const folder = `src/modules/${mod.name}`;
      const files = readdirSync(join(root, folder)).filter((f) => f.endsWith(".sh")).map((f) => `${folder}/${f}`);
      expect(mod.about.shellFiles[0], mod.name).toBe(`${folder}/${mod.name}.sh`);
      expect([...mod.about.shellFiles].sort(), mod.name).toEqual(files.sort());
      const program = scriptProgram(mod);
      const at = mod.about.shellFiles.slice(1).map((f) => program.indexOf(`# ---- module ${mod.name}: ${f.slice(f.lastIndexOf("/") + 1)} ----\n`));
      expect(at.every((i, k) => i > program.indexOf(`# ---- module ${mod.name} ----`) && (k === 0 || i > at[k - 1]!)), mod.name).toBe(true);
    }
  });
});
