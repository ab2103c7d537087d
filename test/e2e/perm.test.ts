/** perm on a booted node: real modes and owners, globs, backups in Divingbell's layout, the run gate, and revert. */
import { expect, test } from "vitest";
import { describeE2E, showRun, withNode, type Node } from "./support/node.js";

const STATE = "/var/divingbell/perm";

async function applyOk(node: Node, text: string): Promise<string> {
  const r = await node.apply(text, "perm");
  expect(r.code, showRun(r)).toBe(0);
  return r.stdout + r.stderr;
}

/** `<octal mode> <owner>:<group>` of each path, by name. */
async function stat(node: Node, ...paths: string[]): Promise<string[]> {
  const r = await node.exec(["stat", "-c", "%a %U:%G", "--", ...paths]);
  expect(r.code, showRun(r)).toBe(0);
  return r.stdout.trim().split("\n");
}

async function state(node: Node): Promise<string[]> {
  const out = await node.shOk(`[ -d ${STATE} ] || exit 0; cd ${STATE} && find . -mindepth 1 | sort`);
  return out.split("\n").filter(Boolean);
}

/** Files owned by root with mode 0644, directories 0755, plus a user and a group that only this node has. */
const SETUP = `
useradd -M svc && groupadd ops
mkdir -p /srv/data '/srv/with space' /srv/shared
touch /srv/data/a.key /srv/data/b.key /srv/data/c.txt '/srv/with space/f'
chmod 0644 /srv/data/* '/srv/with space/f' && chmod 0755 /srv/shared
`;

const V1 = `
set perm "/srv/data/*.key" { owner = svc  group = ops  mode = 0640 }
set perm "/srv/with space/f" { mode = 600 }
set perm /srv/shared { group = ops  mode = "g+ws" }
set perm /srv/missing { mode = 0600 }
set perm "/srv/none/*.x" { owner = root }
`;

