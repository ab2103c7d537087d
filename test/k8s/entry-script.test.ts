/**
 * The entry script, run for real the way a pod runs it: in private mount and PID namespaces, chrooted into a minimal
 * "image" (this machine's /usr), with this machine's / at /mnt, the program ConfigMap's files at /dbell/program and
 * the settings at /dbell/settings. The entry script is PID 1 of its PID namespace, so it also stands in for the
 * node's init that `nsenter -t 1` enters. It must assemble program + settings, run the result on the node, keep its
 * copies private, mark the pod ready only after a successful run, log the sleep line, stop promptly on SIGTERM, and
 * fail loudly.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ENTRY_KEY, entryScript, hostScriptKey, PROGRAM_DIR, READY_MARKER, ROOT_MOUNT, SETTINGS_DIR, SETTINGS_KEY } from "../../src/backends/k8s/entry-script.js";
import type { HostModule, PodSpec } from "../../src/modules/module.js";
import { MODULES } from "../../src/modules/registry.js";

function fake(name: string, pod: Partial<PodSpec>): HostModule {
  return {
    name,
    summary: "",
    schema: { kind: "Record", doc: "", fields: {} },
    settings: () => ({}),
    bashCalls: () => [],
    about: { band: "DB89", codes: {}, shellFiles: [], docs: "", checkSample: "", benchSample: () => "" },
    pod: { hostScript: `${name}_host.sh`, runner: "chroot", capabilities: [], readOnlyRootFilesystem: true, hostNetwork: false, hostPID: false, settingsIn: "ConfigMap", ...pod },
  };
}

const UNSHARE = ["-m", "-p", "-f", "--kill-child", "--propagation", "private"];
const canRun = process.getuid?.() === 0 && spawnSync("unshare", [...UNSHARE, "true"]).status === 0;
const running = new Set<number>();
const work = mkdtempSync(join(tmpdir(), "dbell-entry-"));
afterAll(() => {
  // unshare --kill-child takes the pod's PID namespace down with it.
  for (const pid of running) process.kill(pid, "SIGKILL");
  rmSync(work, { recursive: true, force: true });
});

// Builds the pod's view in a private mount namespace, then runs the entry script as the container would.
const POD = `
set -eu
img=$1
mkdir -p "$img/usr" "$img/mnt" "$img/dbell/program" "$img/dbell/settings" "$img/dev" "$img/proc" "$img/tmp"
for d in bin lib lib64 sbin; do ln -s "usr/$d" "$img/$d"; done
mount --bind /usr "$img/usr"
mount --rbind /dev "$img/dev"
# The /proc of this PID namespace, as a hostPID pod sees the node's processes.
mount -t proc proc "$img/proc"
mount --rbind / "$img/mnt"
mount --bind "$img.program" "$img/dbell/program"
mount --bind "$img.settings" "$img/dbell/settings"
exec chroot "$img" /bin/bash /dbell/program/entry.sh
`;

interface Pod {
  readonly output: () => string;
  readonly exited: Promise<{ code: number | null; signal: string | null }>;
  readonly stop: () => void;
}

/** Starts the pod; the host script is `program` + `settings`, as the program ConfigMap and settings object carry it. */
function startPod(mod: HostModule, program: string, settings = ""): Pod & { readonly root: string } {
  const img = join(work, mod.name);
  mkdirSync(`${img}.program`, { recursive: true });
  mkdirSync(`${img}.settings`, { recursive: true });
  // The program ConfigMap's files (entry script and program) and the settings object's, under their keys.
  writeFileSync(join(`${img}.program`, ENTRY_KEY), entryScript(mod));
  writeFileSync(join(`${img}.program`, hostScriptKey(mod)), program);
  writeFileSync(join(`${img}.settings`, SETTINGS_KEY), settings);
  const child = spawn("unshare", [...UNSHARE, "bash", "-c", POD, "pod", img], { stdio: ["ignore", "pipe", "pipe"] });
  running.add(child.pid!);
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.on("exit", (code, signal) => {
      running.delete(child.pid!);
      resolve({ code, signal });
    }),
  );
  // SIGTERM goes to the entry script (unshare's child), as the kubelet sends it to the container's process.
  const stop = () => {
    for (const pid of readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, "utf8").split(/\s+/).filter(Boolean)) process.kill(Number(pid), "SIGTERM");
  };
  return { output: () => out, exited, stop, root: img };
}

