/**
 * sysctl on booted nodes through the pod emulation: real net.* tunables of each node's own network namespace, vm.* in
 * the node's fake /proc/sys. Apply, re-apply, change, remove, hand-deleted files, bad values, unknown keys, and one
 * policy giving two nodes different variants. Prints each case's wall time at the end.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, expect, test } from "vitest";
import { analyze, scriptFor } from "../../src/compile.js";
import { run as runCli } from "../../src/cli/run.js";
import { bootNode, describeE2E, showRun, withNode, type Node, type RunResult } from "./support/node.js";

const STATE = "/var/divingbell/sysctl";
const CONF = "/etc/sysctl.d";
/** net.* keys are namespaced (each node has its own); vm.swappiness is global, so it lives in the fake /proc/sys. */
const KEYS = ["net.ipv4.ip_forward", "net.ipv4.tcp_syncookies", "net.core.somaxconn", "net.ipv4.ip_local_port_range", "vm.swappiness"];

const procPath = (key: string): string => `/proc/sys/${key.replace(/\./g, "/")}`;
const norm = (v: string): string => v.trim().split(/\s+/).join(" ");

async function value(node: Node, key: string): Promise<string> {
  const v = await node.readFile(procPath(key));
  if (v === undefined) throw new Error(`${key} does not exist in node ${node.name}`);
  return norm(v);
}

async function values(node: Node): Promise<Record<string, string>> {
  return Object.fromEntries(await Promise.all(KEYS.map(async (k) => [k, await value(node, k)] as const)));
}

async function files(node: Node, dir: string): Promise<string[]> {
  return (await node.shOk(`cd ${dir} 2>/dev/null && ls -A | grep '^60-divingbell-' || true`)).split("\n").filter(Boolean).sort();
}

function policy(settings: Record<string, string>): string {
  return Object.entries(settings).map(([k, v]) => `set sysctl ${k} = "${v}"\n`).join("");
}

async function applyOk(node: Node, text: string): Promise<RunResult> {
  const r = await node.apply(text, "sysctl");
  expect(r.code, showRun(r)).toBe(0);
  expect(r.stderr, showRun(r)).not.toMatch(/ERROR/);
  return r;
}

const changeLines = (r: RunResult): string[] => r.stdout.split("\n").filter((l) => / INFO sysctl \S+: .*(->|restored|persisted)/.test(l));

const times: [string, number][] = [];
let suiteStart = 0;
let hostBefore: Record<string, string> = {};

/** A test case whose wall time goes into the summary. */
function timedTest(name: string, body: () => Promise<void>): void {
  test(name, async () => {
    const t = performance.now();
    try {
      await body();
    } finally {
      times.push([name, performance.now() - t]);
    }
  }, 120_000);
}

const hostValues = (): Record<string, string> =>
  Object.fromEntries(KEYS.map((k) => [k, norm(readFileSync(procPath(k), "utf8"))]));

