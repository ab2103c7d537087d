/**
 * End-to-end harness: boots a real Debian bookworm node (systemd in systemd-nspawn) and runs generated host scripts in
 * it exactly the way a module's pod does.
 *
 * API (stable; other modules' e2e tests build on it):
 *
 *   describeE2E(name, body)              `describe` for a suite that boots nodes (preflight.ts). Fails with the fix when a
 *                                        host tool is missing or not root; skips only under DBELL_SKIP_E2E=1. Builds the
 *                                        rootfs (cached in .e2e/, ~20 s once) before the suite's hooks.
 *   bootNode(opts?): Promise<Node>       boots a fresh node (~0.5 s). opts (all optional):
 *     name: string                       machine name = hostname = the node's `kubernetes.io/hostname`
 *                                        (default unique `dbell-<pid>-<n>`)
 *     labels: Record<string, string>     the node's labels, used by `node.apply` to pick the variant
 *     fakeProcSys: boolean               default true: non-net /proc/sys keys become plain files (the kernel's are
 *                                        never written); /proc/sys/net stays the real tunables of the node's netns,
 *                                        so init-netns-only keys (net.core.rmem_max, netdev_max_backlog) are absent
 *                                        or read-only there: test with namespaced ones (ip_forward, somaxconn)
 *     veths: [string, string][]          veth pairs created inside the node, up (default [["ens3", "ens4"]])
 *     mirror: boolean                    default false: let the node reach the Debian mirror over HTTP
 *                                        (deb.debian.org resolves to a forwarder on the host; for apt)
 *   withNode(fn, opts?)                  boots a node, runs fn(node), always stops it; returns fn's result
 *
 *   node.name / node.labels              its identity; node.pid: host PID of the node's PID 1 (systemd);
 *   node.id / node.logPath               unique id `<pid>-<n>` (names its cgroups) and its console log in .e2e/logs/
 *                                        (removed by stop() unless DBELL_E2E_KEEP_LOGS=1)
 *   node.apply(policy, module, o?)       compiles `policy` (a text, or [{ file, text }...]) with the real compiler,
 *                                        takes the module's DaemonSet whose affinity schedules it onto this node
 *                                        (o.labels overrides node.labels), assembles the host script from the program
 *                                        ConfigMap and settings object it mounts as its pod does (and checks it equals
 *                                        `dbellc script`), and runs it the way the pod does (runner, capabilities,
 *                                        no_new_privs and seccomp from the compiled pod); resolves
 *                                        { stdout, stderr, code, ms, script }
 *   node.runHostScript(text, o?)         the pod emulation (pod.ts) for a given script: `nsenter -a` into the node,
 *                                        `unshare -m --propagation slave`, rbind / at /mnt, `mount --make-rslave /mnt`;
 *                                        the script goes to a fresh /tmp/dbell.<o.name>.XXXXXX in the node and runs as
 *                                        `chroot /mnt /bin/bash FILE` (o.runner "chroot", default) or
 *                                        `nsenter -t 1 -m -u -n -i -p -- /bin/bash FILE` ("nsenter", the exec module),
 *                                        with o.capabilities as the bounding set (default: all, i.e. privileged),
 *                                        o.noNewPrivileges and o.seccomp (RuntimeDefault's refusals) as the pod's;
 *                                        the file is removed afterwards; resolves { stdout, stderr, code, ms }
 *   node.exec(argv, o?)                  runs a command in all the node's namespaces; { stdout, stderr, code, ms }.
 *                                        o: { input (stdin), env (added to PATH/HOME/LANG), timeoutMs (default 120 s) }
 *   node.sh(script, o?)                  `bash -c script` in the node; node.shOk(script) resolves its stdout, throws
 *                                        (with the output) on a non-zero exit
 *   node.readFile(path)                  the file's text, or undefined if it does not exist
 *   node.exists(path) / node.writeFile(path, text, mode = "0644")
 *   node.journal()                       the node's journal of this boot, for failure messages
 *   node.stop()                          kills the node and removes its cgroups and mounts; idempotent
 *   showRun(result)                      exit code, stdout and stderr as one string, for assertion messages
 *   compileHostScript(policy, module, { hostname, labels })   (policy.ts) the script alone, as `dbellc script` prints it
 *   podHostScript(policy, module, { hostname, labels })       (policy.ts) the script the node's pod assembles
 *
 * Every node runs with --private-network --volatile=overlay (writes vanish when it stops) in its own cgroups, inside a
 * private mount namespace. Nodes are also stopped when the test process exits, and a watchdog kills a node whose test
 * process died; cgroups of dead test processes are removed when the next node boots.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createCgroups, destroyCgroups, destroyCgroupsNow, sweepStaleCgroups } from "./cgroups.js";
import { planMirror, type Mirror } from "./mirror.js";
import { e2eDir } from "./paths.js";
import { podHostScript, type PolicyInput } from "./policy.js";
import { run, type RunOptions, type RunResult } from "./process.js";
import { podArgv, podHardening, type PodNamespaces } from "./pod.js";
import { moduleNamed } from "../../../src/modules/registry.js";
import { ensureRootfs } from "./rootfs.js";
import { waitForBoot } from "./boot-wait.js";

export { describeE2E } from "./preflight.js";
export { compileHostScript, podHostScript } from "./policy.js";
export type { RunResult } from "./process.js";

export interface NodeOptions {
  readonly name?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly fakeProcSys?: boolean;
  readonly veths?: readonly (readonly [string, string])[];
  readonly mirror?: boolean;
}

export interface HostScriptOptions {
  /** Part of the file name in the node's /tmp; a module's pod uses its PodSpec.hostScript (`sysctl_host.sh`). */
  readonly name?: string;
  readonly runner?: "chroot" | "nsenter";
  /** The container's capability bounding set (`["CHOWN", ...]`); default: all, as a privileged container. */
  readonly capabilities?: readonly string[];
  /** The node namespaces the pod shares; default: network and PID, as a hostNetwork + hostPID pod. */
  readonly namespaces?: PodNamespaces;
  /** `allowPrivilegeEscalation: false`: run with no_new_privs (needs `capabilities`). */
  readonly noNewPrivileges?: boolean;
  /** `seccompProfile: RuntimeDefault`: refuse what that profile refuses a container with these capabilities. */
  readonly seccomp?: boolean;
  readonly timeoutMs?: number;
}

