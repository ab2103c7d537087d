/** One smoke test of the real executable: exit codes and streams across a process boundary. */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { VERSION } from "../../src/cli/version.js";

const root = join(import.meta.dirname, "../..");
/** The bundled CLI, built once for the test run by test/support/build-cli.ts, as `npm run build` writes package.json's `bin`. */
const bin = inject("dbellcBin");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string; bin: Record<string, string> };

describe("dbellc executable", () => {
  it("is the file package.json names as the binary, and reports package.json's version", () => {
    expect(pkg.bin["dbellc"]).toBe("dist/dbellc.mjs");
    expect(VERSION).toBe(pkg.version);
  });

  it("is executable, as npm links it", () => {
    const r = spawnSync(bin, ["--version"], { encoding: "utf8" });
    expect(r.status).toBe(0);
  });

  it("prints its version", () => {
    expect(existsSync(bin)).toBe(true);
    const r = spawnSync("node", [bin, "--version"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it("checks an example with exit 0 and a broken file with exit 1", () => {
    expect(spawnSync("node", [bin, "check", join(root, "examples/overrides.dbell")], { encoding: "utf8" }).status).toBe(0);
    const r = spawnSync("node", [bin, "check", join(root, "test/golden/syntax-errors/input.dbell")], { encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("error[DB1005]");
  });

  it("stops quietly when its reader goes away early", () => {
    const script = `err=$(mktemp); node ${bin} compile ${join(root, "examples/site.dbell")} 2>"$err" | head -c 10 >/dev/null; cat "$err"; rm -f "$err"`;
    const r = spawnSync("bash", ["-c", script], { encoding: "utf8" });
    expect(r.stdout).not.toMatch(/EPIPE|\n\s+at /);
  });

  it("exits 2 for a missing file, with one line and no stack trace", () => {
    const r = spawnSync("node", [bin, "check", "/nonexistent.dbell"], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe("error: cannot read /nonexistent.dbell: no such file");
  });
});
