/** users on a booted node: accounts, shadow hashes, sudoers, authorized_keys, Unmanaged, expire/purge, the built-in account. */
import { expect, test } from "vitest";
import { moduleNamed } from "../../src/modules/registry.js";
import { compileHostScript } from "./support/policy.js";
import { describeE2E, showRun, withNode, type Node } from "./support/node.js";

/** Hashes of the password `pw` (libxcrypt) and public keys (ssh-keygen). */
const SHA512 = "$6$saltsalt$pauPrmdmG4BTE9h2HPmywiw152IFch6BJCEsaY6D.PLTfpV8sqvXwWdyfsgVgozkYH9B80bAip/08R2BPH2xk/";
const YESCRYPT = "$y$j9T$PaMR9EqOIAVTLDuTX3KYA1$Y62iDsjGApdB4HPUEyBqNf9D09s1.ZIWQoDWmsbs2vB";
const ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIPTMJRmowiDVuONOm7FAp84SqjOx4nwRGJVHeqcAOJq";
const P256 = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBD/cYfPF9InklE7odfubkJejW5Fi/+sJQfrI6sneuph61iyqADHHFVHhdlR6r9tpnuXinmTovy+emHPyRrBz774=";
const HEADER = "# NOTE: This file is managed by divingbell";

async function applyOk(node: Node, text: string): Promise<string> {
  const r = await node.apply(text, "users");
  expect(r.code, showRun(r)).toBe(0);
  expect(r.stdout + r.stderr).not.toContain("$6$");
  expect(r.stdout + r.stderr).not.toContain("$y$");
  return r.stdout;
}

async function shadow(node: Node, user: string): Promise<string[]> {
  return (await node.shOk(`getent shadow '${user}'`)).trim().split(":");
}

async function expires(node: Node, user: string): Promise<string> {
  const out = await node.shOk(`chage -l '${user}'`);
  return /Account expires\s*:\s*(.*)/.exec(out)![1]!;
}

async function stat(node: Node, path: string): Promise<string> {
  return (await node.shOk(`stat -c '%a %U:%G' '${path}'`)).trim();
}