describeE2E("perm host script", () => {
  test("applies to glob matches, re-applies with no change, changes, and restores the originals when paths leave", async () => {
    await withNode(async (node) => {
      await node.shOk(SETUP);
      const first = await applyOk(node, V1);
      expect(await stat(node, "/srv/data/a.key", "/srv/data/b.key", "/srv/data/c.txt", "/srv/with space/f", "/srv/shared")).toEqual([
        "640 svc:ops", "640 svc:ops", "644 root:root", "600 root:root", "2775 root:ops",
      ]);
      expect(first).toMatch(/WARN perm: nothing matches \/srv\/missing; skipped/);
      expect(first).toMatch(/WARN perm: nothing matches \/srv\/none\/\*\.x; skipped/);
      expect(await node.readFile(`${STATE}/-srv-data-a.key`)).toBe("644 /srv/data/a.key\n0:0 /srv/data/a.key\n");
      expect(await node.readFile(`${STATE}/-srv-with\\x20space-f`)).toBe("644 /srv/with space/f\n0:0 /srv/with space/f\n");
      const runs1 = (await state(node)).filter((p) => /^\.\/[0-9a-f]{64}$/.test(p));
      expect(runs1).toHaveLength(1);
      expect(await node.readFile(`${STATE}/${runs1[0]!.slice(2)}/exit_code`)).toBe("0\n");

      const again = await applyOk(node, V1);
      expect(again).toContain("perm: no changes");
      expect(again).not.toContain("Permissions applied");

      // A mode change is a new configuration: a new run record replaces the old one.
      const v2 = V1.replace("mode = 0640", "mode = 0600");
      expect(await applyOk(node, v2)).toContain("2 change(s)");
      expect(await stat(node, "/srv/data/a.key")).toEqual(["600 svc:ops"]);
      const runs2 = (await state(node)).filter((p) => /^\.\/[0-9a-f]{64}$/.test(p));
      expect(runs2).toHaveLength(1);
      expect(runs2[0]).not.toBe(runs1[0]);
      // The backup still holds the original, not the mode of the previous configuration.
      expect(await node.readFile(`${STATE}/-srv-data-a.key`)).toBe("644 /srv/data/a.key\n0:0 /srv/data/a.key\n");

      const v3 = v2.replace('"/srv/data/*.key"', "/srv/data/a.key");
      expect(await applyOk(node, v3)).toContain("Reverted permissions and owner: /srv/data/b.key");
      expect(await stat(node, "/srv/data/a.key", "/srv/data/b.key")).toEqual(["600 svc:ops", "644 root:root"]);
      expect(await node.exists(`${STATE}/-srv-data-b.key`)).toBe(false);

      // The whole configuration removed: every original comes back (set-gid bit of the directory included).
      await applyOk(node, "");
      expect(await stat(node, "/srv/data/a.key", "/srv/data/b.key", "/srv/with space/f", "/srv/shared")).toEqual([
        "644 root:root", "644 root:root", "644 root:root", "755 root:root",
      ]);
      expect(await state(node)).toEqual([]);
      expect(await applyOk(node, "")).toContain("perm: no changes");
    });
  });

  test("the run gate: `never` runs once per configuration, a changed configuration runs again, an interval waits", async () => {
    await withNode(async (node) => {
      await node.shOk(SETUP);
      const never = 'set perm rerun_policy = never\nset perm "/srv/data/*.key" { mode = 0600 }\n';
      await applyOk(node, never);
      await node.shOk("chmod 0666 /srv/data/a.key");
      expect(await applyOk(node, never)).toContain("applied already (rerun_policy never)");
      expect(await stat(node, "/srv/data/a.key")).toEqual(["666 root:root"]);

      // Divingbell's gate used a constant hash, so this change would never have been applied.
      await applyOk(node, never.replace("0600", "0640"));
      expect(await stat(node, "/srv/data/a.key", "/srv/data/b.key")).toEqual(["640 root:root", "640 root:root"]);

      const hourly = 'set perm rerun_interval = 3600\nset perm "/srv/data/*.key" { mode = 0600 }\n';
      await applyOk(node, hourly);
      await node.shOk("chmod 0666 /srv/data/a.key");
      expect(await applyOk(node, hourly)).toMatch(/next run due in \d+ s/);
      expect(await stat(node, "/srv/data/a.key")).toEqual(["666 root:root"]);
      await node.shOk(`for f in ${STATE}/*/last_run_timestamp; do echo $(( $(date +%s) - 3601 )) >"$f"; done`);
      expect(await applyOk(node, hourly)).toContain("Permissions applied: /srv/data/a.key");
      expect(await stat(node, "/srv/data/a.key")).toEqual(["600 root:root"]);

      // The default (`always`, no interval) enforces on every run.
      const always = 'set perm "/srv/data/*.key" { mode = 0600 }\n';
      await applyOk(node, always);
      await node.shOk("chmod 0666 /srv/data/a.key");
      await applyOk(node, always);
      expect(await stat(node, "/srv/data/a.key")).toEqual(["600 root:root"]);
    });
  });

  test("a run compares in bulk: changes made on the node are put back, files already in place are left alone", async () => {
    await withNode(async (node) => {
      await node.shOk(`${SETUP}\nchmod 2755 /srv/shared && mkdir /srv/plain && chown 4242:4343 /srv/data/c.txt`);
      const p = `
set perm "/srv/data/*.key" { owner = svc  group = ops  mode = 0640 }
set perm /srv/data/c.txt { owner = 4242  group = 4343  mode = 644 }
set perm /srv/shared { mode = 0750 }
set perm /srv/plain { mode = 00750 }
set perm "/srv/with space/f" { mode = "u=rw,go=" }
`;
      const first = await applyOk(node, p);
      // c.txt has what its entry asks (numeric ids): it was in place already.
      expect(first).not.toContain("/srv/data/c.txt (");
      expect(first).toContain("No changes made to permissions of 1 file(s)");
      // chmod keeps a directory's set-gid bit under a four-digit mode, and clears it under five.
      expect(await stat(node, "/srv/data/a.key", "/srv/shared", "/srv/plain", "/srv/with space/f")).toEqual([
        "640 svc:ops", "2750 root:root", "750 root:root", "600 root:root",
      ]);
      const ids = (): Promise<string> => node.shOk("stat -c '%a %u:%g' /srv/data/c.txt");
      expect(await ids()).toBe("644 4242:4343\n");
      const again = await applyOk(node, p);
      expect(again).toContain("perm: no changes");
      expect(again).toContain("No changes made to permissions of 6 file(s)");

      // Changes made on the node behind perm's back: a mode, an owner, a group, a directory's set-gid bit.
      await node.shOk("chmod 0666 /srv/data/a.key && chown root /srv/data/b.key && chgrp 0 /srv/data/c.txt && chmod 2750 /srv/plain");
      const back = await applyOk(node, p);
      expect(back).toContain("Permissions applied: /srv/data/a.key (666 ");
      expect(back).toContain("Permissions applied: /srv/data/b.key (640 0:");
      expect(back).toContain("Permissions applied: /srv/data/c.txt (644 4242:0 -> 644 4242:4343)");
      expect(back).toContain("Permissions applied: /srv/plain (2750 0:0 -> 750 0:0)");
      expect(back).toContain("4 change(s) applied");
      expect(await stat(node, "/srv/data/a.key", "/srv/data/b.key", "/srv/plain")).toEqual(["640 svc:ops", "640 svc:ops", "750 root:root"]);
      expect(await ids()).toBe("644 4242:4343\n");
      // A symbolic mode is applied on every run, and reported only when it changed the file.
      await node.shOk("chmod 0640 '/srv/with space/f'");
      expect(await applyOk(node, p)).toContain("Permissions applied: /srv/with space/f (640 0:0 -> 600 0:0)");
      expect(await applyOk(node, p)).toContain("perm: no changes");
    });
  });

  test("entries that match one file apply in byte order of their paths; entries with the same settings apply together", async () => {
    await withNode(async (node) => {
      await node.shOk(SETUP);
      // Two entries match a.key: the later one wins on every run, as when each entry ran on its own.
      const overlap = 'set perm "/srv/data/*" { mode = 0640 }\nset perm /srv/data/a.key { mode = 0600 }\n';
      await applyOk(node, overlap);
      expect(await stat(node, "/srv/data/a.key", "/srv/data/b.key", "/srv/data/c.txt")).toEqual(["600 root:root", "640 root:root", "640 root:root"]);
      // Without overlaps, entries asking for the same thing share one chown and chmod; each file is still logged.
      const same = "set perm /srv/data/a.key { owner = svc  mode = 0604 }\nset perm /srv/data/c.txt { owner = svc  mode = 0604 }\nset perm /srv/data/b.key { mode = 0604 }\n";
      const r = await applyOk(node, same);
      expect(r).toContain("Permissions applied: /srv/data/a.key (600 0:0 -> 604 ");
      expect(r).toContain("Permissions applied: /srv/data/c.txt (640 0:0 -> 604 ");
      expect(r).toContain("Permissions applied: /srv/data/b.key (640 0:0 -> 604 0:0)");
      expect(await stat(node, "/srv/data/a.key", "/srv/data/b.key", "/srv/data/c.txt")).toEqual(["604 svc:root", "604 root:root", "604 svc:root"]);
      expect(await applyOk(node, same)).toContain("perm: no changes");
    });
  });

  test("set-uid modes survive the chown that comes with them, in applying and in restoring", async () => {
    await withNode(async (node) => {
      await node.shOk(`${SETUP}\ncp /bin/true /srv/tool && chmod 4755 /srv/tool`);
      const p = "set perm /srv/data/a.key { owner = svc  mode = 4755 }\nset perm /srv/tool { owner = svc  group = ops  mode = 0750 }\n";
      await applyOk(node, p);
      expect(await stat(node, "/srv/data/a.key", "/srv/tool")).toEqual(["4755 svc:root", "750 svc:ops"]);
      expect(await applyOk(node, p)).toContain("perm: no changes");
      await applyOk(node, "");
      expect(await stat(node, "/srv/data/a.key", "/srv/tool")).toEqual(["644 root:root", "4755 root:root"]);
    });
  });

  test("a node Divingbell managed: its backups (with names) are restored and its constant-hash record goes", async () => {
    await withNode(async (node) => {
      await node.shOk(`${SETUP}
chown svc:ops /srv/data/c.txt && chmod 0600 /srv/data/c.txt
mkdir -p ${STATE}/4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945
echo 0 >${STATE}/4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945/exit_code
printf '644 /srv/data/c.txt\\nroot:root /srv/data/c.txt\\n' >${STATE}/-srv-data-c.txt`);
      const out = await applyOk(node, 'set perm /srv/data/a.key { mode = 0600 }\n');
      expect(out).toContain("Reverted permissions and owner: /srv/data/c.txt");
      expect(await stat(node, "/srv/data/c.txt", "/srv/data/a.key")).toEqual(["644 root:root", "600 root:root"]);
      const left = await state(node);
      expect(left).not.toContain("./-srv-data-c.txt");
      expect(left.some((p) => p.includes("4f53cda1"))).toBe(false);
    });
  });

  test("bad values: refused by the compiler, or a clear failure on the node that changes nothing", async () => {
    await withNode(async (node) => {
      await node.shOk(SETUP);
      await expect(node.apply('set perm /srv/data/a.key { mode = 0999 }\n', "perm")).rejects.toThrow(/DB2501/);
      await expect(node.apply("set perm srv/data { mode = 0600 }\n", "perm")).rejects.toThrow(/DB2503/);

      await applyOk(node, 'set perm /srv/data/c.txt { mode = 0600 }\n');
      const r = await node.apply('set perm /srv/data/c.txt { mode = 0600 }\nset perm "/srv/data/*.key" { owner = nosuchuser  mode = 0600 }\n', "perm");
      expect(r.code, showRun(r)).toBe(1);
      expect(r.stderr).toMatch(/ERROR perm: user nosuchuser \(owner for \/srv\/data\/\*\.key\) does not exist on this node/);
      expect(await stat(node, "/srv/data/a.key", "/srv/data/c.txt")).toEqual(["644 root:root", "600 root:root"]);
      expect(await node.exists(`${STATE}/-srv-data-a.key`)).toBe(false);
      expect(await node.readFile(`${STATE}/-srv-data-c.txt`)).toBe("644 /srv/data/c.txt\n0:0 /srv/data/c.txt\n");

      // Fixed on the node (the user appears), the next run of the same policy applies it.
      await node.shOk("useradd -M nosuchuser");
      const fixed = await applyOk(node, 'set perm /srv/data/c.txt { mode = 0600 }\nset perm "/srv/data/*.key" { owner = nosuchuser  mode = 0600 }\n');
      expect(fixed).toContain("Permissions applied: /srv/data/a.key");
    });
  });

  test("symbolic links are not followed: a link planted in a shared folder is skipped, in applying and in restoring", async () => {
    await withNode(async (node) => {
      // A world-writable folder where a local user plants links to files root owns.
      await node.shOk(`${SETUP}
chmod 1777 /srv/shared && touch /srv/shared/real && chmod 0644 /srv/shared/real
cp /etc/shadow /srv/shadow-copy && chmod 0640 /srv/shadow-copy && chown root:root /srv/shadow-copy
ln -s /srv/shadow-copy /srv/shared/evil`);
      const before = await stat(node, "/srv/shadow-copy");
      const p = 'set perm "/srv/shared/*" { owner = svc  group = ops  mode = 0666 }\n';
      const out = await applyOk(node, p);
      expect(out).toContain("WARN perm: skipping /srv/shared/evil, matched by /srv/shared/*: it is a symbolic link, which perm does not follow");
      expect(await stat(node, "/srv/shared/real", "/srv/shadow-copy")).toEqual(["666 svc:ops", ...before]);
      expect(await node.exists(`${STATE}/-srv-shared-evil`)).toBe(false);

      // The file that was backed up is swapped for a link before the revert: the link's target is left alone.
      await node.shOk("rm /srv/shared/real && ln -s /srv/shadow-copy /srv/shared/real");
      const revert = await applyOk(node, "");
      expect(revert).toContain("Unable to revert permissions on /srv/shared/real: it is now a symbolic link, which perm does not follow");
      expect(await stat(node, "/srv/shadow-copy")).toEqual(before);
      expect(await node.exists(`${STATE}/-srv-shared-real`)).toBe(false);

      // Asked for, a link stands for its target, which is backed up and restored under its own path.
      await applyOk(node, "set perm /srv/shared/evil { mode = 0600  follow_symlinks = true }\n");
      expect(await stat(node, "/srv/shadow-copy")).toEqual(["600 root:root"]);
      expect(await node.readFile(`${STATE}/-srv-shared-evil`)).toBe("640 /srv/shadow-copy\n0:0 /srv/shadow-copy\n");
      await applyOk(node, "");
      expect(await stat(node, "/srv/shadow-copy")).toEqual(before);
    });
  });

  test("a run waits while another run of the module holds its lock, here a run by hand in a shell on the node", async () => {
    await withNode(async (node) => {
      await node.shOk(SETUP);
      // The lock a host script run by hand (`dbellc script ... | bash`) holds while it works, for 2 s.
      await node.shOk("(flock /run/lock/dbellc-perm.lock sleep 2 </dev/null >/dev/null 2>&1 &) ; sleep 0.3");
      const r = await node.apply('set perm "/srv/data/*.key" { owner = svc  group = ops  mode = 0640 }\n', "perm");
      expect(r.code, showRun(r)).toBe(0);
      expect(r.stdout).toContain("INFO perm: another run of this module is in progress on this node; waiting for it to end");
      expect(r.ms).toBeGreaterThan(1_200);
      expect(await stat(node, "/srv/data/a.key")).toEqual(["640 svc:ops"]);
      // Another module does not wait for it.
      await node.shOk("(flock /run/lock/dbellc-perm.lock sleep 3 </dev/null >/dev/null 2>&1 &) ; sleep 0.3");
      expect((await node.apply("", "limits")).stdout).not.toContain("waiting");
    });
  });
});
