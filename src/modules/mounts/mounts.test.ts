/** mounts: schema, value checks at their place, duplicate targets per variant, settings and the generated calls. */
import { execFileSync, spawnSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileHostScript } from "../../../test/e2e/support/policy.js";
import { analyzeText, expectClean, expectDiagnostic, summary } from "../../../test/support/diagnostics.js";
import { mountUnitName, normalisePath } from "./mount-fields.js";
import { mounts, type MountsSettings } from "./mounts.js";

const node = { hostname: "n1", labels: new Map<string, string>() };
const host = { hostname: "n1" };

function mount(body: string, name = "data"): string {
  return `set mounts ${name} { ${body} }\n`;
}

function settings(text: string): MountsSettings {
  const a = expectClean(text);
  return mounts.settings(a.resolution.variantFor("mounts", node).config);
}

describe("mounts: valid policies", () => {
  it("fills in Divingbell's defaults for before and after, and no options", () => {
    expect(settings(mount("target = /mnt/data  device = /dev/sdb1  type = ext4")).mounts).toEqual([
      { name: "data", target: "/mnt/data", device: "/dev/sdb1", type: "ext4", options: "", before: "docker.service", after: "network-online.target" },
    ]);
  });

  it("keeps an explicit empty before/after and takes several units", () => {
    const [m] = settings(mount('target = /a  device = tmpfs  type = tmpfs  before = ""  after = "local-fs-pre.target systemd-udev-settle.service"')).mounts;
    expect(m).toMatchObject({ before: "", after: "local-fs-pre.target systemd-udev-settle.service" });
  });

  it("accepts the path form `set mounts NAME FIELD = VALUE`", () => {
    const s = settings("set mounts d target = /srv/d\nset mounts d device = tmpfs\nset mounts d type = tmpfs\n");
    expect(s.mounts.map((m) => m.target)).toEqual(["/srv/d"]);
  });

  it("orders parents before children, whatever the names", () => {
    const s = settings(mount("target = /srv/a/b  device = tmpfs  type = tmpfs", "aaa") + mount("target = /srv/a  device = tmpfs  type = tmpfs", "zzz") + mount("target = /srv/a-b  device = tmpfs  type = tmpfs", "mmm"));
    expect(s.mounts.map((m) => m.target)).toEqual(["/srv/a", "/srv/a/b", "/srv/a-b"]);
  });

  it("lets a rule change one field and keeps the rest from the defaults", () => {
    const a = expectClean(mount('target = /scratch  device = tmpfs  type = tmpfs  options = "size=1G"') + 'on host big { set mounts data { options = "size=8G" } }\n');
    const s = mounts.settings(a.resolution.variantFor("mounts", { hostname: "big", labels: new Map() }).config);
    expect(s.mounts[0]).toMatchObject({ target: "/scratch", options: "size=8G" });
  });

  it("accepts values systemd takes as written: spaces inside a device, `%`, UUID=, network shares", () => {
    expectClean(mount('target = "/mnt/my share"  device = "//srv/share name"  type = cifs  options = "credentials=/etc/c%1"'), { noWarnings: true });
    expectClean(mount('target = /data  device = "UUID=4f7c-11aa"  type = xfs  options = "noatime,nofail"'), { noWarnings: true });
    expectClean(mount('target = /nfs  device = "srv:/export"  type = nfs4  options = _netdev'), { noWarnings: true });
  });
});