describeE2E("users host script", () => {
  test("creates users with password, sudo and literal ssh keys; an Unmanaged user leaks nothing; a second run changes nothing", async () => {
    await withNode(async (node) => {
      const keyWithEscapes = `${ED25519} ops\\tlaptop $(id) 'quoted'`;
      // carol (Unmanaged, sudo, password) sorts right before dave (no fields): Divingbell gave dave carol's fields.
      const policy = `
set users user alice { password = '${SHA512}'  sudo = true  ssh_keys = ["${keyWithEscapes.replace(/\\/g, "\\\\")}", 'from="10.0.0.0/8",no-pty ${P256} ci'] }
set users user carol { password = '${YESCRYPT}'  sudo = true  ssh_keys = [Unmanaged] }
set users user dave {}
set users user "machine$" { sudo = true }
`;
      const first = await applyOk(node, policy);
      expect(first).toContain("User alice: created.");
      expect(first).toContain("User alice: password set.");

      const alice = (await node.shOk("getent passwd alice")).trim().split(":");
      expect([alice[4], alice[5], alice[6]]).toEqual(["divingbell", "/home/alice", "/bin/bash"]);
      expect((await shadow(node, "alice"))[1]).toBe(SHA512);
      expect((await shadow(node, "carol"))[1]).toBe(YESCRYPT);
      expect((await shadow(node, "dave"))[1]).toBe("*");

      expect(await node.readFile("/etc/sudoers.d/divingbell-alice-sudo")).toBe("alice ALL=(ALL) NOPASSWD:ALL\n");
      expect(await stat(node, "/etc/sudoers.d/divingbell-alice-sudo")).toBe("440 root:root");
      expect(await node.exists("/etc/sudoers.d/divingbell-dave-sudo")).toBe(false);
      expect(await node.shOk("visudo -c")).toContain("divingbell-machine$-sudo: parsed OK");
      expect(await node.shOk("sudo -l -U alice")).toContain("(ALL) NOPASSWD: ALL");
      expect(await node.shOk("sudo -l -U 'machine$'")).toContain("(ALL) NOPASSWD: ALL");
      expect(await node.shOk("sudo -l -U dave")).toContain("dave is not allowed to run sudo");

      const keys = `${HEADER}\n${keyWithEscapes}\nfrom="10.0.0.0/8",no-pty ${P256} ci\n`;
      expect(await node.readFile("/home/alice/.ssh/authorized_keys")).toBe(keys);
      expect(await stat(node, "/home/alice/.ssh")).toBe("700 alice:alice");
      expect(await stat(node, "/home/alice/.ssh/authorized_keys")).toBe("600 alice:alice");
      expect(await node.exists("/home/carol/.ssh")).toBe(false);
      expect(await node.exists("/home/dave/.ssh/authorized_keys")).toBe(false);
      expect(await node.shOk("su alice -c 'sudo -n id -u'")).toBe("0\n");

      const again = await applyOk(node, policy);
      expect(again).toContain("users: no changes");
      expect(again).toContain("User alice: ssh keys unchanged.");
    });
  });

  test("keys are repaired, replaced and removed; Unmanaged leaves a hand-written file alone", async () => {
    await withNode(async (node) => {
      await node.shOk("useradd -m -s /bin/bash eve && install -d -o eve -g eve -m 0700 /home/eve/.ssh");
      await node.writeFile("/home/eve/.ssh/authorized_keys", `${ED25519} eve's own key\n`, "0644");
      await applyOk(node, `set users user eve { ssh_keys = [Unmanaged] }\nset users user bob { ssh_keys = ['${ED25519}'] }\n`);
      expect(await node.readFile("/home/eve/.ssh/authorized_keys")).toBe(`${ED25519} eve's own key\n`);
      expect(await stat(node, "/home/eve/.ssh/authorized_keys")).toBe("644 root:root");

      await node.shOk("chmod 0644 /home/bob/.ssh/authorized_keys");
      expect(await applyOk(node, `set users user bob { ssh_keys = ['${ED25519}'] }\n`)).toContain("User bob: wrote 1 ssh key(s)");
      expect(await stat(node, "/home/bob/.ssh/authorized_keys")).toBe("600 bob:bob");

      await applyOk(node, `set users user bob { ssh_keys = ['${P256}'] }\n`);
      expect(await node.readFile("/home/bob/.ssh/authorized_keys")).toBe(`${HEADER}\n${P256}\n`);

      expect(await applyOk(node, "set users user bob {}\n")).toContain("no ssh keys in the policy; removed /home/bob/.ssh/authorized_keys");
      expect(await node.exists("/home/bob/.ssh/authorized_keys")).toBe(false);
      expect(await applyOk(node, "set users user bob { ssh_keys = [] }\n")).toContain("users: no changes");
    });
  });

  test("keys go to the home directory passwd names, written as the user, never through a symbolic link", async () => {
    await withNode(async (node) => {
      // svc's home belongs to root, as sshd allows; ghost's does not exist.
      await node.shOk("mkdir -p /srv/homes/svc && useradd -M -d /srv/homes/svc svc && useradd -M -d /nonexistent ghost");
      await node.shOk("useradd -m mallory && ln -s /etc /home/mallory/.ssh");
      await applyOk(node, `set users user svc { ssh_keys = ['${ED25519}'] }\n`);
      expect(await node.readFile("/srv/homes/svc/.ssh/authorized_keys")).toBe(`${HEADER}\n${ED25519}\n`);
      expect(await stat(node, "/srv/homes/svc/.ssh")).toBe("700 svc:svc");
      expect(await stat(node, "/srv/homes/svc/.ssh/authorized_keys")).toBe("600 svc:svc");
      expect(await applyOk(node, `set users user svc { ssh_keys = ['${ED25519}'] }\n`)).toContain("users: no changes");

      const ghost = await node.apply(`set users user ghost { password = '${SHA512}'  ssh_keys = ['${ED25519}'] }\n`, "users");
      expect(ghost.code, showRun(ghost)).toBe(1);
      expect(ghost.stderr).toMatch(/ERROR Cannot install ssh keys for user ghost: home directory \/nonexistent does not exist/);
      expect(ghost.stdout + ghost.stderr).not.toContain(SHA512);

      const evil = await node.apply(`set users user mallory { ssh_keys = ['${ED25519}'] }\n`, "users");
      expect(evil.code, showRun(evil)).toBe(1);
      expect(evil.stderr).toContain("ERROR Cannot manage ssh keys for user mallory: /home/mallory/.ssh is a symbolic link.");
      expect(await node.exists("/etc/authorized_keys")).toBe(false);
    });
  });

  test("removed users are expired with their home kept; re-added ones come back; purge deletes; others are never touched", async () => {
    await withNode(async (node) => {
      await node.shOk("useradd -m legacy");
      const v1 = `set users user alice { password = '${SHA512}'  sudo = true }\nset users user bob {}\nset users user legacy {}\n`;
      await applyOk(node, v1);
      expect(await expires(node, "alice")).toBe("never");

      const v2 = "set users user bob {}\n";
      const out = await applyOk(node, v2);
      expect(out).toContain("User alice: account expired.");
      expect(await expires(node, "alice")).toBe("Jan 02, 1970");
      expect(await expires(node, "legacy")).toBe("never");
      expect(await node.exists("/home/alice")).toBe(true);
      expect(await node.exists("/etc/sudoers.d/divingbell-alice-sudo")).toBe(false);
      expect((await node.sh("su alice -c true")).stderr).toContain("expired");
      expect(await applyOk(node, v2)).toContain("users: no changes");

      expect(await applyOk(node, v1)).toContain("User alice: account no longer expires.");
      expect(await expires(node, "alice")).toBe("never");
      expect((await shadow(node, "alice"))[1]).toBe(SHA512);

      const purged = await applyOk(node, `${v2}set users purge_expired_users = true\n`);
      expect(purged).toContain("User alice: removed from the policy; purged with its home directory.");
      expect((await node.sh("getent passwd alice")).code).toBe(2);
      expect(await node.exists("/home/alice")).toBe(false);
      expect((await node.sh("getent passwd legacy")).code).toBe(0);
      expect(await applyOk(node, `${v2}set users purge_expired_users = true\n`)).toContain("users: no changes");
    });
  });

  test("the built-in ubuntu account is expired once another user has password+sudo and keys+sudo, and restored otherwise", async () => {
    await withNode(async (node) => {
      await node.shOk("useradd -m ubuntu");
      const closed = `set users user ops { password = '${SHA512}'  sudo = true  ssh_keys = ['${ED25519}'] }\n`;
      expect(await applyOk(node, closed)).toContain("User ubuntu: account expired.");
      expect(await expires(node, "ubuntu")).toBe("Jan 02, 1970");
      expect(await applyOk(node, closed)).toContain("users: no changes");

      const open = `set users user ops { password = '${SHA512}'  sudo = true }\n`;
      expect(await applyOk(node, open)).toContain("User ubuntu: account no longer expires.");
      expect(await expires(node, "ubuntu")).toBe("never");
    });
  });

  test("runs with exactly the capabilities the pod lists, without privileged", async () => {
    const pod = moduleNamed("users")!.pod;
    expect(pod.privileged).toBeUndefined();
    await withNode(async (node) => {
      await node.shOk("useradd -m -c divingbell old");
      const policies = [
        `set users user alice { password = '${SHA512}'  sudo = true  ssh_keys = ['${ED25519}'] }\n`,
        `set users user alice { ssh_keys = ['${P256}'] }\nset users purge_expired_users = true\n`,
      ];
      for (const p of policies) {
        const r = await node.runHostScript(compileHostScript(p, "users", { hostname: node.name }), { name: pod.hostScript, capabilities: pod.capabilities });
        expect(r.code, showRun(r)).toBe(0);
      }
      expect((await node.sh("getent passwd old")).code).toBe(2);
      expect(await node.readFile("/home/alice/.ssh/authorized_keys")).toBe(`${HEADER}\n${P256}\n`);
    });
  });
});
