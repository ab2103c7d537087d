/**
 * apparmor on a booted node. This machine's kernel has no AppArmor, so a profile can be compile-checked, saved and
 * linked but never loaded: the tests assert the files, links and stale handling, the compile check, and that the
 * script then fails with an ERROR naming the cause. Loading for real needs a kernel with AppArmor: the opt-in tier at
 * the end (DBELL_E2E_KERNEL=1) boots Debian's kernel in QEMU for that.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { compileHostScript } from "./support/policy.js";
import { describeE2E, showRun, withNode, type Node } from "./support/node.js";
import { e2eDir } from "./support/paths.js";
import { onPath, run, runOk } from "./support/process.js";
import { ensureRootfs } from "./support/rootfs.js";

const SAVED = "/var/divingbell/apparmor";
const ETC = "/etc/apparmor.d";
const FEATURES = "/usr/share/apparmor-features/features";

const PING = `#include <tunables/global>
profile dbell-ping /usr/bin/ping flags=(complain) {
  #include <abstractions/base>
  network inet raw,
  /usr/bin/ping mr,
}
`;
const TRUE = `profile dbell-true /usr/bin/true {
  /usr/bin/true mr,
  # it's quoted: $(not run) \`nor this\` \\n stays two characters
}
`;

function policy(profiles: Record<string, string>, extra = ""): string {
  const body = Object.entries(profiles)
    .map(([name, text]) => `set apparmor profile ${name} = """\n${text.replace(/^(?=.)/gm, "  ")}  """\n`)
    .join("");
  return body + extra;
}

async function savedFiles(node: Node): Promise<string[]> {
  return (await node.shOk(`ls -A ${SAVED} 2>/dev/null || true`)).split("\n").filter(Boolean).sort();
}

async function link(node: Node, name: string): Promise<string | undefined> {
  const r = await node.exec(["readlink", `${ETC}/${name}`]);
  return r.code === 0 ? r.stdout.trim() : undefined;
}

/** The failure every load gives on this kernel, after the profiles are saved and linked. */
function expectNoKernelFailure(r: { code: number; stdout: string; stderr: string; ms: number }, first: string): void {
  expect(r.code, showRun(r)).toBe(1);
  expect(r.stderr).toContain(`ERROR Cannot load ${ETC}/${first}: AppArmor is not enabled in this node's kernel`);
}

