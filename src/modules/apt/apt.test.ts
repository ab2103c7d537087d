/** apt: values checked at their place (names, versions, debconf, repositories), typed settings, shell calls, keys. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyzeText, expectClean as clean, expectDiagnostic, summary } from "../../../test/support/diagnostics.js";
import { apt, SOURCES_HEADER, type AptSettings } from "./apt.js";
import { crc24, dearmorKeys } from "./apt-keys.js";
import { versionProblem } from "./apt-schema.js";

function found(src: string) {
  const a = analyzeText(src);
  return { a, found: summary(a) };
}

/** No diagnostic at all, warnings included. */
function expectClean(src: string): void {
  clean(src, { noWarnings: true });
}

function settings(src: string): AptSettings {
  const a = clean(src);
  return apt.settings(a.resolution.variants("apt").fallback.config);
}

/** ASCII armor as gpg writes it: 64-column base64 and the CRC-24 line. */
function armor(bytes: Buffer, kind = "PUBLIC KEY"): string {
  const crc = Buffer.alloc(3);
  crc.writeUIntBE(crc24(bytes), 0, 3);
  const body = bytes.toString("base64").match(/.{1,64}/g) ?? [];
  return [`-----BEGIN PGP ${kind} BLOCK-----`, "", ...body, `=${crc.toString("base64")}`, `-----END PGP ${kind} BLOCK-----`, ""].join("\n");
}

/** A public-key packet header (old format, tag 6) followed by filler: enough for the checks dbellc makes. */
const fakeKey = (n: number): Buffer => Buffer.concat([Buffer.from([0x99, 0x00, 0x08]), Buffer.alloc(n, 7)]);
const indent = (s: string): string => s.split("\n").map((l) => (l ? `    ${l}` : l)).join("\n");
const repo = (key: string): string =>
  `set apt repository r1 {\n  url = http://deb.debian.org/debian\n  distributions = [bookworm]\n  components = [main]\n  gpgkey = """\n${indent(key)}    """\n}\n`;