export interface ApplyResult extends RunResult {
  /** The host script that ran. */
  readonly script: string;
}

/** The environment a command in the node starts with (a pod's container has about this much). */
const NODE_ENV = { PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", HOME: "/root", LANG: "C.UTF-8" };
const DEFAULT_TIMEOUT_MS = 120_000;

export class Node {
  private stopping: Promise<void> | undefined;

  constructor(
    readonly name: string,
    readonly labels: Readonly<Record<string, string>>,
    readonly pid: number,
    /** Log of systemd-nspawn (the node's console). */
    readonly logPath: string,
    /** Unique within this machine: `<test process pid>-<n>`; names the node's cgroups and log. */
    readonly id: string,
    private readonly nspawn: ChildProcess,
    private readonly mirror: Mirror | undefined,
  ) {}

  exec(argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
    return run("nsenter", ["-t", String(this.pid), "-a", "--", ...argv], {
      timeoutMs: DEFAULT_TIMEOUT_MS,
      ...opts,
      env: { ...NODE_ENV, ...opts.env },
    });
  }

  sh(script: string, opts: RunOptions = {}): Promise<RunResult> {
    return this.exec(["bash", "-c", script], opts);
  }

  async shOk(script: string, opts: RunOptions = {}): Promise<string> {
    const r = await this.sh(script, opts);
    if (r.code !== 0) throw new Error(`in node ${this.name}: \`${script}\` failed\n${showRun(r)}`);
    return r.stdout;
  }

  async readFile(path: string): Promise<string | undefined> {
    const r = await this.exec(["sh", "-c", '[ -e "$1" ] || exit 3; exec cat -- "$1"', "sh", path]);
    if (r.code === 3) return undefined;
    if (r.code !== 0) throw new Error(`in node ${this.name}: cannot read ${path}\n${showRun(r)}`);
    return r.stdout;
  }

  async exists(path: string): Promise<boolean> {
    return (await this.exec(["test", "-e", path])).code === 0;
  }

  async writeFile(path: string, text: string, mode = "0644"): Promise<void> {
    const r = await this.exec(["sh", "-c", 'cat >"$1" && chmod "$2" "$1"', "sh", path, mode], { input: text });
    if (r.code !== 0) throw new Error(`in node ${this.name}: cannot write ${path}\n${showRun(r)}`);
  }

  async journal(): Promise<string> {
    return (await this.exec(["journalctl", "-b", "--no-pager", "-o", "short-monotonic"])).stdout;
  }

  async runHostScript(text: string, opts: HostScriptOptions = {}): Promise<RunResult> {
    const name = opts.name ?? "host-script.sh";
    if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new Error(`bad host script name ${name}`);
    // As the entry script does: a fresh file in the node's /tmp (its own tmpfs, so written from inside the node's
    // mount namespace), run with bash, removed afterwards.
    const made = await this.exec(["mktemp", `/tmp/dbell.${name}.XXXXXX`]);
    if (made.code !== 0) throw new Error(`in node ${this.name}: mktemp failed\n${showRun(made)}`);
    const path = made.stdout.trim();
    await this.writeFile(path, text, "0600");
    try {
      const confine = { noNewPrivileges: opts.noNewPrivileges, seccomp: opts.seccomp };
      return await this.exec(podArgv(path, opts.runner ?? "chroot", opts.capabilities, opts.namespaces, confine), { timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS });
    } finally {
      await this.exec(["rm", "-f", "--", path]);
    }
  }

  async apply(policy: PolicyInput, module: string, opts: { labels?: Readonly<Record<string, string>>; timeoutMs?: number } = {}): Promise<ApplyResult> {
    const script = podHostScript(policy, module, { hostname: this.name, labels: opts.labels ?? this.labels });
    const mod = moduleNamed(module)!;
    const h = podHardening(mod);
    const r = await this.runHostScript(script, {
      name: mod.pod.hostScript,
      runner: mod.pod.runner,
      capabilities: h.capabilities,
      noNewPrivileges: h.noNewPrivileges,
      seccomp: h.seccomp,
      namespaces: mod.pod,
      timeoutMs: opts.timeoutMs,
    });
    return { ...r, script };
  }

  stop(): Promise<void> {
    this.stopping ??= this.teardown();
    return this.stopping;
  }

  private async teardown(): Promise<void> {
    live.delete(this.id);
    this.mirror?.stop();
    const exited = new Promise<void>((r) => (this.nspawn.exitCode !== null || this.nspawn.signalCode !== null ? r() : this.nspawn.once("exit", () => r())));
    // Killing the node's PID 1 ends its PID namespace; nspawn then tears down the overlay and exits.
    signal(this.pid, "SIGKILL");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    signal(this.nspawn.pid, "SIGKILL");
    await destroyCgroups(this.id);
    // The console log is for boots that fail (their error quotes it); DBELL_E2E_KEEP_LOGS=1 keeps every one.
    if (process.env["DBELL_E2E_KEEP_LOGS"] !== "1") rmSync(this.logPath, { force: true });
  }

  /** For the process `exit` handler. */
  stopNow(): void {
    this.mirror?.stop();
    signal(this.pid, "SIGKILL");
    signal(this.nspawn.pid, "SIGKILL");
    destroyCgroupsNow(this.id);
  }
}

function signal(pid: number | undefined, sig: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, sig);
  } catch {
    /* already gone */
  }
}

