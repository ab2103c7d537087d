/** ethtool: interface and feature names, on/off values at their place, settings and the generated calls. */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { analyzeText, expectClean, expectDiagnostic, summary } from "../../../test/support/diagnostics.js";
import { compileHostScript } from "../../../test/e2e/support/policy.js";
import { ethtool, type EthtoolSettings } from "./ethtool.js";
import { KNOWN_FEATURES, OTHER_NAMES } from "./ethtool-features.js";

function settings(text: string, hostname = "n1"): EthtoolSettings {
  const a = expectClean(text, { noWarnings: true });
  return ethtool.settings(a.resolution.variantFor("ethtool", { hostname, labels: new Map() }).config);
}

describe("ethtool: valid policies", () => {
  it("takes one feature per statement and blocks of features, sorted by interface then feature", () => {
    const s = settings("set ethtool ens4 tx-nocache-copy = on\nset ethtool ens3 { tx-tcp-segmentation = off  generic-receive-offload = on }\n");
    expect(s.features).toEqual([
      { device: "ens3", feature: "generic-receive-offload", value: "on" },
      { device: "ens3", feature: "tx-tcp-segmentation", value: "off" },
      { device: "ens4", feature: "tx-nocache-copy", value: "on" },
    ]);
  });

  it("merges a host rule's features into the defaults' features of the same interface", () => {
    const s = settings("set ethtool ens3 tx-tcp-segmentation = off\non host h set ethtool ens3 { tx-tcp-segmentation = on  highdma = off }\n", "h");
    expect(s.features.map((f) => `${f.feature}=${f.value}`)).toEqual(["highdma=off", "tx-tcp-segmentation=on"]);
  });

  it("accepts interface names up to 15 bytes, with VLAN dots and the usual punctuation", () => {
    expectClean("set ethtool bond0.100 highdma = on\nset ethtool enp175s0f1np1 highdma = on\nset ethtool br-ex_1@x highdma = on\n", { noWarnings: true });
  });

  it("knows every feature name it suggests", () => {
    for (const f of KNOWN_FEATURES) expect(f).toMatch(/^[a-z0-9][a-z0-9_-]*$/);
    for (const [short, long] of OTHER_NAMES) expect(KNOWN_FEATURES, short).toContain(long);
  });
});

describe("ethtool: values", () => {
  it("rejects anything but on/off, with a did-you-mean", () => {
    const d = expectDiagnostic("set ethtool ens3 highdma = of\n", { code: "DB2301", underline: "of" });
    expect(d.help).toContain("`off`");
    expectDiagnostic('set ethtool ens3 { highdma = "ON" }\n', { code: "DB2301", underline: '"ON"' });
  });

  it("tells what to write for true/false and their kin", () => {
    for (const [word, want] of [["true", "on"], ["false", "off"], ["yes", "on"], ["0", "off"]] as const) {
      const d = expectDiagnostic(`set ethtool ens3 highdma = ${word}\n`, { code: "DB2301", underline: word });
      expect(d.help).toContain(`\`${want}\``);
    }
  });

  it("rejects a list or a block where on/off belongs", () => {
    expectDiagnostic("set ethtool ens3 highdma = [off]\n", { code: "DB2004", underline: "[off]" });
    expectDiagnostic("set ethtool ens3 = on\n", { code: "DB2004", underline: "on" });
  });
});

describe("ethtool: interface names", () => {
  it("rejects names the kernel would refuse", () => {
    expectDiagnostic("set ethtool abcdefghijklmnop highdma = on\n", { code: "DB2302", underline: "abcdefghijklmnop" });
    expectDiagnostic('set ethtool "eth/0" highdma = on\n', { code: "DB2302", underline: '"eth/0"' });
    expectDiagnostic('set ethtool "eth 0" highdma = on\n', { code: "DB2302", underline: '"eth 0"' });
    expectDiagnostic('set ethtool "eth0:1" highdma = on\n', { code: "DB2302", underline: '"eth0:1"' });
    expectDiagnostic('set ethtool ".." highdma = on\n', { code: "DB2302", underline: '".."' });
    expectDiagnostic('set ethtool "" highdma = on\n', { code: "DB2008", underline: '""' });
  });

  it("rejects characters systemd would interpret in ExecStart", () => {
    expectDiagnostic('set ethtool "e$x" highdma = on\n', { code: "DB2302", underline: '"e$x"' });
    expectDiagnostic('set ethtool "e%i" highdma = on\n', { code: "DB2302", underline: '"e%i"' });
  });

  it("counts bytes, not characters, against the 15-byte limit", () => {
    expectDiagnostic('set ethtool "ethüüüüüüüü" highdma = on\n', { code: "DB2302", underline: '"ethüüüüüüüü"' });
  });
});

