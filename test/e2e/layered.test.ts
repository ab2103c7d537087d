/**
 * Layered rules on a booted node: with two role labels the node's sysctl and mounts pods (each the one DaemonSet its
 * affinity picks) apply the union of both roles; when one label goes, that role's settings are reverted and the
 * other role's stay.
 */
import { expect, test } from "vitest";
import { describeE2E, showRun, withNode, type Node } from "./support/node.js";

const POLICY = `
set sysctl net.ipv4.tcp_syncookies = 1
layer on label node-role.example.com/storage in [yes] {
  set sysctl net.core.somaxconn = 2048
  set mounts storage { target = /srv/storage  device = tmpfs  type = tmpfs  options = "size=8m" }
}
layer on label node-role.example.com/compute in [yes] {
  set sysctl net.ipv4.ip_forward = 1
  set mounts compute { target = /srv/compute  device = tmpfs  type = tmpfs  options = "size=4m" }
}
`;

const BOTH = { "node-role.example.com/storage": "yes", "node-role.example.com/compute": "yes" };
const COMPUTE = { "node-role.example.com/compute": "yes" };

async function applyOk(node: Node, module: string, labels: Record<string, string>): Promise<void> {
  const r = await node.apply(POLICY, module, { labels });
  expect(r.code, showRun(r)).toBe(0);
  expect(r.stderr, showRun(r)).not.toMatch(/ERROR/);
}

async function sysctl(node: Node, key: string): Promise<string> {
  return (await node.readFile(`/proc/sys/${key.replace(/\./g, "/")}`))!.trim();
}

async function mounted(node: Node, target: string): Promise<boolean> {
  return (await node.exec(["findmnt", "-n", "--mountpoint", target])).code === 0;
}

describeE2E("layered rules", () => {
  test("a node with two roles gets both roles' sysctls and mounts, and loses one role's when its label goes", async () => {
    await withNode(async (node) => {
      const somaxconn = await sysctl(node, "net.core.somaxconn");
      expect(somaxconn).not.toBe("2048");
      expect(await sysctl(node, "net.ipv4.ip_forward")).toBe("0");

      await applyOk(node, "sysctl", BOTH);
      await applyOk(node, "mounts", BOTH);
      expect(await sysctl(node, "net.core.somaxconn")).toBe("2048");
      expect(await sysctl(node, "net.ipv4.ip_forward")).toBe("1");
      expect(await sysctl(node, "net.ipv4.tcp_syncookies")).toBe("1");
      expect(await mounted(node, "/srv/storage")).toBe(true);
      expect(await mounted(node, "/srv/compute")).toBe(true);

      // The storage label is removed: the node's pods are now those of the compute-only cell.
      await applyOk(node, "sysctl", COMPUTE);
      await applyOk(node, "mounts", COMPUTE);
      expect(await sysctl(node, "net.core.somaxconn")).toBe(somaxconn);
      expect(await sysctl(node, "net.ipv4.ip_forward")).toBe("1");
      expect(await mounted(node, "/srv/storage")).toBe(false);
      expect(await mounted(node, "/srv/compute")).toBe(true);
      expect(await node.exists("/etc/systemd/system/srv-storage.mount")).toBe(false);
    });
  });
});
