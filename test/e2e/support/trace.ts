/**
 * Counting what a host script spawns: runs a module's host script on a booted node exactly as `node.apply` does, but
 * under `strace -f` started from outside the node, and counts the processes (forks) and programs (execs) that the
 * script's bash created. The pod emulation's own processes (nsenter, unshare, sh, chroot, setpriv) are not counted.
 *
 *   tracedApply(node, policy, module)    { ...RunResult, script, processes, execs, programs }
 *
 * A count does not depend on the machine's speed; `ms` under strace does (a lot), so time runs with `node.apply`.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ApplyResult, Node } from "./node.js";
import { podArgv, podCapabilities } from "./pod.js";
import { compileHostScript, hostModule, podOf, type PolicyInput } from "./policy.js";
import { onPath, run } from "./process.js";

export interface TracedResult extends ApplyResult {
  /** Processes the script created: every fork/clone (command substitutions and subshells too), threads excluded. */
  readonly processes: number;
  /** Programs the script and its children executed (successful execve calls after the script's own bash). */
  readonly execs: number;
  /** How often each program ran, by file name, most frequent first: where the processes go. */
  readonly programs: readonly (readonly [string, number])[];
}

const NODE_ENV = { PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", HOME: "/root", LANG: "C.UTF-8" };

export async function tracedApply(node: Node, policy: PolicyInput, module: string, timeoutMs = 600_000): Promise<TracedResult> {
  if (!onPath("strace")) throw new Error("counting processes needs strace on this machine: install it with `sudo .ci/install-host-deps.sh`");
  const script = compileHostScript(policy, module, { hostname: node.name, labels: node.labels });
  const pod = podOf(module);
  const made = await node.exec(["mktemp", `/tmp/dbell.${pod.hostScript}.XXXXXX`]);
  if (made.code !== 0) throw new Error(`in node ${node.name}: mktemp failed: ${made.stderr}`);
  const path = made.stdout.trim();
  await node.writeFile(path, script, "0600");
  const dir = mkdtempSync(join(tmpdir(), "dbell-trace-"));
  const out = join(dir, "strace.out");
  try {
    const argv = ["-t", String(node.pid), "-a", "--", ...podArgv(path, pod.runner, podCapabilities(hostModule(module)), pod)];
    const r = await run("strace", ["-f", "-qq", "--pidns-translation", "-s", "256", "-e", "trace=execve,clone,clone3,fork,vfork", "-e", "signal=none", "-o", out, "nsenter", ...argv], { env: NODE_ENV, timeoutMs });
    const counts = countSpawns(readFileSync(out, "utf8"), path);
    return { ...r, script, ...counts };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await node.exec(["rm", "-f", "--", path]);
  }
}

/** Counts, in `strace -f` output, the forks and execs below the process that ran `/bin/bash SCRIPT`. */
export function countSpawns(trace: string, scriptPath: string): Pick<TracedResult, "processes" | "execs" | "programs"> {
  const pending = new Map<string, string>();
  const children = new Map<string, { child: string; thread: boolean }[]>();
  const execs: { pid: string; program: string }[] = [];
  let root: string | undefined;
  for (const raw of trace.split("\n")) {
    const m = /^(\d+)\s+(.*)$/.exec(raw);
    if (!m) continue;
    const pid = m[1]!;
    let text = m[2]!;
    // strace splits a call that another process interrupts: `clone(... <unfinished ...>` and `<... clone resumed>...`.
    if (text.endsWith("<unfinished ...>")) {
      pending.set(pid, text.slice(0, -"<unfinished ...>".length));
      continue;
    }
    const resumed = /^<\.\.\. \w+ resumed>(.*)$/.exec(text);
    if (resumed) {
      text = (pending.get(pid) ?? "") + resumed[1]!;
      pending.delete(pid);
    }
    // The node has its own PID namespace: a fork returns the child's PID there, which --pidns-translation follows
    // with the PID strace prints (`= 2 /* 3558 in strace's PID NS */`).
    const call = /^(\w+)\((.*)\)\s+=\s+(-?\d+)(?: \/\* (\d+) in strace's PID NS \*\/)?/.exec(text);
    if (!call) continue;
    const [, name, args, inner, outer] = call as unknown as [string, string, string, string, string | undefined];
    const ret = outer ?? inner;
    if (name === "execve") {
      if (ret !== "0") continue;
      const program = /^"([^"]*)"/.exec(args)?.[1] ?? "?";
      if (root === undefined && program === "/bin/bash" && args.includes(scriptPath)) {
        // The pod's shell becomes the script's bash (exec, same PID): what it ran before (mount) is not the script's.
        root = pid;
        children.delete(pid);
      } else execs.push({ pid, program });
    } else if (Number(ret) > 0) {
      const list = children.get(pid) ?? [];
      list.push({ child: ret, thread: args.includes("CLONE_THREAD") });
      children.set(pid, list);
    }
  }
  if (root === undefined) throw new Error(`the trace shows no /bin/bash running ${scriptPath}`);
  const below = new Set<string>();
  let processes = 0;
  const walk = (pid: string): void => {
    for (const { child, thread } of children.get(pid) ?? []) {
      if (below.has(child)) continue;
      below.add(child);
      if (!thread) processes++;
      walk(child);
    }
  };
  walk(root);
  const programs = new Map<string, number>();
  let execCount = 0;
  for (const e of execs) {
    if (!below.has(e.pid)) continue;
    execCount++;
    const base = e.program.slice(e.program.lastIndexOf("/") + 1);
    programs.set(base, (programs.get(base) ?? 0) + 1);
  }
  return { processes, execs: execCount, programs: [...programs].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])) };
}
