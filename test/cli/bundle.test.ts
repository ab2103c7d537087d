/**
 * The bundled CLI (dist/dbellc.mjs) on its own: copied away from the repository, it still checks, compiles and
 * prints host scripts byte-identical to the in-process CLI, so nothing is read from src/ at run time.
 */
import { spawnSync } from "node:child_process";
import { builtinModules } from "node:module";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { cli } from "../support/cli.js";
import { moduleNames } from "../../src/modules/registry.js";

const root = join(import.meta.dirname, "../..");
let dir: string;
let bin: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "dbellc-bundle-"));
  bin = join(dir, "dbellc.mjs");
  // The bundle built for this test run, copied away from the repository.
  copyFileSync(inject("dbellcBin"), bin);
  copyFileSync(join(root, "examples/site.dbell"), join(dir, "site.dbell"));
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: "utf8" });

describe("bundled dbellc", () => {
  it("is one file that imports nothing but Node's own modules", () => {
    const text = readFileSync(bin, "utf8");
    const imports = [...text.matchAll(/\bimport\s*(?:[\w$*{},\s]+from\s*)?["']([@\w][\w./:@-]*)["']|\brequire\(["']([@\w][\w./:@-]*)["']\)/g)].map((m) => m[1] ?? m[2]!);
    expect(imports).toContain("node:module");
    const builtins = new Set(builtinModules);
    for (const spec of imports) expect(builtins.has(spec.replace(/^node:/, "")), spec).toBe(true);
  });

  it("prints every module's host script exactly as the CLI from source does", async () => {
    for (const module of moduleNames()) {
      const bundled = run("script", "site.dbell", "--module", module, "--host", "worker-07", "--label", "compute_type=dpdk");
      const source = await cli(["script", "site.dbell", "--module", module, "--host", "worker-07", "--label", "compute_type=dpdk"], { "site.dbell": readFileSync(join(dir, "site.dbell"), "utf8") });
      expect(bundled.status, bundled.stderr).toBe(source.code);
      expect(bundled.stdout).toBe(source.stdout);
    }
  });

  it("compiles and formats", async () => {
    const compiled = run("compile", "site.dbell");
    expect(compiled.status).toBe(0);
    expect(compiled.stdout).toBe((await cli(["compile", "site.dbell"], { "site.dbell": readFileSync(join(dir, "site.dbell"), "utf8") })).stdout);
    expect(run("fmt", "--check", "site.dbell").status).toBe(1);
  });
});
