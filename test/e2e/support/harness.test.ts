/** The e2e harness itself: the pod emulation matches a real pod, nodes cannot touch this machine, stop cleans up. */
import { existsSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, expect, test } from "vitest";
import { cgroupDirs } from "./cgroups.js";
import { bootNode, describeE2E, showRun, type Node } from "./node.js";

describeE2E("e2e harness", () => {
  let node: Node;
  beforeAll(async () => {
    node = await bootNode({ labels: { role: "probe" } });
  });
  afterAll(async () => {
    await node?.stop();
  });

  test("a node is a booted systemd with its own hostname, network and veths", async () => {
    expect((await node.shOk("systemctl is-system-running || true")).trim()).toMatch(/^(running|degraded)$/);
    expect((await node.shOk("hostname")).trim()).toBe(node.name);
    expect(await node.shOk("ip -o link show | awk -F': ' '{print $2}' | sort")).toBe("ens3@ens4\nens4@ens3\nlo\n");
    expect(await node.readFile("/no/such/file")).toBeUndefined();
  });

  test("the chroot runner sees the node's processes and systemd, and later mounts (HostToContainer)", async () => {
    const script = [
      "#!/bin/bash",
      "set -e",
      "cat /proc/1/comm",
      "hostname",
      "printf '[Mount]\\nWhat=tmpfs\\nWhere=/srv/probe\\nType=tmpfs\\n' >/etc/systemd/system/srv-probe.mount",
      "systemctl daemon-reload",
      "systemctl start srv-probe.mount",
      "findmnt -n -o FSTYPE /srv/probe",
      "echo to-stderr >&2",
      "exit 7",
    ].join("\n");
    const r = await node.runHostScript(script, { name: "probe.sh" });
    expect(r.code, showRun(r)).toBe(7);
    expect(r.stdout).toBe(`systemd\n${node.name}\ntmpfs\n`);
    expect(r.stderr).toBe("to-stderr\n");
    // The entry script's copy is removed after the run.
    expect(await node.shOk("ls /tmp | grep -c '^dbell\\.' || true")).toBe("0\n");
  });

  test("the container's capabilities bound the host script", async () => {
    const script = "#!/bin/bash\nip link set ens4 down && echo ok\n";
    const without = await node.runHostScript(script, { capabilities: ["CHOWN", "SYS_CHROOT"] });
    expect(without.code, showRun(without)).not.toBe(0);
    const withNetAdmin = await node.runHostScript(script, { capabilities: ["SYS_CHROOT", "NET_ADMIN"] });
    expect(withNetAdmin.stdout, showRun(withNetAdmin)).toBe("ok\n");
    await node.shOk("ip link set ens4 up");
  });

  test("no_new_privs and the RuntimeDefault filter confine the host script as the pod's securityContext does", async () => {
    const script = "#!/bin/bash\ngrep NoNewPrivs /proc/self/status\nif unshare -m true 2>/dev/null; then echo unshare-ok; else echo unshare-refused; fi\n";
    const confined = await node.runHostScript(script, { capabilities: ["SYS_CHROOT"], noNewPrivileges: true, seccomp: true });
    expect(confined.stdout, showRun(confined)).toMatch(/^NoNewPrivs:\s+1\nunshare-refused\n$/);
    // With SYS_ADMIN, RuntimeDefault allows new namespaces; without the options nothing is confined.
    const admin = await node.runHostScript(script, { capabilities: ["SYS_CHROOT", "SYS_ADMIN"], seccomp: true });
    expect(admin.stdout, showRun(admin)).toMatch(/^NoNewPrivs:\s+0\nunshare-ok\n$/);
  });

  test("the nsenter runner runs in the mount namespace of the node's PID 1", async () => {
    const r = await node.runHostScript("#!/bin/sh\n[ \"$(readlink /proc/self/ns/mnt)\" = \"$(readlink /proc/1/ns/mnt)\" ] && echo same\n", { runner: "nsenter" });
    expect(r.stdout, showRun(r)).toBe("same\n");
  });

  test("global tunables are files of the node; net tunables are the kernel's, in the node's network namespace", async () => {
    const hostSwappiness = readFileSync("/proc/sys/vm/swappiness", "utf8");
    const hostForward = readFileSync("/proc/sys/net/ipv4/ip_forward", "utf8");
    const newSwappiness = hostSwappiness.trim() === "13" ? "14" : "13";
    const newForward = hostForward.trim() === "1" ? "0" : "1";
    await node.shOk(`sysctl -q -w vm.swappiness=${newSwappiness} net.ipv4.ip_forward=${newForward}`);
    expect((await node.readFile("/proc/sys/vm/swappiness"))!.trim()).toBe(newSwappiness);
    expect((await node.readFile("/proc/sys/net/ipv4/ip_forward"))!.trim()).toBe(newForward);
    expect(readFileSync("/proc/sys/vm/swappiness", "utf8")).toBe(hostSwappiness);
    expect(readFileSync("/proc/sys/net/ipv4/ip_forward", "utf8")).toBe(hostForward);
    // The kernel still validates net keys.
    expect((await node.sh("sysctl -w net.ipv4.tcp_syncookies=bogus")).code).not.toBe(0);
  });

  test("stop kills the node and removes its cgroups; a second stop is harmless", async () => {
    const other = await bootNode();
    const pid = other.pid;
    await other.stop();
    await other.stop();
    expect(existsSync(`/proc/${pid}`)).toBe(false);
    expect(cgroupDirs(other.id).filter(existsSync)).toEqual([]);
  });
});