describe("ethtool: feature names", () => {
  it("accepts ethtool -K's short names and hands the node the name ethtool -k prints", () => {
    const short = "set ethtool ens3 { tso = off  gso = off  gro = on  lro = off  sg = on  rx = on  tx = on  rxvlan = off  txvlan = off  ntuple = off  rxhash = on  rx-gro = on }\n";
    expectClean(short.replace("  rx-gro = on", ""));
    const script = compileHostScript("set ethtool ens3 { tso = off  lro = off }\nset ethtool ens4 rx-gro = on\n", "ethtool", { hostname: "n1" });
    expect(script).toContain("ethtool_add ens3 large-receive-offload off\nethtool_add ens3 tcp-segmentation-offload off\nethtool_add ens4 generic-receive-offload on\nethtool_finish\n");
    // One feature under two names is an error: which value would win?
    const d = expectDiagnostic(short, { code: "DB2304", underline: "rx-gro" });
    expect(d.related?.length).toBe(1);
    expectDiagnostic("set ethtool ens3 { tso = off  tcp-segmentation-offload = on }\n", { code: "DB2304", underline: "tcp-segmentation-offload" });
  });

  it("rejects an interface name that ethtool would read as an option", () => {
    expectDiagnostic("set ethtool -K tso = off\n", { code: "DB2302", underline: "-K" });
  });

  it("rejects names that cannot be features", () => {
    expectDiagnostic("set ethtool ens3 TX-Checksumming = on\n", { code: "DB2302", underline: "TX-Checksumming" });
    expectDiagnostic('set ethtool ens3 "tx checksumming" = on\n', { code: "DB2302", underline: '"tx checksumming"' });
  });

  it("warns about an unknown but well-formed name, with a did-you-mean", () => {
    const d = expectDiagnostic("set ethtool ens3 tx-tcp-segmentaton = off\n", { code: "DB2303", underline: "tx-tcp-segmentaton" });
    expect(d.severity).toBe("warning");
    expect(d.help).toContain("`tx-tcp-segmentation`");
    expect(analyzeText("set ethtool ens3 tx-brand-new-offload = off\n").ok).toBe(true);
  });

  it("reports each bad part of one statement", () => {
    const a = analyzeText("set ethtool abcdefghijklmnop lro = maybe\n");
    expect(summary(a)).toEqual([
      { code: "DB2302", underline: "abcdefghijklmnop" },
      { code: "DB2301", underline: "maybe" },
    ]);
  });
});

describe("ethtool: the host script", () => {
  it("makes one ethtool_add call per feature, then ethtool_finish", () => {
    const script = compileHostScript("set ethtool ens3 { tx-tcp-segmentation = off  highdma = on }\n", "ethtool", { hostname: "n1" });
    expect(script).toContain("ethtool_add ens3 highdma on\nethtool_add ens3 tx-tcp-segmentation off\nethtool_finish\ndone_summary ethtool\n");
  });

  it("still runs (to revert) when the node has no settings", () => {
    expect(compileHostScript("", "ethtool", { hostname: "n1" })).toMatch(/\n# ---- this node's settings ----\nethtool_finish\ndone_summary ethtool\n$/);
  });

  const shellcheck = spawnSync("shellcheck", ["--version"]).status === 0;
  it.skipIf(!shellcheck)("generates a script that is shellcheck-clean", () => {
    const script = compileHostScript("set ethtool bond0.100 { tx-udp_tnl-segmentation = off }\n", "ethtool", { hostname: "n1" });
    const r = spawnSync("shellcheck", ["-s", "bash", "-"], { input: script, encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    expect(spawnSync("bash", ["-n"], { input: script }).status).toBe(0);
  });
});