describeE2E("apparmor host script", () => {
  test("compile-checks, saves and links each profile, then fails clearly because the kernel cannot load it", async () => {
    await withNode(async (node) => {
      expect((await node.sh("aa-enabled")).stdout).toContain("No");
      const p = policy({ "dbell-ping": PING, "dbell-true": TRUE }, "set apparmor complain_mode = true\n");
      const first = await node.apply(p, "apparmor");
      expectNoKernelFailure(first, "dbell-ping");
      expect(first.stdout).toContain(`AppArmor profile dbell-ping: saved ${SAVED}/dbell-ping.`);
      expect(first.stdout).toContain(`AppArmor profile dbell-true: linked ${ETC}/dbell-true.`);

      expect(await savedFiles(node)).toEqual(["dbell-ping", "dbell-true"]);
      expect(await node.readFile(`${SAVED}/dbell-ping`)).toBe(PING);
      expect(await node.readFile(`${SAVED}/dbell-true`)).toBe(TRUE);
      expect(await link(node, "dbell-ping")).toBe(`${SAVED}/dbell-ping`);
      expect(await link(node, "dbell-true")).toBe(`${SAVED}/dbell-true`);
      expect((await node.shOk(`ls -A /var/divingbell`)).split("\n").filter(Boolean)).toEqual(["apparmor"]);

      // The lint tier's check, on the files as the node has them.
      for (const name of ["dbell-ping", "dbell-true"]) {
        const c = await node.exec(["apparmor_parser", "-Q", "-K", "-M", FEATURES, `${ETC}/${name}`]);
        expect(c.code, showRun(c)).toBe(0);
        expect(c.stdout + c.stderr).toBe("");
      }

      const second = await node.apply(p, "apparmor");
      expectNoKernelFailure(second, "dbell-ping");
      expect(second.stdout).toContain(`AppArmor profile dbell-ping: ${SAVED}/dbell-ping unchanged.`);
      expect(second.stdout).not.toMatch(/saved|linked/);
    });
  });

  test("a profile that does not compile is refused before it replaces the saved one", async () => {
    await withNode(async (node) => {
      await node.apply(policy({ "dbell-true": TRUE }), "apparmor");
      const broken = TRUE.replace("/usr/bin/true mr,", "/usr/bin/true mr");
      const r = await node.apply(policy({ "dbell-true": broken, "dbell-ping": PING }), "apparmor");
      expect(r.code, showRun(r)).toBe(1);
      expect(r.stderr).toMatch(/ERROR AppArmor profile dbell-true does not compile; nothing was changed for it: .*parser error/i);
      expect(await node.readFile(`${SAVED}/dbell-true`)).toBe(TRUE);
      expect(await link(node, "dbell-true")).toBe(`${SAVED}/dbell-true`);
      expect((await node.shOk("ls -A /var/divingbell")).trim()).toBe("apparmor");
    });
  });

  test("stale profiles are unlinked and deleted with a reboot note; removing everything succeeds and then changes nothing", async () => {
    await withNode(async (node) => {
      await node.apply(policy({ "dbell-ping": PING, "dbell-true": TRUE }), "apparmor");

      const keepOne = await node.apply(policy({ "dbell-true": TRUE }), "apparmor");
      expectNoKernelFailure(keepOne, "dbell-true");
      expect(keepOne.stdout).toContain("AppArmor profile dbell-ping: removed from the policy; unloaded and deleted.");
      expect(await savedFiles(node)).toEqual(["dbell-true"]);
      expect(await link(node, "dbell-ping")).toBeUndefined();
      expect(await node.readFile("/run/reboot-required")).toBe("*** System restart required ***\n");
      expect(await node.readFile("/run/reboot-required.pkgs")).toBe(`apparmor: stale profile ${SAVED}/dbell-ping\n`);

      const none = await node.apply("", "apparmor");
      expect(none.code, showRun(none)).toBe(0);
      expect(none.stdout).toContain("AppArmor profile dbell-true: removed from the policy");
      expect(await savedFiles(node)).toEqual([]);
      expect(await link(node, "dbell-true")).toBeUndefined();
      expect(await node.readFile("/run/reboot-required.pkgs")).toBe(`apparmor: stale profile ${SAVED}/dbell-ping\napparmor: stale profile ${SAVED}/dbell-true\n`);
      expect(await node.exists(`${ETC}/lsb_release`)).toBe(true);

      const again = await node.apply("", "apparmor");
      expect(again.code, showRun(again)).toBe(0);
      expect(again.stdout).toContain("apparmor: no changes");
    });
  });

  test("a file in /etc/apparmor.d that is not its link is never replaced", async () => {
    await withNode(async (node) => {
      const packaged = await node.readFile(`${ETC}/lsb_release`);
      const r = await node.apply(policy({ lsb_release: TRUE }), "apparmor");
      expect(r.code, showRun(r)).toBe(1);
      expect(r.stderr).toContain(`ERROR Refusing to replace ${ETC}/lsb_release: it exists and is not a link to ${SAVED}/lsb_release.`);
      expect(await node.readFile(`${ETC}/lsb_release`)).toBe(packaged);
      expect(await savedFiles(node)).toEqual([]);
    });
  });

  test("a node with no profiles and nothing saved needs no AppArmor at all", async () => {
    await withNode(async (node) => {
      const r = await node.apply("set apparmor complain_mode = true\n", "apparmor");
      expect(r.code, showRun(r)).toBe(0);
      expect(r.stdout).toContain("apparmor: no changes");
    });
  });
});

/**
 * The real-kernel tier: Debian's cloud kernel boots the node tree as its initramfs under QEMU
 * (TCG; about a minute), and a boot-time unit runs the generated scripts one after another on the serial console.
 * Opt-in, because it needs qemu-system-x86 and downloads the kernel package (27 MB) into the e2e cache.
 */
const KERNEL_TIER = process.env["DBELL_E2E_KERNEL"] === "1";

interface VmStep {
  readonly code: number;
  readonly log: string;
  /** `/sys/kernel/security/apparmor/profiles` lines of this test's profiles after the step. */
  readonly loaded: string[];
}

async function kernelImage(): Promise<string> {
  const dir = join(e2eDir(), "kernel");
  mkdirSync(dir, { recursive: true });
  const script = [
    "set -e; cd \"$1\"",
    "ls boot/vmlinuz-* >/dev/null 2>&1 && exit 0",
    "pkg=$(apt-cache depends linux-image-cloud-amd64 | awk '/Depends: linux-image-/ {print $2; exit}')",
    "apt-get download \"$pkg\" && dpkg-deb -x \"$pkg\"_*.deb . && rm -f ./*.deb",
  ].join("\n");
  await runOk("flock", ["-w", "600", join(dir, ".lock"), "bash", "-c", script, "_", dir], { timeoutMs: 600_000 });
  return (await runOk("bash", ["-c", 'ls "$1"/boot/vmlinuz-* | head -1', "_", dir])).stdout.trim();
}