describe("apt values", () => {
  it("accepts every field", () => {
    expectClean(`set apt package vim = "2:9.0.1378-2"
set apt package openssh-server {
  version = "1:9.2p1-2+deb12u3"
  debconf {
    "openssh-server/permit-root-login" { type = boolean  answer = "false" }
    "openssh-server/password" { type = password  answer = "" }
  }
}
set apt package chrony {}
set apt upgrade = true
set apt allow_downgrade = false
set apt whitelist = [linux-image-amd64, openssh-server]
set apt blacklist = [telnetd, rsh-server]
set apt repository debian {
  url = "http://deb.debian.org/debian"
  distributions = [bookworm]
  components = [main, contrib]
  subrepos = [updates]
}
`);
  });

  it.each(["Vim", "a", "foo_bar", "-x", "x y"])("rejects the package name %s", (name) => {
    const written = /^[a-z0-9+.-]+$/i.test(name) ? name : `"${name}"`;
    expectDiagnostic(`set apt package ${written} {}`, { code: "DB2701", underline: written });
  });

  it.each([
    ["openssh-server-", "DB2707"],
    ["lib.+", "DB2707"],
    ["a..b", "DB2707"],
    ["vim+", "DB2708"],
  ])("reports %s, which apt-get would read as something other than a package name", (name, code) => {
    expectDiagnostic(`set apt package ${name} {}`, { code, underline: name });
    expectDiagnostic(`set apt blacklist = [${name}]`, { code, underline: name });
  });

  it("accepts real names with `+` and `.`", () => {
    expectClean("set apt package g++ {}\nset apt package memtest86++ {}\nset apt package libstdc++6 {}\nset apt package python3.11 {}\nset apt package ncbi-blast {}");
  });

  it("checks names in the white and black lists", () => {
    expectDiagnostic("set apt whitelist = [ok, Bad]", { code: "DB2701", underline: "Bad" });
    expectDiagnostic('set apt blacklist = ["a b"]', { code: "DB2701", underline: '"a b"' });
  });

  it.each(["1.0", "2.10-3", "1:9.2p1-2+deb12u3", "1.0~rc1-0ubuntu1", "20230101", "1.2-3-4", "2:1.0:1-1"])("accepts the version %s", (v) => {
    expect(versionProblem(v)).toBeUndefined();
    expectClean(`set apt package p1 = "${v}"`);
  });

  it.each(["abc", "a:1.0", "1:", "1.0-", "1.0 1", "1.0-1_2", "x1.0", "1.0:1"])("rejects the version %s", (v) => {
    expectDiagnostic(`set apt package p1 = "${v}"`, { code: "DB2702", underline: `"${v}"` });
  });

  it("rejects an empty version (the newest is `{}`)", () => {
    expectDiagnostic('set apt package p1 { version = "" }', { code: "DB2702", underline: '""' });
  });

  it("checks debconf questions, types and answers", () => {
    expectDiagnostic('set apt package p1 { debconf { "noslash" { type = string answer = "x" } } }', { code: "DB2703", underline: '"noslash"' });
    expectDiagnostic('set apt package p1 { debconf { "a/b c" { type = string answer = "x" } } }', { code: "DB2703", underline: '"a/b c"' });
    expectDiagnostic('set apt package p1 { debconf { "p1/q" { type = bool answer = "x" } } }', { code: "DB2005", underline: "bool" });
    expectDiagnostic('set apt package p1 { debconf { "p1/q" { type = boolean answer = "yes" } } }', { code: "DB2703", underline: '"yes"' });
    expectDiagnostic('set apt package p1 { debconf { "p1/q" { type = string answer = "a\\nb" } } }', { code: "DB2008", underline: '"a\\nb"' });
    expectDiagnostic('set apt package p1 { debconf { "p1/q" { type = string } } }', { code: "DB2003", underline: "{ type = string }" });
    expectClean('set apt package p1 { debconf { "p1/q" { type = multiselect answer = "a, b" } } }');
  });

  it("checks repositories", () => {
    const r = (fields: string) => `set apt repository r1 { ${fields} }`;
    expectDiagnostic(r("url = deb.debian.org distributions = [a] components = [main]"), { code: "DB2704", underline: "deb.debian.org" });
    expectDiagnostic(r("url = http://x distributions = [] components = [main]"), { code: "DB2704", underline: "[]" });
    expectDiagnostic(r("url = http://x distributions = [a] components = []"), { code: "DB2704", underline: "[]" });
    expectDiagnostic(r('url = http://x distributions = ["a b"] components = [main]'), { code: "DB2704", underline: '"a b"' });
    expectDiagnostic(r("url = http://x components = [main]"), { code: "DB2003", underline: "{ url = http://x components = [main] }" });
    expectDiagnostic('set apt repository "my repo" { url = http://x distributions = [a] components = [b] }', { code: "DB2704", underline: '"my repo"' });
  });

  it("checks the gpgkey is an ASCII-armored public key", () => {
    expectClean(repo(armor(fakeKey(40))));
    const bad = (key: string) => expect(found(repo(key)).found.map((d) => d.code)).toContain("DB2704");
    bad("not a key\n");
    bad(armor(fakeKey(40), "PRIVATE KEY"));
    bad(armor(fakeKey(40)).replace(/^=.*$/m, "=AAAA"));
    bad(armor(Buffer.from([0xb4, 0x01, 0x02, 0x03])));
    bad(armor(fakeKey(40)).replace("-----END PGP PUBLIC KEY BLOCK-----\n", ""));
  });

  it("warns that strict mode purges what the policy does not list", () => {
    expectDiagnostic("set apt strict = true", { code: "DB2705", underline: "true" });
    expectClean("set apt strict = false");
    expect(found("set apt strict = true").a.ok).toBe(true);
  });

  it("rejects a package both requested and blacklisted, by default or explicitly", () => {
    expectDiagnostic("set apt package ntpdate {}", { code: "DB2706", underline: "ntpdate" });
    expectDiagnostic("set apt package hello {}\nset apt blacklist = [hello]", { code: "DB2706", underline: "hello" });
    expectDiagnostic("set apt whitelist = [nis]", { code: "DB2706", underline: "nis" });
    expectClean("set apt package ntpdate {}\nset apt blacklist = [telnetd]");
  });
});

