/**
 * One cgroup per node, in both hierarchies this machine's systemd-nspawn writes to (cgroup v1 `name=systemd` and the
 * cgroup2 `unified` tree), so that nothing is left in the root cgroup and a node's every process can be killed at once.
 * On a machine whose PID 1 is not systemd, nspawn puts its `payload/` and `supervisor/` cgroups below the cgroup it
 * was started in and never removes them; the harness starts it in `dbell-e2e/<id>` and removes that tree itself.
 */
import { existsSync, readdirSync, readFileSync, rmdirSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { sleep } from "./process.js";

/** Hybrid (this CI machine kind): v1 `name=systemd` plus cgroup2 at `unified`; pure cgroup2: the one tree. */
const ROOTS = existsSync("/sys/fs/cgroup/unified") ? ["/sys/fs/cgroup/systemd", "/sys/fs/cgroup/unified"] : ["/sys/fs/cgroup"];
const CGROUP2 = ROOTS[ROOTS.length - 1]!;
const PARENT = "dbell-e2e";

/** The cgroup directories of one node (one per hierarchy). */
export function cgroupDirs(id: string): string[] {
  return ROOTS.map((r) => join(r, PARENT, id));
}

export function createCgroups(id: string): string[] {
  const dirs = cgroupDirs(id);
  for (const d of dirs) mkdirSync(d, { recursive: true });
  return dirs;
}

function pidsIn(dir: string): number[] {
  if (!existsSync(dir)) return [];
  const out: number[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...pidsIn(join(dir, e.name)));
  }
  const procs = readFileSync(join(dir, "cgroup.procs"), "utf8").split("\n").filter(Boolean).map(Number);
  return [...out, ...procs];
}

function killAll(id: string): number {
  // cgroup2's cgroup.kill SIGKILLs the whole subtree atomically; the v1 listing catches anything outside it.
  try {
    writeFileSync(join(CGROUP2, PARENT, id, "cgroup.kill"), "1");
  } catch {
    /* the tree is already gone, or the kernel predates cgroup.kill */
  }
  const left = cgroupDirs(id).flatMap(pidsIn);
  for (const pid of left) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      /* already exited */
    }
  }
  return left.length;
}

function removeTree(dir: string): void {
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) removeTree(join(dir, e.name));
  rmdirSync(dir);
}

/** Kills every process of node `id` and removes its cgroups; rejects if they are still busy after `timeoutMs`. */
export async function destroyCgroups(id: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = killAll(id);
    if (left === 0) {
      try {
        for (const d of cgroupDirs(id)) removeTree(d);
        return;
      } catch (e) {
        if (Date.now() > deadline) throw e;
      }
    } else if (Date.now() > deadline) {
      throw new Error(`node cgroup ${id} still has ${left} process(es) after ${timeoutMs} ms`);
    }
    await sleep(20);
  }
}

/** Best effort, synchronous: for a process `exit` handler, where nothing can be awaited. */
export function destroyCgroupsNow(id: string): void {
  killAll(id);
  try {
    for (const d of cgroupDirs(id)) removeTree(d);
  } catch {
    /* processes still dying: the next run's sweepStaleCgroups removes the rest */
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes nodes left behind by test processes that died (ids start with the owner's pid). */
export async function sweepStaleCgroups(): Promise<void> {
  const ids = new Set<string>();
  for (const r of ROOTS) {
    const parent = join(r, PARENT);
    if (!existsSync(parent)) continue;
    for (const e of readdirSync(parent, { withFileTypes: true })) if (e.isDirectory()) ids.add(e.name);
  }
  for (const id of ids) {
    const owner = Number(id.split("-")[0]);
    if (Number.isInteger(owner) && owner > 0 && !alive(owner)) await destroyCgroups(id).catch(() => undefined);
  }
}
