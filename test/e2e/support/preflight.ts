/**
 * Whether this machine can run the end-to-end tests. They are part of the normal test run: a missing tool is a
 * failure with the fix in the message, never a silent skip. `DBELL_SKIP_E2E=1` is the one explicit way to skip them.
 */
import { existsSync } from "node:fs";
import { beforeAll, describe } from "vitest";
import { onPath } from "./process.js";
import { ensureRootfs } from "./rootfs.js";

/** Host commands the harness calls, and the Debian package providing each. */
const TOOLS: Record<string, string> = {
  "systemd-nspawn": "systemd-container",
  mmdebstrap: "mmdebstrap",
  unshare: "util-linux",
  nsenter: "util-linux",
  flock: "util-linux",
  bash: "bash",
};

export const E2E_SKIPPED = process.env["DBELL_SKIP_E2E"] === "1";

/** Throws an error saying what is missing and how to get it; resolves when the host can boot nodes. */
export function preflight(): void {
  const problems: string[] = [];
  if (process.getuid?.() !== 0) problems.push("the end-to-end tests boot systemd-nspawn nodes and must run as root");
  const missing = Object.keys(TOOLS).filter((t) => !onPath(t));
  if (missing.length) problems.push(`missing host tools: ${missing.map((t) => `${t} (package ${TOOLS[t]})`).join(", ")}`);
  if (!existsSync("/sys/fs/cgroup/unified") && !existsSync("/sys/fs/cgroup/cgroup.controllers")) {
    problems.push("no cgroup2 hierarchy at /sys/fs/cgroup/unified or /sys/fs/cgroup");
  }
  if (problems.length) {
    throw new Error(`cannot run the end-to-end tests:\n  - ${problems.join("\n  - ")}\n` +
      "install the host packages with `sudo .ci/install-host-deps.sh`, or set DBELL_SKIP_E2E=1 to skip these tests");
  }
}

/**
 * `describe` for a suite that boots nodes: skipped under DBELL_SKIP_E2E=1, otherwise checks the host and builds (or
 * reuses) the node rootfs before the suite's own hooks run.
 */
export function describeE2E(name: string, body: () => void): void {
  describe.skipIf(E2E_SKIPPED)(name, () => {
    beforeAll(async () => {
      preflight();
      await ensureRootfs();
    }, 900_000);
    body();
  });
}
