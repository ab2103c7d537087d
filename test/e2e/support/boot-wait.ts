/** Waiting for a node to boot: find its PID 1 below systemd-nspawn, then poll `systemctl is-system-running`. */
import type { ChildProcess } from "node:child_process";
import { readFileSync, readlinkSync } from "node:fs";
import { run, sleep } from "./process.js";

const BOOT_TIMEOUT_MS = 60_000;

/** The child of systemd-nspawn that runs in a PID namespace of its own: the node's PID 1. */
function nodeInit(nspawnPid: number): number | undefined {
  try {
    const ours = readlinkSync("/proc/self/ns/pid");
    const kids = readFileSync(`/proc/${nspawnPid}/task/${nspawnPid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
    return kids.map(Number).find((k) => readlinkSync(`/proc/${k}/ns/pid`) !== ours);
  } catch {
    return undefined;
  }
}

function tail(path: string): string {
  try {
    return readFileSync(path, "utf8").split("\n").slice(-30).join("\n");
  } catch {
    return "(no log)";
  }
}

/**
 * Resolves the host PID of the node's PID 1 once systemd reports `running` (or `degraded`: a unit failing in the
 * minimal image is not the harness's concern). Rejects with the console log if nspawn exits or the boot hangs.
 */
export async function waitForBoot(nspawn: ChildProcess, logPath: string): Promise<number> {
  const deadline = Date.now() + BOOT_TIMEOUT_MS;
  let state = "not started";
  while (Date.now() < deadline) {
    if (nspawn.exitCode !== null || nspawn.signalCode !== null) {
      throw new Error(`systemd-nspawn exited (${nspawn.exitCode ?? nspawn.signalCode}) before the node booted; console log ${logPath}:\n${tail(logPath)}`);
    }
    const leader = nspawn.pid === undefined ? undefined : nodeInit(nspawn.pid);
    if (leader !== undefined) {
      const r = await run("nsenter", ["-t", String(leader), "-a", "--", "systemctl", "is-system-running"], { timeoutMs: 10_000 });
      state = r.stdout.trim() || r.stderr.trim();
      if (state === "running" || state === "degraded") return leader;
    }
    await sleep(50);
  }
  throw new Error(`node did not boot within ${BOOT_TIMEOUT_MS / 1000} s (last state: ${state}); console log ${logPath}:\n${tail(logPath)}`);
}