export function showRun(r: RunResult): string {
  return `exit ${r.code} after ${Math.round(r.ms)} ms\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;
}

/**
 * Per process, not per module instance: vitest re-imports this file for every test file a worker runs, and node ids
 * (cgroup names) must stay unique and every live node must be stopped at exit, whichever import booted it.
 */
interface Registry {
  seq: number;
  readonly live: Map<string, Node>;
}
const REGISTRY = Symbol.for("dbellc.e2e.nodes");
const registry: Registry = ((globalThis as Record<symbol, unknown>)[REGISTRY] as Registry | undefined) ?? (() => {
  const r: Registry = { seq: 0, live: new Map() };
  (globalThis as Record<symbol, unknown>)[REGISTRY] = r;
  process.once("exit", () => {
    for (const n of r.live.values()) n.stopNow();
  });
  return r;
})();
const live = registry.live;
let swept: Promise<void> | undefined;

/**
 * Launcher, run by sh: join the node's cgroups, start a watchdog that kills them if the test process dies, then boot
 * in a private mount namespace with a tmpfs on /run/systemd/nspawn (this machine's /run is on disk, and nspawn would
 * leave its propagation directories there).
 */
const LAUNCH = `
for d in $DBELL_CGROUPS; do echo $$ >"$d/cgroup.procs"; done
# Forked twice, so it is not a child of nspawn (whose child must be the node's PID 1 alone).
( ( while kill -0 "$DBELL_OWNER" 2>/dev/null; do sleep 1; done; echo 1 >"$DBELL_CGROUP_KILL" ) </dev/null >/dev/null 2>&1 & )
exec unshare -m --propagation private -- sh -c 'mkdir -p /run/systemd/nspawn && mount -t tmpfs tmpfs /run/systemd/nspawn && exec systemd-nspawn "$@"' sh "$@"
`;

export async function bootNode(opts: NodeOptions = {}): Promise<Node> {
  const rootfs = await ensureRootfs();
  swept ??= sweepStaleCgroups();
  await swept;
  const n = ++registry.seq;
  const id = `${process.pid}-${n}`;
  const name = opts.name ?? `dbell-${process.pid}-${n}`;
  if (!/^[a-z0-9]([a-z0-9-]{0,62})$/.test(name)) throw new Error(`node name ${name} is not a valid host name`);
  const logPath = join(e2eDir(), "logs", `${id}-${name}.log`);
  const dirs = createCgroups(id);
  const mirror = opts.mirror ? planMirror(id) : undefined;
  const args = ["-D", rootfs, "-M", name, "--register=no", "--keep-unit", "-b", "--console=read-only", "--volatile=overlay"];
  args.push(...(mirror ? mirror.nspawnArgs : ["--private-network"]));
  const log = openSync(logPath, "w");
  const nspawn = spawn("sh", ["-c", LAUNCH, "sh", ...args], {
    stdio: ["ignore", log, log],
    env: { PATH: NODE_ENV.PATH, DBELL_CGROUPS: dirs.join(" "), DBELL_OWNER: String(process.pid), DBELL_CGROUP_KILL: join(dirs[dirs.length - 1]!, "cgroup.kill") },
  });
  closeSync(log);
  nspawn.on("error", () => undefined); // a failed spawn shows as an exit, which waitForBoot reports with the log
  let node: Node | undefined;
  try {
    const pid = await waitForBoot(nspawn, logPath);
    node = new Node(name, { ...opts.labels }, pid, logPath, id, nspawn, mirror);
    live.set(id, node);
    await mirror?.attach(dirs);
    await setUp(node, opts, mirror);
    return node;
  } catch (e) {
    if (node) await node.stop();
    else {
      mirror?.stop();
      signal(nspawn.pid, "SIGKILL");
      await destroyCgroups(id);
    }
    throw e;
  }
}

/** Host name resolution (sudo wants it), veths, the fake /proc/sys and the mirror route, in one round trip. */
async function setUp(node: Node, opts: NodeOptions, mirror: Mirror | undefined): Promise<void> {
  const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  const lines = [
    "set -euo pipefail",
    `[ -e /etc/hosts ] || printf '127.0.0.1\\tlocalhost\\n::1\\tlocalhost ip6-localhost ip6-loopback\\n' >/etc/hosts`,
    `printf '127.0.1.1\\t%s\\n' ${q(node.name)} >>/etc/hosts`,
  ];
  for (const [a, b] of opts.veths ?? [["ens3", "ens4"]]) {
    lines.push(`ip link add ${q(a)} type veth peer name ${q(b)}`, `ip link set ${q(a)} up`, `ip link set ${q(b)} up`);
  }
  if (mirror) lines.push(...mirror.nodeSetup);
  if (opts.fakeProcSys ?? true) lines.push(readFileSync(join(import.meta.dirname, "fake-proc-sys.sh"), "utf8"));
  const r = await node.exec(["bash", "-s"], { input: lines.join("\n") + "\n" });
  if (r.code !== 0) throw new Error(`setting up node ${node.name} failed\n${showRun(r)}`);
}

/** Boots a node, runs `fn` with it, and stops it whatever happens. */
export async function withNode<T>(fn: (node: Node) => Promise<T>, opts: NodeOptions = {}): Promise<T> {
  const node = await bootNode(opts);
  try {
    return await fn(node);
  } finally {
    await node.stop();
  }
}
