/** One smoke test of the real executable: exit codes and streams across a process boundary. */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");
/** The bundled CLI, as npm links it (package.json `bin`). */
const bin = join(root, "dist/dbellc.mjs");

describe("dbellc executable", () => {
  beforeAll(() => {
    // `npm ci` builds dist/ through `prepare`; rebuild here so the smoke test never runs stale code.
    execFileSync("npm", ["run", "--silent", "build"], { cwd: root, stdio: "inherit" });
  }, 120_000);

  it("is executable, as npm links it", () => {
    const r = spawnSync(bin, ["--version"], { encoding: "utf8" });
    expect(r.status).toBe(0);
  });

  it("prints its version", () => {
    expect(existsSync(bin)).toBe(true);
    const r = spawnSync("node", [bin, "--version"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
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
