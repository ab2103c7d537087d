/**
 * apt on a booted node that reaches the Debian mirror through the harness's forwarder, with the compiler's host script
 * run chrooted as the apt pod runs it. apt runs are slow (an `apt-get update` is seconds), so one node walks through
 * the steps in order, each building on the node state the previous one left.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { bootNode, compileHostScript, describeE2E, showRun, type Node } from "./support/node.js";
import { podCapabilities } from "./support/pod.js";
import { hostModule, podOf } from "./support/policy.js";

const RECORD = "/var/divingbell/apt/packages";
const NO_CHANGES = /apt: no changes; the node already matches the policy\.\n$/;
const KEY = "/etc/apt/trusted.gpg.d/debian-archive-bookworm-automatic.asc";

describeE2E("apt on a node", () => {
  let node: Node;
  beforeAll(async () => {
    node = await bootNode({ mirror: true });
  });
  afterAll(async () => {
    await node?.stop();
  });

  async function apply(policy: string, expectCode = 0) {
    const r = await node.apply(policy, "apt", { timeoutMs: 300_000 });
    expect(r.code, showRun(r)).toBe(expectCode);
    return r;
  }
  /** `ii2.10-3`, `rc...`, or "" for a package the node does not have. */
  const status = async (pkg: string): Promise<string> => {
    const s = (await node.sh(`dpkg-query -W -f='\${db:Status-Abbrev}\${Version}' ${pkg}`)).stdout.replace(/ /g, "");
    return s.startsWith("un") ? "" : s;
  };
  const debconf = async (question: string): Promise<string> => (await node.shOk(`echo 'GET ${question}' | debconf-communicate || true`)).trim();

  const installHello = `set apt package hello {
  version = "2.10-3"
  debconf {
    "hello/greeting" { type = string  answer = "hi there, 'you' $(x)" }
    "hello/secret" { type = password  answer = "s3cret-value" }
  }
}
set apt package less {}
set apt blacklist = []
`;

  test("installs a pinned package, records its bare name, sets debconf answers; a second run changes nothing", async () => {
    const r = await apply(installHello);
    expect(await status("hello")).toBe("ii2.10-3");
    expect(await node.readFile(RECORD)).toBe("hello\n");
    expect(await debconf("hello/greeting")).toBe("0 hi there, 'you' $(x)");
    expect(r.stdout + r.stderr).not.toContain("s3cret-value");
    const again = await apply(installHello);
    expect(again.stdout).toMatch(NO_CHANGES);
    expect(await node.readFile(RECORD)).toBe("hello\n");
  }, 300_000);

  test("a package with only its configuration left counts as not installed", async () => {
    await node.shOk("dpkg --remove ethtool >/dev/null");
    expect(await status("ethtool")).toMatch(/^rc/);
    await apply(`${installHello}set apt package ethtool {}\n`);
    expect(await status("ethtool")).toMatch(/^ii/);
    expect(await node.readFile(RECORD)).toBe("ethtool\nhello\n");
  }, 300_000);

  test("a package apt cannot find, or an unallowed downgrade, fails the run with an ERROR and loses nothing", async () => {
    const r = await apply(`${installHello}set apt package no-such-package-dbell {}\n`, 1);
    expect(r.stderr).toMatch(/ERROR apt: installing .*no-such-package-dbell.* failed/);
    expect(r.stdout).toContain("Unable to locate package no-such-package-dbell");
    const down = await apply(installHello.replace('"2.10-3"', '"2.9-1"'), 1);
    expect(down.stderr).toContain("ERROR apt: hello 2.9-1 is older than the installed 2.10-3; set `apt allow_downgrade = true` to downgrade");
    expect(await status("hello")).toBe("ii2.10-3");
    expect(await node.readFile(RECORD)).toBe("ethtool\nhello\n");
  }, 300_000);

  test("a name apt-get would read as a removal or a pattern never reaches it, even in a script the check did not see", async () => {
    // The check refuses these names (DB2707); a host script edited by hand, or from an older compiler, may still hold them.
    const script = compileHostScript("set apt package less {}\nset apt blacklist = []\n", "apt", { hostname: node.name, labels: {} });
    expect(script).toContain("\napt_package less ''\n");
    const pod = podOf("apt");
    for (const name of ["less-", "les.+"]) {
      const r = await node.runHostScript(script.replace("\napt_package less ''\n", `\napt_package '${name}' ''\n`), { name: pod.hostScript, runner: pod.runner, capabilities: podCapabilities(hostModule("apt")), namespaces: pod, timeoutMs: 300_000 });
      expect(r.code, showRun(r)).toBe(1);
      expect(r.stderr).toContain(`ERROR apt: no package is named exactly ${name} in the node's apt sources; nothing was installed`);
      expect(await status("less")).toMatch(/^ii/);
    }
  }, 300_000);

  test("purges blacklisted packages and the ones the policy dropped, but not packages it never installed", async () => {
    const policy = "set apt package less {}\nset apt blacklist = [hello]\n";
    const r = await apply(policy);
    expect(r.stdout).toContain("purged blacklisted hello");
    expect(r.stdout).toContain("purged ethtool, no longer requested");
    expect(await status("hello")).toBe("");
    expect(await status("ethtool")).toBe("");
    expect(await status("less")).toMatch(/^ii/);
    expect(await node.exists(RECORD)).toBe(false);
    expect((await apply(policy)).stdout).toMatch(NO_CHANGES);
    // Dropping `less`, which was there before, leaves it installed.
    expect((await apply("set apt blacklist = []\n")).stdout).toMatch(NO_CHANGES);
    expect(await status("less")).toMatch(/^ii/);
  }, 300_000);

  test("repositories replace the node's sources (with their key as divingbell.gpg) and give them back", async () => {
    const original = await node.readFile("/etc/apt/sources.list");
    const armored = (await node.readFile(KEY))!;
    const binary = await node.shOk(`sed -n '/^$/,/^=/p' ${KEY} | sed '/^=/d' | base64 -d | base64 -w0`);
    // Only the policy's key can then verify the archive.
    await node.shOk("mkdir -p /root/keys && mv /etc/apt/trusted.gpg.d/debian-archive-* /root/keys/");
    const indented = armored.trimEnd().split("\n").map((l) => `    ${l}`).join("\n");
    const withRepo = `set apt repository debian {
  url = http://deb.debian.org/debian
  distributions = [bookworm]
  components = [main]
  gpgkey = """
${indented}
    """
}
set apt package hello {}
set apt blacklist = []
`;
    const r = await apply(withRepo);
    expect(r.stdout).toContain("saved the node's apt sources");
    expect(await status("hello")).toMatch(/^ii/);
    expect((await node.readFile("/etc/apt/sources.list"))!.split("\n")).toEqual([
      "#The list of repositories managed by Divingbell",
      expect.stringMatching(/^# /),
      "deb http://deb.debian.org/debian bookworm main",
      "",
    ]);
    expect(await node.shOk("base64 -w0 /etc/apt/trusted.gpg.d/divingbell.gpg")).toBe(binary);
    expect(await node.readFile("/var/divingbell/apt/sources-backup/sources.list")).toBe(original);
    expect((await apply(withRepo)).stdout).toMatch(NO_CHANGES);

    await node.shOk("mv /root/keys/* /etc/apt/trusted.gpg.d/");
    const back = await apply("set apt package hello {}\nset apt blacklist = []\n");
    expect(back.stdout).toContain("restored the node's own apt sources");
    expect(await node.readFile("/etc/apt/sources.list")).toBe(original);
    expect(await node.exists("/etc/apt/trusted.gpg.d/divingbell.gpg")).toBe(false);
    expect(await node.exists("/var/divingbell/apt/sources-backup")).toBe(false);
    expect((await apply("set apt package hello {}\nset apt blacklist = []\n")).stdout).toMatch(NO_CHANGES);
  }, 300_000);

  test("strict mode purges every package not listed, whitelisted, essential or required", async () => {
    const others = (await node.shOk("dpkg-query -W -f='${Package}|${Essential}|${Priority}|${db:Status-Status}\\n'"))
      .split("\n")
      .map((l) => l.split("|"))
      .filter(([name, essential, priority, st]) => name && st === "installed" && essential !== "yes" && priority !== "required" && name !== "less" && name !== "hello")
      .map(([name]) => name!);
    const strict = `set apt strict = true\nset apt package hello {}\nset apt whitelist = [${others.join(", ")}]\nset apt blacklist = []\n`;
    const r = await apply(strict);
    expect(r.stdout).toContain("apt: strict: purged less");
    expect(await status("less")).toBe("");
    expect(await status("hello")).toMatch(/^ii/);
    expect(await status("systemd")).toMatch(/^ii/);
    expect((await apply(strict)).stdout).toMatch(NO_CHANGES);
  }, 300_000);
});
