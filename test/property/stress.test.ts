/**
 * The worst inputs found for `check` and `import` (alias bombs, runs of one character, endless nesting, a
 * diagnostic per byte), next to the fuzz tests: each must finish in bounded time and memory, exit 0 or 1, and never
 * print a stack trace. Sizes are kept at 256 KB so CI stays quick;
 * `node --import tsx test/property/support/stress-run.ts 1048576` runs the same cases at 1 MB.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { STRESS_CASES } from "./support/stress-cases.js";

const root = join(import.meta.dirname, "../..");

interface Outcome {
  readonly name: string;
  readonly bytes: number;
  readonly code: number;
  readonly ms: number;
  readonly rssMB: number;
  readonly out: number;
  readonly stack: boolean;
}

describe("stress: hostile input to check and import", () => {
  it("handles every case in bounded time and memory, with exit 0 or 1 and no stack trace", () => {
    // One child process for all cases: its peak memory bounds each case's. It collects garbage before each case, so
    // what one case left behind does not count against the next.
    const r = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", join(root, "test/property/support/stress-run.ts"), "262144"], { cwd: root, encoding: "utf8", timeout: 170_000 });
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const outcomes = r.stdout.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as Outcome);
    expect(outcomes.map((o) => o.name)).toEqual(STRESS_CASES.map((c) => c.name));
    for (const o of outcomes) {
      expect([0, 1], o.name).toContain(o.code);
      expect(o.stack, o.name).toBe(false);
      expect(o.ms, o.name).toBeLessThan(5000);
      expect(o.rssMB, o.name).toBeLessThan(500);
      // Output grows at most linearly (no excerpt of the whole input per diagnostic); an import's policy can be
      // larger than its YAML by what aliases expand to, which import bounds.
      expect(o.out, o.name).toBeLessThan(Math.max(1_000_000, 4 * o.bytes));
    }
  }, 180_000);
});
