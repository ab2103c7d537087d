/** sysctl: key and value validation, and the calls a configuration becomes. */
import { describe, expect, test } from "vitest";
import { expectClean, expectDiagnostic } from "../../../test/support/diagnostics.js";
import { sysctl, SYSCTL_KEY } from "./sysctl.js";

function calls(text: string) {
  const a = expectClean(text, { noWarnings: true });
  return sysctl.bashCalls(sysctl.settings(a.resolution.variants("sysctl").fallback.config));
}

describe("sysctl keys and values", () => {
  test.each(["net.ipv4.ip_forward", "net/ipv4/ip_forward", "net.ipv4.conf.eth0/100.rp_filter", "kernel.core_pattern", "vm.nr_hugepages"])("accepts key %s", (key) => {
    expect(SYSCTL_KEY.test(key)).toBe(true);
    expectClean(`set sysctl ${key} = 1\n`, { noWarnings: true });
  });

  test.each(['"net..ipv4"', '"a b"', '".net"', '"net.ipv4."', '"net=x"'])("reports key %s (DB2101)", (key) => {
    expectDiagnostic(`set sysctl ${key} = 1\n`, { code: "DB2101", underline: key });
  });

  test("reports an empty or blank value, and one with a newline, control character or `=` (DB2102)", () => {
    expect(expectDiagnostic('set sysctl vm.swappiness = ""\n', { code: "DB2102", underline: '""' }).help).toContain("unset");
    expectDiagnostic('set sysctl vm.swappiness = "  "\n', { code: "DB2102", underline: '"  "' });
    expectDiagnostic('set sysctl vm.swappiness = "1\\n2"\n', { code: "DB2102", underline: '"1\\n2"' });
    expectDiagnostic('set sysctl vm.swappiness = "a=b"\n', { code: "DB2102", underline: '"a=b"' });
  });

  test("keeps a value with spaces and tabs as written", () => {
    expectClean('set sysctl net.ipv4.tcp_rmem = "4096\\t87380 6291456"\n', { noWarnings: true });
  });
});

describe("sysctl calls", () => {
  test("want every key in byte order, as written, then one sync", () => {
    expect(calls('set sysctl vm.swappiness = 10\nset sysctl net/ipv4/ip_forward = 1\nset sysctl kernel.pid_max = "4194304"\n')).toEqual([
      { fn: "sysctl_want", args: ["kernel.pid_max", "4194304"] },
      { fn: "sysctl_want", args: ["net/ipv4/ip_forward", "1"] },
      { fn: "sysctl_want", args: ["vm.swappiness", "10"] },
      { fn: "sysctl_sync", args: [] },
    ]);
  });

  test("no keys still syncs, which reverts what an earlier policy set", () => {
    // Another module's setting keeps the policy from being empty (DB2016); sysctl itself has no keys.
    expect(calls("set limits nofile { domain = \"*\"  type = soft  item = nofile  value = 1024 }\n")).toEqual([{ fn: "sysctl_sync", args: [] }]);
  });

  test("a host rule's variant wants the defaults minus its unsets plus its sets", () => {
    const a = expectClean("set sysctl vm.swappiness = 10\nset sysctl vm.dirty_ratio = 5\non host n1 {\n  unset sysctl vm.dirty_ratio\n  set sysctl vm.swappiness = 1\n}\n");
    const host = a.resolution.variantFor("sysctl", { hostname: "n1", labels: new Map() });
    expect(sysctl.bashCalls(sysctl.settings(host.config))).toEqual([{ fn: "sysctl_want", args: ["vm.swappiness", "1"] }, { fn: "sysctl_sync", args: [] }]);
  });
});