describe("mounts: bad values are reported where they are written", () => {
  it("reports missing required fields on the mount's block", () => {
    const a = analyzeText(mount("device = tmpfs"));
    expect(summary(a)).toEqual([
      { code: "DB2003", underline: "{ device = tmpfs }" },
      { code: "DB2003", underline: "{ device = tmpfs }" },
    ]);
  });

  it("reports a missing field in the variant where the merge leaves it out", () => {
    expectDiagnostic(mount("target = /a  device = tmpfs  type = tmpfs") + "on host h unset mounts data type\n", { code: "DB2003", underline: "{ target = /a  device = tmpfs  type = tmpfs }" });
  });

  it("rejects a relative target, `/`, and paths that normalise to `/`", () => {
    expectDiagnostic(mount("target = mnt/data  device = tmpfs  type = tmpfs"), { code: "DB2201", underline: "mnt/data" });
    expectDiagnostic(mount("target = /  device = tmpfs  type = tmpfs"), { code: "DB2201", underline: "/" });
    expectDiagnostic(mount('target = "/mnt/.."  device = tmpfs  type = tmpfs'), { code: "DB2201", underline: '"/mnt/.."' });
    expectDiagnostic(mount('target = ""  device = tmpfs  type = tmpfs'), { code: "DB2201", underline: '""' });
  });

  it.each(["/proc", "/sys", "/dev", "/etc/systemd/system", "/etc/systemd/system/multi-user.target.wants", "/var/divingbell", "/var/divingbell/mounts"])(
    "rejects the target %s, which would hide what the node or dbellc needs",
    (target) => {
      expectDiagnostic(mount(`target = ${target}  device = tmpfs  type = tmpfs`), { code: "DB2205", underline: target });
    },
  );

  it("warns about a parent of systemd's units or dbellc's state, and accepts mounts below the kernel's directories", () => {
    for (const target of ["/etc", "/etc/systemd", "/var"]) {
      expect(expectDiagnostic(mount(`target = ${target}  device = tmpfs  type = tmpfs`), { code: "DB2206", underline: target }).severity).toBe("warning");
    }
    expectClean(mount("target = /dev/hugepages  device = hugetlbfs  type = hugetlbfs") + mount("target = /var/lib/docker  device = /dev/sdb1  type = ext4").replace("set mounts data", "set mounts docker"), { noWarnings: true });
  });

  it("rejects a device or options that mount would read as an option", () => {
    expectDiagnostic(mount('target = /mnt/a  device = "-o"  type = tmpfs'), { code: "DB2207", underline: '"-o"' });
    expectDiagnostic(mount('target = /mnt/a  device = tmpfs  type = tmpfs  options = "--bind"'), { code: "DB2207", underline: '"--bind"' });
  });

  it("rejects a target that is not normalised, and says how to write it", () => {
    for (const [bad, good] of [["/mnt//data", "/mnt/data"], ["/mnt/./data", "/mnt/data"], ["/mnt/data/", "/mnt/data"], ["/mnt/x/../data", "/mnt/data"]] as const) {
      const d = expectDiagnostic(mount(`target = "${bad}"  device = tmpfs  type = tmpfs`), { code: "DB2204", underline: `"${bad}"` });
      expect(d.help).toContain(`\`${good}\``);
    }
  });

  it("rejects a target whose unit name systemd could not take", () => {
    const long = `/${"x".repeat(250)}`;
    expectDiagnostic(mount(`target = ${long}  device = tmpfs  type = tmpfs`), { code: "DB2204", underline: long });
    expectClean(mount(`target = /${"x".repeat(240)}  device = tmpfs  type = tmpfs`));
  });

  it("rejects what would break or silently change a unit file line", () => {
    expectDiagnostic(mount('target = /a  device = "tmp\\nfs"  type = tmpfs'), { code: "DB2203", underline: '"tmp\\nfs"' });
    expectDiagnostic(mount('target = /a  device = tmpfs  type = tmpfs  options = "size=1G\\\\"'), { code: "DB2203", underline: '"size=1G\\\\"' });
    expectDiagnostic(mount('target = /a  device = " tmpfs"  type = tmpfs'), { code: "DB2203", underline: '" tmpfs"' });
    expectDiagnostic(mount('target = "/a\\tb"  device = tmpfs  type = tmpfs'), { code: "DB2203", underline: '"/a\\tb"' });
    expectDiagnostic(mount('target = /a  device = "a\\u{7}b"  type = tmpfs'), { code: "DB2203", underline: '"a\\u{7}b"' });
  });

  it("rejects a type that is not one word, and empty values", () => {
    expectDiagnostic(mount('target = /a  device = tmpfs  type = "ext 4"'), { code: "DB2203", underline: '"ext 4"' });
    expectDiagnostic(mount('target = /a  device = ""  type = tmpfs'), { code: "DB2008", underline: '""' });
    expectDiagnostic(mount('target = /a  device = tmpfs  type = tmpfs  options = ""'), { code: "DB2008", underline: '""' });
  });

  it("rejects before/after values that are not unit names", () => {
    expectDiagnostic(mount("target = /a  device = tmpfs  type = tmpfs  before = docker"), { code: "DB2203", underline: "docker" });
    expectDiagnostic(mount('target = /a  device = tmpfs  type = tmpfs  after = "a.service;b"'), { code: "DB2203", underline: '"a.service;b"' });
  });

  it("names an unknown field, with the fields there are", () => {
    expectDiagnostic(mount("mnt_tgt = /a  device = tmpfs  type = tmpfs"), { code: "DB2002", underline: "mnt_tgt" });
    const d = expectDiagnostic(mount("target = /a  device = tmpfs  typ = tmpfs"), { code: "DB2002", underline: "typ" });
    expect(d.help).toContain("`type`");
  });

  it("rejects a mount given as a plain value", () => {
    expectDiagnostic("set mounts data = /mnt\n", { code: "DB2004", underline: "/mnt" });
  });
});