describeE2E("sysctl host script", () => {
  beforeAll(() => {
    suiteStart = performance.now();
    hostBefore = hostValues();
  });
  afterAll(() => {
    // The machine running the tests is never touched: neither its net.* (nodes have private networks) nor vm.*.
    expect(hostValues()).toEqual(hostBefore);
    const total = performance.now() - suiteStart;
    console.log(["sysctl e2e timings:", ...times.map(([n, ms]) => `  ${(ms / 1000).toFixed(2)} s  ${n}`), `  ${(total / 1000).toFixed(2)} s  total`].join("\n"));
  });

  timedTest("applies, re-applies without changes, changes a value, and restores the originals on removal", async () => {
    await withNode(async (node) => {
      const original = await values(node);
      const v1 = {
        "net.ipv4.ip_forward": "1",
        "net.ipv4.tcp_syncookies": "0",
        "net.core.somaxconn": "1024",
        "net.ipv4.ip_local_port_range": "1024   65000",
        "vm.swappiness": "10",
      };
      const first = await applyOk(node, policy(v1));
      expect(changeLines(first)).toHaveLength(5);
      for (const [k, v] of Object.entries(v1)) {
        expect(await value(node, k)).toBe(norm(v));
        expect(await node.readFile(`${CONF}/60-divingbell-${k}.conf`)).toBe(`${k}=${v}\n`);
        // Divingbell's backup format: sysctl's own `key = value` line for the value before the first run.
        expect(norm((await node.readFile(`${STATE}/60-divingbell-${k}.conf`))!)).toBe(`${k} = ${original[k]}`);
      }

      const again = await applyOk(node, policy(v1));
      expect(changeLines(again)).toEqual([]);
      expect(again.stdout).toMatch(/sysctl: no changes/);

      const v2 = { ...v1, "net.core.somaxconn": "2048" } as Record<string, string>;
      delete v2["net.ipv4.tcp_syncookies"];
      const changed = await applyOk(node, policy(v2));
      expect(changeLines(changed).map((l) => l.split(" ")[4])).toEqual(["net.ipv4.tcp_syncookies:", "net.core.somaxconn:"]);
      expect(await value(node, "net.core.somaxconn")).toBe("2048");
      expect(await value(node, "net.ipv4.tcp_syncookies")).toBe(original["net.ipv4.tcp_syncookies"]);
      expect(await files(node, STATE)).not.toContain("60-divingbell-net.ipv4.tcp_syncookies.conf");
      expect(await files(node, CONF)).not.toContain("60-divingbell-net.ipv4.tcp_syncookies.conf");

      const removed = await applyOk(node, "");
      expect(changeLines(removed)).toHaveLength(4);
      expect(await values(node)).toEqual(original);
      expect(await files(node, STATE)).toEqual([]);
      expect(await files(node, CONF)).toEqual([]);
      // Nothing left that a reboot (sysctl --system) would re-apply.
      await node.shOk("sysctl --system >/dev/null");
      expect(await values(node)).toEqual(original);
      expect(changeLines(await applyOk(node, ""))).toEqual([]);
    });
  });

  timedTest("treats slashed and dotted spellings as the same tunable", async () => {
    await withNode(async (node) => {
      await applyOk(node, "set sysctl net/ipv4/ip_forward = 1\n");
      expect(await files(node, CONF)).toEqual(["60-divingbell-net.ipv4.ip_forward.conf"]);
      expect(changeLines(await applyOk(node, "set sysctl net.ipv4.ip_forward = 1\n"))).toEqual([]);
    });
  });

  timedTest("takes over a node Divingbell managed and restores the original Divingbell recorded", async () => {
    await withNode(async (node) => {
      // What Divingbell leaves behind after setting ip_forward=1 on a node where it was 0.
      await node.shOk("sysctl -q -w net.ipv4.ip_forward=1");
      await node.shOk(`mkdir -p ${STATE} && echo 'net.ipv4.ip_forward = 0' >${STATE}/60-divingbell-net.ipv4.ip_forward.conf`);
      await node.writeFile(`${CONF}/60-divingbell-net.ipv4.ip_forward.conf`, "net.ipv4.ip_forward=1\n");
      expect(changeLines(await applyOk(node, policy({ "net.ipv4.ip_forward": "1" })))).toEqual([]);
      expect(await node.readFile(`${STATE}/60-divingbell-net.ipv4.ip_forward.conf`)).toBe("net.ipv4.ip_forward = 0\n");
      await applyOk(node, "");
      expect(await value(node, "net.ipv4.ip_forward")).toBe("0");
      expect(await files(node, STATE)).toEqual([]);
      expect(await files(node, CONF)).toEqual([]);
    });
  });

  timedTest("reverts although the persisted file was deleted by hand", async () => {
    await withNode(async (node) => {
      const original = await values(node);
      await applyOk(node, policy({ "net.ipv4.ip_forward": "1", "vm.swappiness": "5" }));
      await node.shOk(`rm ${CONF}/60-divingbell-net.ipv4.ip_forward.conf`);
      const r = await applyOk(node, "");
      expect(r.stdout).toMatch(/WARN .*60-divingbell-net\.ipv4\.ip_forward\.conf/);
      expect(await values(node)).toEqual(original);
      expect(await files(node, STATE)).toEqual([]);
      expect(await files(node, CONF)).toEqual([]);
    });
  });

  timedTest("fails clearly on a value the kernel rejects, persisting nothing and keeping the originals", async () => {
    await withNode(async (node) => {
      const original = await values(node);
      await applyOk(node, policy({ "net.ipv4.ip_forward": "1" }));
      // A number passes check (a word would be DB2103 there); the kernel keeps this one in a byte.
      const bad = await node.apply(policy({ "net.ipv4.ip_forward": "1", "net.ipv4.tcp_syncookies": "300" }), "sysctl");
      expect(bad.code, showRun(bad)).not.toBe(0);
      expect(bad.stderr).toMatch(/ERROR .*net\.ipv4\.tcp_syncookies.*300/);
      expect(await value(node, "net.ipv4.tcp_syncookies")).toBe(original["net.ipv4.tcp_syncookies"]);
      expect(await files(node, STATE)).toEqual(["60-divingbell-net.ipv4.ip_forward.conf"]);
      expect(await files(node, CONF)).toEqual(["60-divingbell-net.ipv4.ip_forward.conf"]);
      expect(await value(node, "net.ipv4.ip_forward")).toBe("1");
      // The original of ip_forward survives the failed run: removing the setting still restores it.
      await applyOk(node, "");
      expect(await values(node)).toEqual(original);
    });
  });

  timedTest("fails with an ERROR naming an unknown key before changing anything", async () => {
    await withNode(async (node) => {
      const original = await values(node);
      const r = await node.apply(policy({ "net.ipv4.ip_forward": "1", "net.ipv4.no_such_tunable": "1" }), "sysctl");
      expect(r.code, showRun(r)).not.toBe(0);
      expect(r.stderr).toMatch(/ERROR .*net\.ipv4\.no_such_tunable/);
      expect(await values(node)).toEqual(original);
      expect(await files(node, STATE)).toEqual([]);
      expect(await files(node, CONF)).toEqual([]);
    });
  });

  timedTest("one compiled policy gives a host-overridden and a label-overridden node different settings", async () => {
    const source = {
      file: "fleet.dbell",
      text: [
        "set sysctl net.ipv4.ip_forward = 1",
        "set sysctl net.core.somaxconn = 1024",
        "on host worker-a set sysctl net.core.somaxconn = 2048",
        "on label role in [edge] set sysctl net.ipv4.ip_forward = 0",
        "",
      ].join("\n"),
    };
    const analysis = analyze([source]);
    expect(analysis.ok).toBe(true);
    const [a, b] = await Promise.all([bootNode({ name: "worker-a", labels: { role: "edge" } }), bootNode({ name: "worker-b", labels: { role: "edge" } })]);
    try {
      const scriptA = scriptFor(analysis, "sysctl", { hostname: a.name, labels: new Map(Object.entries(a.labels)) });
      const scriptB = scriptFor(analysis, "sysctl", { hostname: b.name, labels: new Map(Object.entries(b.labels)) });
      // `dbellc script` prints exactly the text the node runs.
      let printed = "";
      const io = { stdout: (t: string) => (printed += t), stderr: () => undefined, readFile: () => source.text, writeFile: () => undefined, mkdir: () => undefined, env: {}, isTTY: false };
      expect(await runCli(["script", "fleet.dbell", "--module", "sysctl", "--host", "worker-b", "--label", "role=edge"], io)).toBe(0);
      expect(printed).toBe(scriptB);

      const [ra, rb] = await Promise.all([a.runHostScript(scriptA, { name: "sysctl_host.sh" }), b.runHostScript(scriptB, { name: "sysctl_host.sh" })]);
      expect(ra.code, showRun(ra)).toBe(0);
      expect(rb.code, showRun(rb)).toBe(0);
      // worker-a's host rule beats its label: defaults + somaxconn 2048. worker-b gets the label rule.
      expect([await value(a, "net.ipv4.ip_forward"), await value(a, "net.core.somaxconn")]).toEqual(["1", "2048"]);
      expect([await value(b, "net.ipv4.ip_forward"), await value(b, "net.core.somaxconn")]).toEqual(["0", "1024"]);
      expect(await a.readFile(`${CONF}/60-divingbell-net.core.somaxconn.conf`)).toBe("net.core.somaxconn=2048\n");
      expect(await b.readFile(`${CONF}/60-divingbell-net.ipv4.ip_forward.conf`)).toBe("net.ipv4.ip_forward=0\n");
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
