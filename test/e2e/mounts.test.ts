/** mounts on a booted node: real tmpfs mounts through systemd units, remount, revert, busy mounts, bad values. */
import { expect, test } from "vitest";
import { describeE2E, showRun, withNode, type Node } from "./support/node.js";

const UNITS = "/etc/systemd/system";
const STATE = "/var/divingbell/mounts";

function policy(mounts: Record<string, string>): string {
  return Object.entries(mounts).map(([name, body]) => `set mounts ${name} { ${body} }\n`).join("");
}

async function applyOk(node: Node, text: string): Promise<string> {
  const r = await node.apply(text, "mounts");
  expect(r.code, showRun(r)).toBe(0);
  expect(r.stderr, showRun(r)).toBe("");
  return r.stdout;
}

async function applyFails(node: Node, text: string): Promise<{ stdout: string; stderr: string }> {
  const r = await node.apply(text, "mounts");
  expect(r.code, showRun(r)).toBe(1);
  return r;
}

/** `FSTYPE OPTIONS` of the mount at `target`, or "" when nothing is mounted there. */
async function mounted(node: Node, target: string): Promise<string> {
  const r = await node.exec(["findmnt", "-n", "-o", "FSTYPE,OPTIONS", "--mountpoint", target]);
  return r.code === 0 ? r.stdout.trim() : "";
}

async function unitState(node: Node, unit: string): Promise<string> {
  const r = await node.exec(["systemctl", "show", "-p", "LoadState,ActiveState,UnitFileState", "--value", unit]);
  return r.stdout.trim().split("\n").join(" ");
}

async function list(node: Node, dir: string): Promise<string[]> {
  return (await node.shOk(`[ -d '${dir}' ] || exit 0; ls -A '${dir}'`)).split("\n").filter(Boolean).sort();
}

/** The unit file Divingbell writes for a mount (docs/modules/mounts.md), which dbellc keeps byte for byte. */
function divingbellUnit(o: { device: string; target: string; type: string; options?: string; before?: string; after?: string }): string {
  return [
    "[Unit]", "Conflicts=umount.target", `Before=${o.before ?? "docker.service"}`, `After=${o.after ?? "network-online.target"}`, "",
    "[Mount]", `What=${o.device}`, `Where=${o.target}`, `Type=${o.type}`, o.options ? `Options=${o.options}` : "", "",
    "[Install]", "WantedBy=local-fs.target", "",
  ].join("\n");
}