/** Boots the node tree under a real kernel, runs `scripts` in order as root, and returns what each did. */
async function runUnderKernel(scripts: readonly string[]): Promise<VmStep[]> {
  const tools = { "qemu-system-x86_64": "qemu-system-x86", cpio: "cpio", zstd: "zstd", "apt-get": "apt" };
  const missing = Object.entries(tools).filter(([t]) => !onPath(t));
  if (missing.length) throw new Error(`the kernel tier needs ${missing.map(([t, p]) => `${t} (package ${p})`).join(", ")}`);
  const [rootfs, kernel] = await Promise.all([ensureRootfs(), kernelImage()]);
  const work = mkdtempSync(join(e2eDir(), "vm-"));
  try {
    const extra = join(work, "extra");
    mkdirSync(join(extra, "root"), { recursive: true });
    mkdirSync(join(extra, "etc/systemd/system/multi-user.target.wants"), { recursive: true });
    scripts.forEach((text, i) => writeFileSync(join(extra, "root", `step${i}.sh`), text));
    writeFileSync(join(extra, "root", "run.sh"), [
      "exec >/dev/ttyS0 2>&1",
      `for i in $(seq 0 ${scripts.length - 1}); do`,
      '  echo "=== STEP $i"; bash "/root/step$i.sh"; echo "=== CODE $?"',
      "  grep dbell- /sys/kernel/security/apparmor/profiles; echo '=== END'",
      "done",
      "systemctl poweroff --no-block",
    ].join("\n"));
    const unit = "[Unit]\nAfter=apparmor.service\n[Service]\nType=oneshot\nExecStart=/bin/bash /root/run.sh\n";
    writeFileSync(join(extra, "etc/systemd/system/dbell-test.service"), unit);
    await runOk("ln", ["-s", "../dbell-test.service", join(extra, "etc/systemd/system/multi-user.target.wants/dbell-test.service")]);
    // Two cpio archives in one stream: the kernel unpacks them in turn, the second adding to the first.
    const cpio = 'for d in "$1" "$2"; do (cd "$d" && find . -xdev -print0 | cpio --null -o -H newc --quiet); done | zstd -1 -T2 -q >"$3"';
    await runOk("bash", ["-c", cpio, "_", rootfs, extra, join(work, "initrd.zst")], { timeoutMs: 300_000 });
    const vm = await run("qemu-system-x86_64", [
      "-accel", "tcg", "-m", "2048", "-smp", "2", "-nographic", "-no-reboot", "-kernel", kernel, "-initrd", join(work, "initrd.zst"),
      "-append", "console=ttyS0 rdinit=/sbin/init panic=-1 quiet",
    ], { timeoutMs: 600_000 });
    const steps = [...vm.stdout.replace(/\r/g, "").matchAll(/=== STEP \d+\n([\s\S]*?)=== CODE (\d+)\n([\s\S]*?)=== END/g)];
    expect(steps.length, `the VM ran ${steps.length} of ${scripts.length} steps:\n${vm.stdout.slice(-4000)}`).toBe(scripts.length);
    return steps.map((m) => ({ log: m[1]!, code: Number(m[2]), loaded: m[3]!.split("\n").filter(Boolean).sort() }));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

describeE2E("apparmor host script on a kernel with AppArmor", () => {
  describe.skipIf(!KERNEL_TIER)("QEMU (DBELL_E2E_KERNEL=1)", () => {
    test("loads, never reloads an unchanged profile, reloads on a mode change, unloads stale ones", async () => {
      const both = policy({ "dbell-ping": PING, "dbell-true": TRUE });
      const complain = both + "set apparmor complain_mode = true\n";
      const one = policy({ "dbell-true": TRUE });
      const policies = [both, both, complain, complain, one, ""];
      const s = await runUnderKernel(policies.map((p) => compileHostScript(p, "apparmor", { hostname: "vm" })));
      for (const step of s) expect(step.code, step.log).toBe(0);
      expect(s[0]!.log).toContain("AppArmor profile dbell-ping: loaded (enforce).");
      expect(s[0]!.loaded).toEqual(["dbell-ping (complain)", "dbell-true (enforce)"]);
      expect(s[1]!.log).toContain("AppArmor profile dbell-true: already loaded (enforce), unchanged.");
      expect(s[1]!.log).toContain("apparmor: no changes");
      expect(s[2]!.loaded).toEqual(["dbell-ping (complain)", "dbell-true (complain)"]);
      expect(s[3]!.log).toContain("apparmor: no changes");
      expect(s[4]!.log).toContain("AppArmor profile dbell-ping: removed from the policy; unloaded and deleted.");
      expect(s[4]!.log).toContain("AppArmor profile dbell-true: loaded (enforce).");
      expect(s[4]!.loaded).toEqual(["dbell-true (enforce)"]);
      expect(s[5]!.loaded).toEqual([]);
    }, 900_000);
  });
});