describe("apt settings", () => {
  it("fills in Divingbell's defaults", () => {
    expect(settings("set apt package b1 {}\nset apt package a1 = \"1.0\"")).toEqual({
      packages: [
        { name: "a1", version: "1.0", debconf: [] },
        { name: "b1", version: "", debconf: [] },
      ],
      strict: false,
      upgrade: false,
      allowDowngrade: false,
      whitelist: [],
      blacklist: ["inetutils-telnetd", "nis", "ntpdate", "telnetd", "telnetd-ssl"],
      sources: "",
      keyring: "",
    });
  });

  it("an empty blacklist turns the default off", () => {
    expect(settings("set apt blacklist = []").blacklist).toEqual([]);
  });

  it("writes Divingbell's sources list: per repository by name, per distribution, then each subrepo", () => {
    const s = settings(`set apt repository z { url = http://z distributions = [bookworm] components = [main] }
set apt repository a { url = "https://a/debian" distributions = [bookworm, trixie] components = [main, contrib] subrepos = [updates, backports] }`);
    expect(s.sources.split("\n")).toEqual([
      SOURCES_HEADER,
      expect.stringMatching(/^# /),
      "deb https://a/debian bookworm main contrib",
      "deb https://a/debian bookworm-updates main contrib",
      "deb https://a/debian bookworm-backports main contrib",
      "deb https://a/debian trixie main contrib",
      "deb https://a/debian trixie-updates main contrib",
      "deb https://a/debian trixie-backports main contrib",
      "deb http://z bookworm main",
      "",
    ]);
  });

  it("joins every repository's key into one binary keyring, in repository order", () => {
    const k1 = fakeKey(10);
    const k2 = fakeKey(20);
    const src = repo(armor(k2)).replace("r1", "b") + repo(armor(k1)).replace("r1", "a");
    expect(Buffer.from(settings(src).keyring, "base64")).toEqual(Buffer.concat([k1, k2]));
  });

  it("passes every value, debconf answers included, as one argument", () => {
    const s = settings(`set apt package p1 { version = "1.0-1" debconf { "p1/pw" { type = password answer = "a 'b' $(c)" } } }
set apt whitelist = [w1, w1]`);
    expect(apt.bashCalls(s)).toEqual([
      { fn: "apt_begin", args: ["strict=false", "upgrade=false", "allow_downgrade=false"] },
      { fn: "apt_repositories", args: ["", ""] },
      { fn: "apt_debconf", args: ["p1", "p1/pw", "password", "a 'b' $(c)"] },
      { fn: "apt_package", args: ["p1", "1.0-1"] },
      { fn: "apt_whitelist", args: ["w1"] },
      { fn: "apt_blacklist", args: ["inetutils-telnetd", "nis", "ntpdate", "telnetd", "telnetd-ssl"] },
      { fn: "apt_apply", args: [] },
    ]);
  });

  it("runs chrooted and privileged", () => {
    expect(apt.pod).toMatchObject({ runner: "chroot", hostScript: "apt.sh", privileged: { reason: expect.any(String) } });
  });
});

describe("ASCII armor", () => {
  it("decodes what it armors, for any key data", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.boolean(), (data, twoBlocks) => {
        const key = Buffer.concat([Buffer.from([0xc6]), Buffer.from(data)]);
        const text = twoBlocks ? armor(key) + "\n" + armor(key) : armor(key);
        const d = dearmorKeys(text);
        expect(d).toEqual({ ok: true, bytes: twoBlocks ? Buffer.concat([key, key]) : key });
      }),
    );
  });

  it("takes headers, blank lines, indentation and CRLF", () => {
    const text = armor(fakeKey(5)).replace("\n\n", "\nComment: test key\n\n").split("\n").map((l) => `  ${l}`).join("\r\n");
    expect(dearmorKeys(text)).toMatchObject({ ok: true });
  });
});