async function waitFor(pod: Pod, text: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!pod.output().includes(text)) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${JSON.stringify(text)}; output:\n${pod.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A host script that proves where it runs: it appends its root's view of `marker` and its PID namespace. */
function markerScript(marker: string, exit = 0): string {
  return `#!/bin/bash\necho "host script ran"\necho ran >>${JSON.stringify(marker)}\nexit ${exit}\n`;
}

describe("entry script", () => {
  it("is valid bash and shellcheck-clean for every registered module", () => {
    for (const mod of [...MODULES, fake("looping", { loopSeconds: 60, runner: "nsenter" })]) {
      const text = entryScript(mod);
      expect(spawnSync("bash", ["-n"], { input: text }).status).toBe(0);
      const sc = spawnSync("shellcheck", ["-s", "bash", "-"], { input: text, encoding: "utf8" });
      expect(sc.error ? "" : sc.stdout, mod.name).toBe("");
    }
  });

  it("reads the files where the DaemonSet mounts them", () => {
    const text = entryScript(fake("paths", {}));
    expect(text).toContain("DBELL_HOST_SCRIPT='paths_host.sh'");
    expect(text).toContain(`cat "${PROGRAM_DIR}/$DBELL_HOST_SCRIPT" ${SETTINGS_DIR}/${SETTINGS_KEY} >`);
    expect(text).toContain(`READY=${READY_MARKER}\n`);
    expect(text).toContain(`chroot ${ROOT_MOUNT} `);
    expect(ENTRY_KEY).toBe("entry.sh");
  });

  it("refuses a host script name that is not a plain file name or that is the entry script's", () => {
    for (const bad of ["../x.sh", "a b.sh", "", "entry.sh"]) expect(() => hostScriptKey(fake("bad", { hostScript: bad }))).toThrow(/host script name/);
  });

  it.skipIf(!canRun)("runs program + settings in the node's root, keeps its copy private, becomes ready, and stops on SIGTERM", async () => {
    const marker = join(work, "once.marker");
    const script = markerScript(marker);
    const cut = script.indexOf("echo ran");
    const pod = startPod(fake("once", {}), script.slice(0, cut), script.slice(cut));
    await waitFor(pod, "INFO Putting the daemon to sleep.");
    expect(pod.output()).toContain("host script ran");
    expect(readFileSync(marker, "utf8")).toBe("ran\n");
    // The assembled script in the container's /tmp is the host script, readable by root alone (it may hold a Secret).
    expect(readFileSync(join(pod.root, "tmp/dbell-host-script.sh"), "utf8")).toBe(script);
    expect(statSync(join(pod.root, "tmp/dbell-host-script.sh")).mode & 0o777).toBe(0o600);
    expect(existsSync(join(pod.root, READY_MARKER))).toBe(true);
    // The private copy in the node's /tmp is gone after the run.
    expect(readdirSync("/tmp").filter((f) => f.startsWith("dbell.once_host.sh."))).toEqual([]);
    const t0 = Date.now();
    pod.stop();
    expect(await pod.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it.skipIf(!canRun)("reruns the host script every loopSeconds when the module asks for it", async () => {
    const marker = join(work, "loop.marker");
    const pod = startPod(fake("loop", { loopSeconds: 1 }), markerScript(marker));
    await waitFor(pod, "Putting the daemon to sleep for 1 seconds.");
    await new Promise((r) => setTimeout(r, 2500));
    pod.stop();
    await pod.exited;
    expect(readFileSync(marker, "utf8").split("\n").filter(Boolean).length).toBeGreaterThanOrEqual(2);
  });

  it.skipIf(!canRun)("runs through nsenter into PID 1's namespaces when the module's runner is nsenter", async () => {
    const marker = join(work, "nsenter.marker");
    const pod = startPod(fake("enter", { runner: "nsenter" }), markerScript(marker));
    await waitFor(pod, "Putting the daemon to sleep.");
    pod.stop();
    await pod.exited;
    expect(existsSync(marker)).toBe(true);
  });

  it.skipIf(!canRun)("exits with the host script's status and an ERROR line when the host script fails, never ready", async () => {
    const pod = startPod(fake("fails", {}), markerScript(join(work, "fails.marker"), 3));
    const { code } = await pod.exited;
    expect(code).toBe(3);
    expect(existsSync(join(pod.root, READY_MARKER))).toBe(false);
    expect(pod.output()).toMatch(/ ERROR fails: host script failed with status 3\n/);
    expect(pod.output()).not.toContain("Putting the daemon to sleep");
  });
});