describeE2E("mounts host script", () => {
  test("applies, re-applies with no change, remounts in place, removes one mount, then all", async () => {
    await withNode(async (node) => {
      const v1 = policy({
        scratch: 'target = /srv/scratch  device = tmpfs  type = tmpfs  options = "size=16m,mode=1777"',
        cache: 'target = /srv/scratch/cache  device = tmpfs  type = tmpfs  options = "size=8m"',
        spaced: 'target = "/srv/my data-1%"  device = tmpfs  type = tmpfs  after = ""',
      });
      const first = await applyOk(node, v1);
      expect(first).toContain("Mounted /srv/scratch (srv-scratch.mount)");
      expect(first).toContain("All mounts successfully validated on this node.");
      expect(await mounted(node, "/srv/scratch")).toMatch(/^tmpfs\s+rw,.*size=16384k/);
      expect(await mounted(node, "/srv/scratch/cache")).toMatch(/^tmpfs\s+rw,.*size=8192k/);
      expect(await mounted(node, "/srv/my data-1%")).toMatch(/^tmpfs\s/);
      const spacedUnit = "srv-my\\x20data\\x2d1\\x25.mount";
      for (const u of ["srv-scratch.mount", "srv-scratch-cache.mount", spacedUnit]) {
        expect(await unitState(node, u)).toBe("loaded active enabled");
        expect(await node.readFile(`${STATE}/${u}`)).toBe(await node.readFile(`${UNITS}/${u}`));
      }
      expect(await node.readFile(`${UNITS}/srv-scratch.mount`)).toBe(divingbellUnit({ device: "tmpfs", target: "/srv/scratch", type: "tmpfs", options: "size=16m,mode=1777" }));
      // `%` starts a systemd specifier, so the unit file doubles it.
      expect(await node.readFile(`${UNITS}/${spacedUnit}`)).toBe(divingbellUnit({ device: "tmpfs", target: "/srv/my data-1%%", type: "tmpfs", after: "" }));

      const again = await applyOk(node, v1);
      expect(again).toContain("mounts: no changes");
      expect(again).not.toMatch(/Mounted|written|Remounted/);

      // New options are applied by remounting: the file system and what is in it stay.
      await node.shOk("echo kept >/srv/scratch/file");
      const resized = await applyOk(node, v1.replace("size=16m", "size=32m"));
      expect(resized).toContain("Remounted /srv/scratch with the new options");
      expect(await mounted(node, "/srv/scratch")).toMatch(/size=32768k/);
      expect(await node.readFile("/srv/scratch/file")).toBe("kept\n");
      expect(await mounted(node, "/srv/scratch/cache")).toMatch(/^tmpfs/);

      const v2 = policy({ scratch: 'target = /srv/scratch  device = tmpfs  type = tmpfs  options = "size=32m,mode=1777"' });
      const dropped = await applyOk(node, v2);
      expect(dropped).toContain("Reverted mount: srv-scratch-cache.mount");
      expect(await mounted(node, "/srv/scratch/cache")).toBe("");
      expect(await mounted(node, "/srv/my data-1%")).toBe("");
      expect(await unitState(node, "srv-scratch-cache.mount")).toMatch(/^not-found inactive/);
      expect(await list(node, STATE)).toEqual(["srv-scratch.mount"]);
      expect(await list(node, `${UNITS}/local-fs.target.wants`)).not.toContain("srv-scratch-cache.mount");
      expect(await node.readFile("/srv/scratch/file")).toBe("kept\n");

      const none = await applyOk(node, "");
      expect(none).toContain("Reverted mount: srv-scratch.mount");
      expect(await mounted(node, "/srv/scratch")).toBe("");
      expect(await list(node, STATE)).toEqual([]);
      expect(await node.exists(`${UNITS}/srv-scratch.mount`)).toBe(false);
      expect(await node.exists("/srv/scratch")).toBe(true);
      expect(await applyOk(node, "")).toContain("mounts: no changes");
    });
  });

  test("bad values fail with an ERROR and lose nothing; fixing the policy cleans up", async () => {
    await withNode(async (node) => {
      const good = policy({ scratch: 'target = /srv/scratch  device = tmpfs  type = tmpfs  options = "size=16m"' });
      await applyOk(node, good);
      await node.shOk("echo kept >/srv/scratch/file");
      const goodUnit = await node.readFile(`${UNITS}/srv-scratch.mount`);

      const bad = policy({
        scratch: 'target = /srv/scratch  device = /dev/nonexistent  type = ext4',
        broken: "target = /srv/broken  device = tmpfs  type = nosuchfs",
      });
      const r = await applyFails(node, bad);
      expect(r.stderr).toContain("ERROR Mount failed: srv-broken.mount");
      expect(r.stderr).toContain("ERROR Mount failed: srv-scratch.mount (scratch: device /dev/nonexistent does not exist)");
      expect(r.stdout).toMatch(/unknown filesystem type 'nosuchfs'|special device tmpfs does not exist|wrong fs type/);
      // The existing mount, its unit and its record are as before; the failed unit is recorded, so it can be reverted.
      expect(await mounted(node, "/srv/scratch")).toMatch(/size=16384k/);
      expect(await node.readFile("/srv/scratch/file")).toBe("kept\n");
      expect(await node.readFile(`${UNITS}/srv-scratch.mount`)).toBe(goodUnit);
      expect(await node.readFile(`${STATE}/srv-scratch.mount`)).toBe(goodUnit);
      expect(await list(node, STATE)).toEqual(["srv-broken.mount", "srv-scratch.mount"]);

      const again = await applyFails(node, bad);
      expect(again.stderr).toContain("ERROR Mount failed: srv-broken.mount");

      const fixed = await applyOk(node, good);
      expect(fixed).toContain("Reverted mount: srv-broken.mount");
      expect(await list(node, STATE)).toEqual(["srv-scratch.mount"]);
      expect(await unitState(node, "srv-broken.mount")).toMatch(/^not-found inactive/);
      expect(await node.readFile("/srv/scratch/file")).toBe("kept\n");
      expect(await applyOk(node, good)).toContain("mounts: no changes");
    });
  });

  test("a busy mount is not reverted: the run fails naming it, keeps it managed, and reverts it once free", async () => {
    await withNode(async (node) => {
      const v = policy({
        busy: "target = /srv/busy  device = tmpfs  type = tmpfs",
        free: "target = /srv/free  device = tmpfs  type = tmpfs",
      });
      await applyOk(node, v);
      const pid = (await node.shOk("cd /srv/busy && { setsid sleep 600 </dev/null >/dev/null 2>&1 & echo $!; }")).trim();
      expect(pid).toMatch(/^[0-9]+$/);

      const r = await applyFails(node, "");
      expect(r.stderr).toContain("ERROR Cannot unmount /srv/busy (srv-busy.mount)");
      expect(r.stdout).toContain("target is busy");
      expect(r.stdout).toContain("Reverted mount: srv-free.mount");
      expect(await mounted(node, "/srv/busy")).toMatch(/^tmpfs/);
      expect(await unitState(node, "srv-busy.mount")).toBe("loaded active enabled");
      expect(await list(node, STATE)).toEqual(["srv-busy.mount"]);

      await node.shOk(`kill ${pid}; while kill -0 ${pid} 2>/dev/null; do sleep 0.05; done`);
      expect(await applyOk(node, "")).toContain("Reverted mount: srv-busy.mount");
      expect(await mounted(node, "/srv/busy")).toBe("");
      expect(await list(node, STATE)).toEqual([]);
    });
  });

  test("a node Divingbell managed: its units are taken over unchanged, an unrecorded unit gets recorded", async () => {
    await withNode(async (node) => {
      const old = divingbellUnit({ device: "tmpfs", target: "/divingbell1", type: "tmpfs" });
      await node.writeFile(`${UNITS}/divingbell1.mount`, old);
      await node.shOk(`mkdir -p ${STATE} && cp ${UNITS}/divingbell1.mount ${STATE}/`);
      // Divingbell's bug: a unit whose first mount failed was left without a record.
      await node.writeFile(`${UNITS}/orphan.mount`, divingbellUnit({ device: "tmpfs", target: "/orphan", type: "tmpfs", options: "size=4m" }));
      await node.shOk("mkdir -p /divingbell1 /orphan && systemctl daemon-reload && systemctl enable --now divingbell1.mount orphan.mount");

      const v = policy({
        divingbell1: "target = /divingbell1  device = tmpfs  type = tmpfs",
        orphan: 'target = /orphan  device = tmpfs  type = tmpfs  options = "size=4m"',
      });
      const taken = await applyOk(node, v);
      expect(taken).toContain("Recorded the existing unit orphan.mount as managed");
      expect(taken).toContain("1 change(s)");
      expect(await node.readFile(`${UNITS}/divingbell1.mount`)).toBe(old);
      expect(await applyOk(node, v)).toContain("mounts: no changes");

      await applyOk(node, "");
      expect(await mounted(node, "/divingbell1")).toBe("");
      expect(await mounted(node, "/orphan")).toBe("");
      expect(await list(node, STATE)).toEqual([]);
    });
  });
});
