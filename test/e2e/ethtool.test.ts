/** ethtool on a booted node: offload features of veths inside it, their units, originals restored on revert. */
import { expect, test } from "vitest";
import { describeE2E, showRun, withNode, type Node } from "./support/node.js";

const UNITS = "/etc/systemd/system";
const STATE = "/var/divingbell/ethtool";
const TSO = "ens3.tx\\x2dtcp\\x2dsegmentation.service";
const GRO = "ens3.generic\\x2dreceive\\x2doffload.service";
const NOCACHE = "ens4.tx\\x2dnocache\\x2dcopy.service";

async function applyOk(node: Node, text: string): Promise<string> {
  const r = await node.apply(text, "ethtool");
  expect(r.code, showRun(r)).toBe(0);
  expect(r.stderr, showRun(r)).toBe("");
  return r.stdout;
}

async function applyFails(node: Node, text: string): Promise<{ stdout: string; stderr: string }> {
  const r = await node.apply(text, "ethtool");
  expect(r.code, showRun(r)).toBe(1);
  return r;
}

/** `feature: value` for every feature of `dev`, as `ethtool -k` prints them (sub-features unindented). */
async function features(node: Node, dev: string): Promise<Map<string, string>> {
  const out = await node.shOk(`ethtool -k ${dev}`);
  const m = new Map<string, string>();
  for (const line of out.split("\n").slice(1)) {
    const i = line.indexOf(": ");
    if (i > 0) m.set(line.slice(0, i).trim(), line.slice(i + 2).trim());
  }
  return m;
}

async function feature(node: Node, dev: string, name: string): Promise<string> {
  return (await features(node, dev)).get(name) ?? "(missing)";
}

async function unitState(node: Node, unit: string): Promise<string> {
  const r = await node.exec(["systemctl", "show", "-p", "LoadState,ActiveState,UnitFileState", "--value", unit]);
  return r.stdout.trim().split("\n").join(" ");
}

async function list(node: Node, dir: string): Promise<string[]> {
  return (await node.shOk(`[ -d '${dir}' ] || exit 0; ls -A '${dir}'`)).split("\n").filter(Boolean).sort();
}

