/**
 * A run that changes nothing costs a handful of processes, not a few per setting: for every shape of the benchmark,
 * the no-op re-run spawns at most 10 + settings/10 processes (counted with strace from outside the node). Counts do
 * not depend on the machine's speed, so they are asserted; times are not.
 */
import { expect, test } from "vitest";
import { SHAPES } from "../../bench/host/shapes.js";
import { describeE2E, showRun, withNode } from "./support/node.js";
import { tracedApply } from "./support/trace.js";

describeE2E("no-op host script runs", () => {
  for (const shape of SHAPES) {
    const target = 10 + Math.floor(shape.settings / 10);
    test(`${shape.name}: ${shape.settings} settings, a no-op run spawns at most ${target} processes`, async () => {
      await withNode(async (node) => {
        const policy = await shape.prepare(node);
        const first = await tracedApply(node, policy, shape.module);
        expect(first.code, showRun(first)).toBe(0);
        const again = await tracedApply(node, policy, shape.module);
        expect(again.code, showRun(again)).toBe(0);
        expect(again.stdout).toContain(`${shape.module}: no changes; the node already matches the policy.`);
        expect(again.processes, `no-op run of ${shape.name}: ${JSON.stringify(again.programs)}`).toBeLessThanOrEqual(target);
        // The counter sees the real work of a first run (a batched one, for perm, costs only a few processes more).
        if (shape.noopFirst) expect(first.stdout).toContain(`${shape.module}: no changes; the node already matches the policy.`);
        else {
          expect(first.stdout).toMatch(/change\(s\) applied/);
          expect(first.processes).toBeGreaterThan(again.processes);
        }
      }, { mirror: shape.mirror ?? false });
    }, 300_000);
  }
});