describe("mounts: two mounts on one target", () => {
  it("is an error naming both places", () => {
    const text = mount("target = /srv/x  device = tmpfs  type = tmpfs", "one") + mount("target = /srv/x  device = /dev/sdb  type = ext4", "two");
    const a = analyzeText(text);
    const d = a.diagnostics.find((x) => x.code === "DB2202");
    expect(d).toBeDefined();
    expect(text.slice(d!.span.start, d!.span.end)).toBe("/srv/x");
    expect(d!.span.start).toBeGreaterThan(text.indexOf("two"));
    expect(d!.related?.map((r) => text.slice(r.span.start, r.span.end))).toEqual(["/srv/x"]);
    expect(d!.related![0]!.span.start).toBeLessThan(text.indexOf("two"));
  });

  it("is found in the variant that merges a rule's mount with the defaults", () => {
    const text = mount("target = /srv/x  device = tmpfs  type = tmpfs", "one") + "on label role in [db] set mounts two { target = /srv/x  device = /dev/sdb  type = ext4 }\n";
    const a = analyzeText(text);
    expect(summary(a).filter((s) => s.code === "DB2202")).toEqual([{ code: "DB2202", underline: "/srv/x" }]);
    expect(a.diagnostics.find((d) => d.code === "DB2202")!.span.start).toBeGreaterThan(text.indexOf("on label"));
  });

  it("is fine when a rule moves the one mount elsewhere", () => {
    expectClean(mount("target = /srv/x  device = tmpfs  type = tmpfs", "one") + "on host h set mounts one target = /srv/y\n");
  });
});

describe("mounts: unit names and the host script", () => {
  it("normalises paths as systemd does", () => {
    expect(normalisePath("/a//b/./c/../d/")).toBe("/a/b/d");
    expect(normalisePath("/..")).toBe("/");
  });

  const escape = spawnSync("systemd-escape", ["--version"]).status === 0;
  it.skipIf(!escape)("names units exactly as `systemd-escape -p --suffix=mount` does", () => {
    const part = fc.stringMatching(/^[A-Za-z0-9 ._:\\@%ü-]{1,8}$/).filter((p) => p !== "." && p !== "..");
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 4 }), (parts) => {
        const path = `/${parts.join("/")}`;
        const want = execFileSync("systemd-escape", ["-p", "--suffix=mount", "--", path], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
        expect(mountUnitName(path)).toBe(want);
      }),
      { numRuns: 60 },
    );
  });

  it("passes every field to one mounts_add call, quoted, and ends with mounts_finish", () => {
    const script = compileHostScript(mount(`target = /mnt/x  device = "it's%here"  type = tmpfs  options = "size=1G,mode=1777"`), "mounts", host);
    expect(script).toContain("mounts_add data /mnt/x 'it'\\''s%here' tmpfs size=1G,mode=1777 docker.service network-online.target\nmounts_finish\ndone_summary mounts\n");
  });

  it("has a script without settings that only reverts", () => {
    const script = compileHostScript("", "mounts", host);
    expect(script).toMatch(/\n# ---- this node's settings ----\nmounts_finish\ndone_summary mounts\n$/);
  });

  const shellcheck = spawnSync("shellcheck", ["--version"]).status === 0;
  it.skipIf(!shellcheck)("generates a script that is shellcheck-clean", () => {
    const script = compileHostScript(mount('target = /mnt/x  device = "a b"  type = tmpfs  options = "x;y&z|w"'), "mounts", host);
    const r = spawnSync("shellcheck", ["-s", "bash", "-"], { input: script, encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    expect(spawnSync("bash", ["-n"], { input: script }).status).toBe(0);
  });
});