describeE2E("ethtool host script", () => {
  test("applies, re-applies with no change, changes a value, drops a feature, then all, restoring originals", async () => {
    await withNode(async (node) => {
      const ens3 = await features(node, "ens3");
      const ens4 = await features(node, "ens4");
      expect([ens3.get("tx-tcp-segmentation"), ens3.get("generic-receive-offload"), ens4.get("tx-nocache-copy")]).toEqual(["on", "off", "off"]);

      const v1 = "set ethtool ens3 { tx-tcp-segmentation = off  generic-receive-offload = on }\nset ethtool ens4 tx-nocache-copy = on\n";
      const first = await applyOk(node, v1);
      expect(first).toContain("Set tx-tcp-segmentation=off on ens3");
      expect(first).toContain("All ethtool successfully validated on this node.");
      expect(await feature(node, "ens3", "tx-tcp-segmentation")).toBe("off");
      expect(await feature(node, "ens3", "generic-receive-offload")).toBe("on");
      expect(await feature(node, "ens4", "tx-nocache-copy")).toBe("on");
      expect(await list(node, STATE)).toEqual([GRO, TSO, NOCACHE].sort());
      expect(await node.readFile(`${STATE}/${TSO}`)).toBe("ens3 tx-tcp-segmentation on\n");
      expect(await node.readFile(`${STATE}/${GRO}`)).toBe("ens3 generic-receive-offload off\n");
      const bin = (await node.shOk("command -v ethtool")).trim();
      expect(await node.readFile(`${UNITS}/${TSO}`)).toBe(
        "[Unit]\nBefore=docker.service\nAfter=network-online.target\n\n[Service]\nType=oneshot\nRemainAfterExit=yes\n" +
          `ExecStart=${bin} -K ens3 tx-tcp-segmentation off\n#ExecStop=${bin} -K ens3 tx-tcp-segmentation on\n\n[Install]\nWantedBy=multi-user.target\n`,
      );
      for (const u of [TSO, GRO, NOCACHE]) expect(await unitState(node, u)).toBe("loaded active enabled");

      const again = await applyOk(node, v1);
      expect(again).toContain("ethtool: no changes");

      // A value changed by hand is put back by the next run, and the unit alone applies it (as at boot).
      await node.shOk("ethtool -K ens3 tx-tcp-segmentation on");
      expect(await applyOk(node, v1)).toContain("Set tx-tcp-segmentation=off on ens3");
      await node.shOk(`ethtool -K ens3 tx-tcp-segmentation on && systemctl restart '${TSO}'`);
      expect(await feature(node, "ens3", "tx-tcp-segmentation")).toBe("off");

      const v2 = "set ethtool ens3 tx-tcp-segmentation = on\nset ethtool ens4 tx-nocache-copy = on\n";
      const changed = await applyOk(node, v2);
      expect(changed).toContain(`Reverted ethtool settings: ${GRO}`);
      expect(await feature(node, "ens3", "generic-receive-offload")).toBe("off");
      expect(await feature(node, "ens3", "tx-tcp-segmentation")).toBe("on");
      expect(await node.readFile(`${STATE}/${TSO}`)).toBe("ens3 tx-tcp-segmentation on\n");
      expect(await unitState(node, GRO)).toMatch(/^not-found inactive/);
      expect(await list(node, STATE)).toEqual([TSO, NOCACHE].sort());

      await applyOk(node, "");
      expect(await features(node, "ens3")).toEqual(ens3);
      expect(await features(node, "ens4")).toEqual(ens4);
      expect(await list(node, STATE)).toEqual([]);
      expect((await list(node, UNITS)).filter((f) => f.startsWith("ens"))).toEqual([]);
      expect((await list(node, `${UNITS}/multi-user.target.wants`)).filter((f) => f.startsWith("ens"))).toEqual([]);
      expect(await applyOk(node, "")).toContain("ethtool: no changes");
    });
  });

  test("ethtool -K's short names (tso, gro, as Divingbell's values files write them) act on the feature ethtool -k prints", async () => {
    await withNode(async (node) => {
      const ens3 = await features(node, "ens3");
      expect([ens3.get("tcp-segmentation-offload"), ens3.get("generic-receive-offload")]).toEqual(["on", "off"]);
      const unit = "ens3.tcp\\x2dsegmentation\\x2doffload.service";
      await applyOk(node, "set ethtool ens3 { tso = off  gro = on }\n");
      expect(await feature(node, "ens3", "tcp-segmentation-offload")).toBe("off");
      expect(await feature(node, "ens3", "tx-tcp-segmentation")).toBe("off");
      expect(await feature(node, "ens3", "generic-receive-offload")).toBe("on");
      expect(await node.readFile(`${STATE}/${unit}`)).toBe("ens3 tcp-segmentation-offload on\n");
      expect(await list(node, STATE)).toEqual([GRO, unit].sort());
      // The other spelling is the same setting: nothing to do.
      expect(await applyOk(node, "set ethtool ens3 { tcp-segmentation-offload = off  generic-receive-offload = on }\n")).toContain("ethtool: no changes");
      // Removed, the originals come back.
      await applyOk(node, "");
      expect(await features(node, "ens3")).toEqual(ens3);
      expect(await list(node, STATE)).toEqual([]);
    });
  });

  test("fixed features, missing interfaces and unknown features fail before anything changes", async () => {
    await withNode(async (node) => {
      await applyOk(node, "set ethtool ens3 tx-tcp-segmentation = off\n");
      const units = await list(node, UNITS);

      const bad = "set ethtool ens3 { large-receive-offload = on  ntuple-filters = on  tx-tcp-segmentation = on }\nset ethtool nosuch0 highdma = off\nset ethtool ens4 tx-brand-new-offload = on\n";
      const r = await applyFails(node, bad);
      expect(r.stderr).toContain("ERROR 'ens3' does not permit changing the 'large-receive-offload' setting: it is fixed at off.");
      expect(r.stderr).toContain("ERROR 'ens3' does not permit changing the 'ntuple-filters' setting");
      expect(r.stderr).toContain("ERROR Interface 'nosuch0' does not exist on this node");
      expect(r.stderr).toContain("ERROR Could not find requested param tx-brand-new-offload for ens4");
      expect(r.stderr).toContain("nothing was changed");
      expect(await feature(node, "ens3", "tx-tcp-segmentation")).toBe("off");
      expect(await list(node, STATE)).toEqual([TSO]);
      expect(await list(node, UNITS)).toEqual(units);

      // A fixed feature already at the wanted value is fine.
      expect(await applyOk(node, "set ethtool ens3 { large-receive-offload = off  tx-tcp-segmentation = off }\n")).toContain("All ethtool successfully validated");
      await applyOk(node, "");
      expect(await feature(node, "ens3", "tx-tcp-segmentation")).toBe("on");
      expect(await list(node, STATE)).toEqual([]);
    });
  });

  test("features that fight each other fail the run; reverting puts every sub-feature back", async () => {
    await withNode(async (node) => {
      const before = await features(node, "ens4");
      const r = await applyFails(node, "set ethtool ens4 { tcp-segmentation-offload = off  tx-tcp-segmentation = on }\n");
      expect(r.stderr).toContain("ERROR Validation failure: Requested 'tcp-segmentation-offload' to be set to 'off' on 'ens4'");
      await applyOk(node, "");
      expect(await features(node, "ens4")).toEqual(before);
    });
  });

  test("a node Divingbell managed: its original is kept and restored, its unit becomes a oneshot", async () => {
    await withNode(async (node) => {
      const bin = (await node.shOk("command -v ethtool")).trim();
      await node.shOk(`mkdir -p ${STATE} && echo 'ens3 tx-tcp-segmentation on' >'${STATE}/${TSO}' && ethtool -K ens3 tx-tcp-segmentation off`);
      await node.writeFile(
        `${UNITS}/${TSO}`,
        `[Unit]\nBefore=docker.service\nAfter=network-online.target\n\n[Service]\nExecStart=${bin} -K ens3 tx-tcp-segmentation off\n#ExecStop=${bin} -K ens3 tx-tcp-segmentation on\n\n[Install]\nWantedBy=multi-user.target\n`,
      );
      await node.shOk(`systemctl daemon-reload && systemctl enable '${TSO}'`);

      const v = "set ethtool ens3 tx-tcp-segmentation = off\n";
      const out = await applyOk(node, v);
      expect(out).toContain(`Unit written: ${TSO}`);
      expect(await node.readFile(`${UNITS}/${TSO}`)).toContain("Type=oneshot\nRemainAfterExit=yes\n");
      expect(await node.readFile(`${STATE}/${TSO}`)).toBe("ens3 tx-tcp-segmentation on\n");
      expect(await applyOk(node, v)).toContain("ethtool: no changes");

      await applyOk(node, "");
      expect(await feature(node, "ens3", "tx-tcp-segmentation")).toBe("on");
      expect(await list(node, STATE)).toEqual([]);
    });
  });
});
