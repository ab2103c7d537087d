/**
 * Vitest global setup: on a fresh root machine, `npm test` installs the Debian packages the shellcheck and
 * end-to-end tests need by running .ci/install-host-deps.sh (which names every package it installs) before any test
 * starts. Not as root, under DBELL_SKIP_E2E=1, or without apt-get, it does nothing and the preflight explains what is
 * missing. DBELL_NO_PROVISION=1 turns it off.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { onPath } from "./process.js";
import { REPO_ROOT } from "./paths.js";

const NEEDED = ["systemd-nspawn", "mmdebstrap", "unshare", "nsenter", "flock", "shellcheck", "socat", "ip"];

export default function provision(): void {
  if (process.env["DBELL_SKIP_E2E"] === "1" || process.env["DBELL_NO_PROVISION"] === "1") return;
  if (process.getuid?.() !== 0 || !onPath("apt-get")) return;
  const missing = NEEDED.filter((t) => !onPath(t));
  const script = join(REPO_ROOT, ".ci/install-host-deps.sh");
  if (missing.length === 0 || !existsSync(script)) return;
  process.stderr.write(`npm test: ${missing.join(", ")} missing; installing the host packages with .ci/install-host-deps.sh (set DBELL_NO_PROVISION=1 to skip)\n`);
  const r = spawnSync("bash", [script], { stdio: ["ignore", "inherit", "inherit"] });
  if (r.status !== 0) process.stderr.write(`npm test: .ci/install-host-deps.sh failed (status ${r.status}); the end-to-end preflight will say what is missing\n`);
}
