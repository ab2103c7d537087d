/** The sysctl catalogue: its generator on a known tree, the committed file against it, and lookups. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { closest } from "../../diagnostics/suggest.js";
import { catalogueSource, readProcSys } from "../../../test/support/sysctl-proc.js";
import { CATALOGUE, KERNEL_RELEASE } from "./sysctl-catalogue.generated.js";
import { EXTRA_CATALOGUE } from "./sysctl-catalogue-extra.js";
import { isIntegers, nameParts, renderCatalogue, SysctlCatalogue } from "./sysctl-catalogue.js";

const fake = mkdtempSync(join(tmpdir(), "dbell-procsys-"));
afterAll(() => rmSync(fake, { recursive: true, force: true }));

function file(path: string, value: string | undefined): void {
  mkdirSync(dirname(join(fake, path)), { recursive: true });
  writeFileSync(join(fake, path), value ?? "", { mode: value === undefined ? 0o200 : 0o644 });
}

describe("the catalogue generator", () => {
  it("collapses interfaces and numbered parts, types values, and keeps host names text", () => {
    file("vm/swappiness", "60\n");
    file("net/ipv4/tcp_rmem", "4096\t131072\t6291456\n");
    file("net/ipv4/conf/eth0/rp_filter", "1\n");
    file("net/ipv4/conf/all/rp_filter", "0\n");
    file("net/ipv4/conf/bond0.100/rp_filter", "2\n");
    file("net/ipv6/neigh/default/gc_thresh1", "128\n");
    file("net/netfilter/nf_log/2", "NONE\n");
    file("kernel/hostname", "42\n");
    file("kernel/core_pattern", "|/usr/lib/systemd/systemd-coredump %P\n");
    file("fs/binfmt_misc/status", "enabled\n");
    const entries = readProcSys(fake).map((e) => ({ path: e.path, value: e.value }));
    expect(renderCatalogue(entries)).toBe(
      [
        "kernel.core_pattern text",
        "kernel.hostname text",
        "net.ipv4.conf.<iface>.rp_filter int",
        "net.ipv4.tcp_rmem int",
        "net.ipv6.neigh.<iface>.gc_thresh1 int",
        "net.netfilter.nf_log.<n> text",
        "vm.swappiness int",
        "",
      ].join("\n"),
    );
  });

  it("produced the committed catalogue: sorted, one line per name, in its own output format", () => {
    const lines = CATALOGUE.split("\n").filter((l) => l !== "");
    expect(lines.length).toBeGreaterThan(500);
    const names = lines.map((l) => l.split(" ")[0]!);
    expect([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(names);
    expect(new Set(names).size).toBe(names.length);
    for (const l of lines) expect(l).toMatch(/^[A-Za-z0-9_.<>-]+ (int|text|write)$/);
    const entries = lines.map((l) => {
      const [name, type] = l.split(" ") as [string, string];
      return { path: name.replace(/<iface>/g, "eth0").replace(/<n>/g, "0").split(".").join("/"), value: type === "int" ? "1" : type === "text" ? "word" : undefined };
    });
    // Fed back what it wrote (host-name keys aside, which it types by name), the generator writes it again.
    const source = catalogueSource(entries, KERNEL_RELEASE);
    const committed = readFileSync(join(import.meta.dirname, "sysctl-catalogue.generated.ts"), "utf8");
    expect(source).toBe(committed);
  });

  it.runIf(existsSync("/proc/sys/vm/swappiness"))("agrees with the running kernel's /proc/sys on almost every name", () => {
    const live = new Set(renderCatalogue(readProcSys("/proc/sys")).split("\n").filter(Boolean).map((l) => l.split(" ")[0]!));
    const cat = new SysctlCatalogue(CATALOGUE);
    const known = [...live].filter((n) => cat.names.includes(n)).length;
    // Kernels differ in modules and version; the catalogue must still cover the bulk of a real kernel's names.
    expect(known / live.size).toBeGreaterThan(0.6);
  });
});

describe("catalogue lookups", () => {
  const cat = new SysctlCatalogue(CATALOGUE);

  it("know names in dotted and slashed form, with any interface", () => {
    expect(cat.lookup("vm.swappiness")).toBe("int");
    expect(cat.lookup("net/ipv4/ip_forward")).toBe("int");
    expect(cat.lookup("net.ipv4.conf.eth0/100.rp_filter")).toBe("int");
    expect(cat.lookup("net/ipv6/conf/bond0.100/forwarding")).toBe("int");
    expect(cat.lookup("vm.swapiness")).toBeUndefined();
  });

  it("suggest the closest name, written with the key's own interface and form", () => {
    expect(cat.suggest("vm.swapiness", closest)).toBe("vm.swappiness");
    expect(cat.suggest("net.ipv4.ip_forwad", closest)).toBe("net.ipv4.ip_forward");
    expect(cat.suggest("net.ipv4.conf.eth0/100.rp_filtr", closest)).toBe("net.ipv4.conf.eth0/100.rp_filter");
    expect(cat.suggest("net/ipv4/conf/eth0.100/rp_filtr", closest)).toBe("net/ipv4/conf/eth0.100/rp_filter");
  });

  it("read names the way sysctl(8) does: the first separator decides", () => {
    expect(nameParts("net.ipv4.conf.eth0/100.rp_filter")).toEqual(["net", "ipv4", "conf", "eth0.100", "rp_filter"]);
    expect(nameParts("net/ipv4/conf/eth0.100/rp_filter")).toEqual(["net", "ipv4", "conf", "eth0.100", "rp_filter"]);
  });

  it("take integers as the kernel's integer handlers do", () => {
    expect(["1", "-1", "0x1f", "4096 87380\t6291456"].every(isIntegers)).toBe(true);
    expect(["lots", "1.5", "", "1e3", "1,2"].some(isIntegers)).toBe(false);
  });
});

describe("the supplement of names stock kernels have", () => {
  const extra = EXTRA_CATALOGUE.split("\n").filter(Boolean).map((l) => l.split(" ") as [string, string]);

  it("holds names the generated catalogue lacks, in its format, so a warning never hits common hardening settings", () => {
    const generated = new SysctlCatalogue(CATALOGUE);
    const both = new SysctlCatalogue(CATALOGUE + EXTRA_CATALOGUE);
    expect(extra.length).toBeGreaterThan(0);
    for (const [name, type] of extra) {
      expect(["int", "text", "write"], name).toContain(type);
      // Once a generating kernel has the name, its entry belongs in the generated file only.
      expect(generated.lookup(name), name).toBeUndefined();
      expect(both.lookup(name), name).toBe(type);
    }
    expect(both.lookup("kernel.yama.ptrace_scope")).toBe("int");
    expect(both.lookup("kernel.modprobe")).toBe("text");
  });
});
