/** limits on a booted node: files in /etc/security/limits.d, the limits a login really gets, revert, foreign files. */
import { expect, test } from "vitest";
import { describeE2E, showRun, withNode, type Node } from "./support/node.js";

const DIR = "/etc/security/limits.d";

function policy(entries: Record<string, string>): string {
  return Object.entries(entries).map(([name, body]) => `set limits ${name} { ${body} }\n`).join("");
}

async function applyOk(node: Node, text: string): Promise<string> {
  const r = await node.apply(text, "limits");
  expect(r.code, showRun(r)).toBe(0);
  return r.stdout;
}

async function listDir(node: Node, dir: string): Promise<string[]> {
  const out = await node.shOk(`[ -d '${dir}' ] || exit 0; ls -A '${dir}'`);
  return out.split("\n").filter(Boolean).sort();
}

/** Soft and hard nofile of a fresh login session of `user` (pam_limits runs in su's session stack). */
async function nofile(node: Node, user: string): Promise<string> {
  return (await node.shOk(`su - ${user} -s /bin/bash -c 'echo "$(ulimit -Sn) $(ulimit -Hn)"'`)).trim();
}

describeE2E("limits host script", () => {
  test("applies, re-applies with no change, changes, removes, and never touches foreign files", async () => {
    await withNode(async (node) => {
      await node.shOk("useradd -m bob");
      await node.writeFile(`${DIR}/10-site.conf`, "* soft core 0\n");
      const before = await nofile(node, "bob");

      const v1 = policy({
        bob_soft: "domain = bob  type = soft  item = nofile  value = 12345",
        bob_hard: "domain = bob  type = hard  item = nofile  value = 15000",
        all_nproc: 'domain = "*"  type = -  item = nproc  value = unlimited',
      });
      const first = await applyOk(node, v1);
      expect(first).toContain("Limits setting applied");
      expect(await node.readFile(`${DIR}/60-divingbell-bob_soft.conf`)).toBe("bob soft nofile 12345\n");
      expect(await node.readFile(`${DIR}/60-divingbell-bob_hard.conf`)).toBe("bob hard nofile 15000\n");
      expect(await node.readFile(`${DIR}/60-divingbell-all_nproc.conf`)).toBe("* - nproc unlimited\n");
      expect(await nofile(node, "bob")).toBe("12345 15000");

      const again = await applyOk(node, v1);
      expect(again).not.toContain("Limits setting applied");
      expect(again).toContain("limits: no changes");

      const v2 = v1.replace("12345", "12000");
      const changed = await applyOk(node, v2);
      expect(changed).toContain("1 change(s)");
      expect(await node.readFile(`${DIR}/60-divingbell-bob_soft.conf`)).toBe("bob soft nofile 12000\n");
      expect(await nofile(node, "bob")).toBe("12000 15000");

      const v3 = policy({ bob_hard: "domain = bob  type = hard  item = nofile  value = 15000" });
      await applyOk(node, v3);
      expect(await listDir(node, DIR)).toEqual(["10-site.conf", "60-divingbell-bob_hard.conf"]);

      const none = await applyOk(node, "");
      expect(none).toContain("Reverted limits setting bob_hard");
      expect(await listDir(node, DIR)).toEqual(["10-site.conf"]);
      expect(await node.readFile(`${DIR}/10-site.conf`)).toBe("* soft core 0\n");
      expect(await listDir(node, "/var/divingbell/limits")).toEqual([]);
      expect(await nofile(node, "bob")).toBe(before);
      expect(await applyOk(node, "")).toContain("limits: no changes");
    });
  });

  test("a node Divingbell managed: its stale files go, a hand-made file under the prefix is kept and put back", async () => {
    await withNode(async (node) => {
      // Divingbell wrote one line per file and kept no record; a person wrote the second file by hand.
      await node.writeFile(`${DIR}/60-divingbell-old.conf`, "@ops soft nofile 2048\n");
      const handMade = "# site limits for the build farm\n@build soft nproc 4096\n@build hard nproc 8192\n";
      await node.writeFile(`${DIR}/60-divingbell-build.conf`, handMade);
      await node.writeFile(`${DIR}/60-divingbell-notes.conf`, "# kept by hand\n");

      const out = await applyOk(node, policy({ build: "domain = @build  type = -  item = nproc  value = 10000" }));
      expect(out).toContain("60-divingbell-build.conf was not written by Divingbell or dbellc");
      expect(await node.readFile(`${DIR}/60-divingbell-build.conf`)).toBe("@build - nproc 10000\n");
      expect(await node.readFile("/var/divingbell/limits/60-divingbell-build.conf")).toBe(handMade);
      expect(await node.exists(`${DIR}/60-divingbell-old.conf`)).toBe(false);
      expect(await node.readFile(`${DIR}/60-divingbell-notes.conf`)).toBe("# kept by hand\n");

      expect(await applyOk(node, policy({ build: "domain = @build  type = -  item = nproc  value = 10000" }))).toContain("limits: no changes");

      const removed = await applyOk(node, "");
      expect(removed).toContain("restored the earlier");
      expect(await node.readFile(`${DIR}/60-divingbell-build.conf`)).toBe(handMade);
      expect(await node.readFile(`${DIR}/60-divingbell-notes.conf`)).toBe("# kept by hand\n");
      expect(await listDir(node, "/var/divingbell/limits")).toEqual([]);
      expect(await applyOk(node, "")).toContain("limits: no changes");
    });
  });

  test("bad values: refused by the compiler, or a clear failure on the node that loses nothing", async () => {
    await withNode(async (node) => {
      await expect(node.apply(policy({ x: 'domain = "*"  type = soft  item = nofiles  value = 10' }), "limits")).rejects.toThrow(/DB2401/);
      await expect(node.apply(policy({ x: 'domain = "*"  type = soft  item = nofile  value = lots' }), "limits")).rejects.toThrow(/DB2401/);

      const good = policy({ a: 'domain = "*"  type = soft  item = nofile  value = 4096' });
      await applyOk(node, good);
      await node.shOk(`mkdir ${DIR}/60-divingbell-b.conf`);
      const r = await node.apply(good + policy({ b: 'domain = "*"  type = soft  item = core  value = 0' }), "limits");
      expect(r.code, showRun(r)).toBe(1);
      expect(r.stderr).toMatch(/ERROR limits: \/etc\/security\/limits\.d\/60-divingbell-b\.conf is a directory/);
      expect(await node.readFile(`${DIR}/60-divingbell-a.conf`)).toBe("* soft nofile 4096\n");
    });
  });
});
