/** users: names, password hashes, ssh keys and Unmanaged checked at their place; settings; one self-contained call per user. */
import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { analyzeText, expectClean, expectDiagnostic } from "../../../test/support/diagnostics.js";
import { compileHostScript } from "../../../test/e2e/support/policy.js";
import { builtinAccountAction, users, type UserSetting, type UsersSettings } from "./users.js";

/** Real hashes of the password `pw`, made by libxcrypt's crypt(3). */
export const HASHES = {
  md5: "$1$saltsalt$6SNdNaZLKst2LlSm7oPPL1",
  sha256: "$5$saltsaltsaltsalt$zjTLfLaH9duFBTcEYa3b3d99z3jRlh2J6dtAKvgBfX3",
  sha256Rounds: "$5$rounds=10000$salt$xo/8y5Vwj53t2PS3K5XzsLCJafQdvMtiS/r/K05XkA1",
  sha512: "$6$saltsalt$pauPrmdmG4BTE9h2HPmywiw152IFch6BJCEsaY6D.PLTfpV8sqvXwWdyfsgVgozkYH9B80bAip/08R2BPH2xk/",
  sha512Rounds: "$6$rounds=656000$saltsaltsaltsalt$SPdgMiSxO6A5FvhngBkYZSzbrCQOdRD5Pap6VKlPYnN9w9Otek3v1s1IRem.LW.DHIphqxzZR1E5p.M5mtxOf.",
  bcrypt2b: "$2b$12$abcdefghijklmnopqrstuunYdhHrPrQsWwVD7FJZar2U048CuDd2m",
  bcrypt2a: "$2a$04$abcdefghijklmnopqrstuuyvPXIbu7xe6/CED2DzX8z6Si09MlzlW",
  bcrypt2y: "$2y$10$abcdefghijklmnopqrstuuj7m4XYqbm74SxoBcXyw8to0CQ061DVG",
  yescrypt: "$y$j9T$PaMR9EqOIAVTLDuTX3KYA1$Y62iDsjGApdB4HPUEyBqNf9D09s1.ZIWQoDWmsbs2vB",
  yescryptShortSalt: "$y$jDT$abcdefgh$TCF./iJerBRaTo3woHKmczJ9GnwbPVAbyGwCYGr2zdC",
  yescryptNoSalt: "$y$j9T$$35/RtcSpQnsp9pKBilplwTCR/Z6e.uNV.3aZKZzHYd6",
};

/** Public keys made by ssh-keygen, one per type it can make without a security key. */
export const KEYS = {
  ed25519: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIPTMJRmowiDVuONOm7FAp84SqjOx4nwRGJVHeqcAOJq",
  rsa: "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQCygrLz0c5PhkqrbJ6Xw3ReWaI4EAYdEzLs9gOqSOHC4GaIZ14zU2xhBisFIRf+PW00H/4u4ULPHG5jlxL/52Q+OnvmYqSembIT7JmNQ4ftWQyK1qwc4mQBXaQRQK3RJriJUafx7peYMoS01TBayyBKxxEczIgqNsPU/6Fu8Ommnw==",
  dss: "ssh-dss AAAAB3NzaC1kc3MAAACBAJGHrAgUHaQEbM4rjBVRXSjWUiNHRh9B8BDL4gmI+wjELCZSxhQL7cYU31yV39Ihm0dPAKENUBw33658NGjdwmVXcyjrC6nMp3sL/7ZPbpPOjRmHp+xwZcTMyTbd0nbxRn9sYsvCJIr0kLo/J4lSNVYy+LaJAlJrFU2hoDvcRMoBAAAAFQDabUMsMl14UlaMxznkDoEfjAL2swAAAIB4TUsQ+ntf3fQXX1X621VOqoPWXibDalRHwBnWS7gnlOLEu+gd/TynvKh1gl9ryOnTd+/yiF1XU/9CONO0yeZPT331LErtN3mLfTaNaSI0X+9VttfDHwtR9iE8SQ5/xl75rSCooAip1HFEvVnB1nSzF9Iwv29kELDU+2MdT2pTrgAAAIEAhyxwO7FqhexeDUl4SSC6kqIxbqeG0Ua14em7bwjHLMqBuQG9bUngqiJ8fodyShtKsHxDcLENt3Ata3IxI1WCpHOM8h4pd+z3NFN7Gy9Ov19FQov+FUfhk6rgubT8zuHoHpHIwciZRL7b7Fm6FLkitc37YqcVXUB7eTYH4yWM0YE=",
  p256: "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBD/cYfPF9InklE7odfubkJejW5Fi/+sJQfrI6sneuph61iyqADHHFVHhdlR6r9tpnuXinmTovy+emHPyRrBz774=",
  p384: "ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBGE3PP9mPWPi6QRrWDhtQXicPANK4yfZohrHBglcA06DnEkUm4p5rZjWp0bBSyje73YWoBIY/V+yvd0dg2kLWKLJq6L1hDCzW2d2OmruY+vaXMou8CCjZOUzYhbvTQX9kw==",
  p521: "ecdsa-sha2-nistp521 AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlzdHA1MjEAAACFBAHEkecszhuXR88xGqgjEucgxFfyOHl21zy8nxfqs+QIscJjLuyNdeZgSggy9gVyqV03MpEOGS9stVJea4NUk2hQkwAaZEtYvdzd6ckwjaSsAp0kYiK8CAubQCUnuKCNCLDKxXK+kfl7cypWE1rySDKwrJPBc5b7ILtXeDrrxzHj1OA9Pw==",
};

/** An SSH wire-format blob: each field as a 4-byte length and its bytes. */
function blob(...fields: (string | Buffer)[]): string {
  return Buffer.concat(fields.flatMap((f) => {
    const b = typeof f === "string" ? Buffer.from(f, "latin1") : f;
    const n = Buffer.alloc(4);
    n.writeUInt32BE(b.length);
    return [n, b];
  })).toString("base64");
}
const SK_ED25519 = `sk-ssh-ed25519@openssh.com ${blob("sk-ssh-ed25519@openssh.com", Buffer.alloc(32, 7), "ssh:")} yubikey`;
const SK_P256 = `sk-ecdsa-sha2-nistp256@openssh.com ${blob("sk-ecdsa-sha2-nistp256@openssh.com", "nistp256", Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 9)]), "ssh:")}`;

function user(name: string, body: string): string {
  return `set users user ${name} { ${body} }\n`;
}

function settingsOf(text: string): UsersSettings {
  const a = expectClean(text);
  return users.settings(a.resolution.variants("users").fallback.config);
}

describe("user names", () => {
  test.each(["alice", "_svc", "ops-team", "a1", "build_01", "machine$", "a".repeat(32)])("%s is accepted", (name) => {
    expectClean(user(JSON.stringify(name), ""));
  });

  test.each(["Alice", "1ops", "-x", "a.b", "al ice", "a$b", "ünï", "a".repeat(33)])("%s is rejected on the name", (name) => {
    const q = JSON.stringify(name);
    expectDiagnostic(user(q, ""), { code: "DB2801", underline: q });
  });

  test("an upper-case name suggests the lower-case one", () => {
    expect(expectDiagnostic(user("Bob", ""), { code: "DB2801", underline: "Bob" }).help).toContain("`bob`");
  });
});

describe("passwords", () => {
  test.each(Object.entries(HASHES))("a real %s hash is accepted", (_, hash) => {
    expectClean(user("u", `password = '${hash}'`));
  });

  test.each(["*", "!"])("%s (no password / locked) is accepted", (v) => {
    expectClean(user("u", `password = "${v}"`));
  });

  const bad: [string, string][] = [
    ["plain text", "hunter2"],
    ["unknown scheme", "$7$CU..../....abc$def"],
    ["md5 salt too long", "$1$saltsaltx$6SNdNaZLKst2LlSm7oPPL1"],
    ["md5 hash cut", HASHES.md5.slice(0, -1)],
    ["md5 hash ends impossibly", HASHES.md5.slice(0, -1) + "z"],
    ["sha512 with a suffix", HASHES.sha512 + "x"],
    ["sha512 prefix only (unanchored match in Divingbell)", "x" + HASHES.sha512],
    ["sha512 bad character", HASHES.sha512.replace("pau", "p_u")],
    ["sha512 ends impossibly", HASHES.sha512.slice(0, -1) + "2"],
    ["sha512 rounds too low", HASHES.sha512Rounds.replace("656000", "999")],
    ["sha512 rounds leading zero", HASHES.sha512Rounds.replace("656000", "0656000")],
    ["sha256 salt too long", "$5$saltsaltsaltsalt1$zjTLfLaH9duFBTcEYa3b3d99z3jRlh2J6dtAKvgBfX3"],
    ["bcrypt cost 3", HASHES.bcrypt2a.replace("$04$", "$03$")],
    ["bcrypt cost 32", HASHES.bcrypt2a.replace("$04$", "$32$")],
    ["bcrypt non-canonical salt", HASHES.bcrypt2b.replace("stuun", "stuvn")],
    ["bcrypt too short", HASHES.bcrypt2y.slice(0, -1)],
    ["bcrypt $2x$", HASHES.bcrypt2y.replace("$2y$", "$2x$")],
    ["yescrypt bad params", HASHES.yescrypt.replace("$j9T$", "$k9T$")],
    ["yescrypt undecodable salt", HASHES.yescrypt.replace("KYA1$", "KYA$")],
    ["yescrypt hash cut", HASHES.yescrypt.slice(0, -2)],
    ["star with more", "*x"],
    ["empty", ""],
  ];
  test.each(bad)("%s is rejected on the value, and the message never quotes it", (_, hash) => {
    const written = `'${hash}'`;
    const d = expectDiagnostic(user("u", `password = ${written}`), { code: "DB2802", underline: written });
    if (hash.length > 3) expect(d.message + (d.help ?? "")).not.toContain(hash);
  });

  test("the password defaults to `*`", () => {
    expect(settingsOf(user("u", "")).users[0]!.password).toBe("*");
  });
});

describe("ssh keys", () => {
  test.each([...Object.entries(KEYS), ["sk-ed25519", SK_ED25519], ["sk-p256", SK_P256]])("a real %s key is accepted", (_, key) => {
    expectClean(user("u", `ssh_keys = ["${key} me@host"]`));
    expectClean(user("u", `ssh_keys = ['${key}']`));
  });

  test.each([
    `from="10.0.0.0/8,192.168.1.1",no-pty,command="echo \\"hi\\"" ${KEYS.ed25519} x`,
    `restrict ${KEYS.ed25519}`,
    `no-port-forwarding,permitopen="host:22",expiry-time="20300101" ${KEYS.rsa} a b c`,
    `${KEYS.ed25519}  comment with spaces and a backslash \\n`,
  ])("options and comments are accepted: %s", (key) => {
    expectClean(user("u", `ssh_keys = ['${key}']`));
  });

  const rsaBody = KEYS.rsa.split(" ")[1]!;
  const edBody = KEYS.ed25519.split(" ")[1]!;
  const bad: [string, string][] = [
    ["unknown type", `ssh-foo ${edBody}`],
    ["certificate type", `ssh-ed25519-cert-v01@openssh.com ${edBody}`],
    ["type and body disagree", `ssh-ed25519 ${rsaBody}`],
    ["no body", "ssh-ed25519"],
    ["body not base64", "ssh-ed25519 AAAA!!!!"],
    ["body cut", `ssh-ed25519 ${edBody.slice(0, -4)}`],
    ["non-canonical base64 (unused bits set before the padding)", KEYS.p256.replace("774=", "775=")],
    ["extra bytes", `ssh-ed25519 ${blob("ssh-ed25519", Buffer.alloc(32), "x")}`],
    ["ecdsa curve mismatch", `ecdsa-sha2-nistp256 ${blob("ecdsa-sha2-nistp256", "nistp384", Buffer.alloc(65))}`],
    ["unknown option", `no-ptty ${KEYS.ed25519}`],
    ["option missing value", `command ${KEYS.ed25519}`],
    ["flag with value", `no-pty="1" ${KEYS.ed25519}`],
    ["unclosed option value", `command="ls ${KEYS.ed25519}`],
    ["a comment line", `# ${KEYS.ed25519}`],
    ["only whitespace", "   "],
    ["the private key", "-----BEGIN OPENSSH PRIVATE KEY-----"],
  ];
  test.each(bad)("%s is rejected on the key", (_, key) => {
    expectDiagnostic(user("u", `ssh_keys = ["ok", '${key}']`.replace('"ok", ', "")), { code: "DB2803", underline: `'${key}'` });
  });

  test("a key with a newline is rejected; each key is one list item", () => {
    expectDiagnostic(user("u", `ssh_keys = ["${KEYS.ed25519}\\n${KEYS.rsa}"]`), { code: "DB2803", underline: `"${KEYS.ed25519}\\n${KEYS.rsa}"` });
  });

  test("a misspelt type or Unmanaged gets a suggestion", () => {
    expect(expectDiagnostic(user("u", `ssh_keys = ['ssh-ed2519 ${edBody}']`), { code: "DB2803", underline: `'ssh-ed2519 ${edBody}'` }).help).toContain("ssh-ed25519");
    expect(expectDiagnostic(user("u", "ssh_keys = [unmanaged]"), { code: "DB2803", underline: "unmanaged" }).help).toContain("`Unmanaged`");
  });

  test("Unmanaged alone is accepted; mixed with keys it is reported on the marker, with the keys related", () => {
    expect(settingsOf(user("u", "ssh_keys = [Unmanaged]")).users[0]!.sshKeys).toEqual({ kind: "Unmanaged" });
    const d = expectDiagnostic(user("u", `ssh_keys = ['${KEYS.ed25519}', Unmanaged]`), { code: "DB2804", underline: "Unmanaged" });
    expect(d.related).toHaveLength(1);
  });

  test("mixing is checked after merging: a rule's list replaces the default's", () => {
    expectClean(user("u", "ssh_keys = [Unmanaged]") + `on host n1 set users user u ssh_keys = ['${KEYS.ed25519}']\n`);
  });

  test("absent keys and [] both mean: no keys (authorized_keys removed)", () => {
    expect(settingsOf(user("u", "")).users[0]!.sshKeys).toEqual({ kind: "Managed", keys: [] });
    expect(settingsOf(user("u", "ssh_keys = []")).users[0]!.sshKeys).toEqual({ kind: "Managed", keys: [] });
  });
});

describe("fields and settings", () => {
  test("sudo and purge_expired_users are real booleans; the string \"false\" is false", () => {
    const s = settingsOf(user("u", 'sudo = "false"') + 'set users purge_expired_users = "false"\n');
    expect(s.users[0]!.sudo).toBe(false);
    expect(s.purgeExpiredUsers).toBe(false);
    expectDiagnostic(user("u", "sudo = yes"), { code: "DB2007", underline: "yes" });
    expectDiagnostic("set users purge_expired_users = 1\n", { code: "DB2007", underline: "1" });
  });

  test("an unknown field gets did-you-mean", () => {
    expect(expectDiagnostic(user("u", "sshkeys = []"), { code: "DB2002", underline: "sshkeys" }).help).toContain("`ssh_keys`");
  });

  test("users are sorted by name and a rule changes one field of one user", () => {
    const text = user("zed", "sudo = true") + user("amy", `password = '${HASHES.sha512}'`) + "on host n1 set users user zed sudo = false\n";
    const a = expectClean(text);
    const host = a.resolution.variants("users").hosts[0]!;
    const s = users.settings(host.config);
    expect(s.users.map((u) => [u.name, u.sudo, u.password])).toEqual([["amy", false, HASHES.sha512], ["zed", false, "*"]]);
  });
});

describe("the built-in account rule", () => {
  const u = (o: Partial<UserSetting>): UserSetting => ({ name: "x", password: "*", sudo: false, sshKeys: { kind: "Managed", keys: [] }, ...o });
  test("expired only when a sudo user has a password and a sudo user has keys", () => {
    expect(builtinAccountAction([u({ sudo: true, password: HASHES.sha512, sshKeys: { kind: "Managed", keys: [KEYS.ed25519] } })])).toBe("expire");
    expect(builtinAccountAction([u({ name: "a", sudo: true, password: HASHES.sha512 }), u({ name: "b", sudo: true, sshKeys: { kind: "Managed", keys: [KEYS.rsa] } })])).toBe("expire");
    expect(builtinAccountAction([u({ sudo: true, password: HASHES.sha512 })])).toBe("unexpire");
    expect(builtinAccountAction([u({ sudo: true, password: "!", sshKeys: { kind: "Managed", keys: [KEYS.rsa] } })])).toBe("unexpire");
    expect(builtinAccountAction([u({ sudo: false, password: HASHES.sha512, sshKeys: { kind: "Managed", keys: [KEYS.rsa] } })])).toBe("unexpire");
    expect(builtinAccountAction([u({ sudo: true, password: HASHES.sha512, sshKeys: { kind: "Unmanaged" } })])).toBe("unexpire");
    expect(builtinAccountAction([])).toBe("unexpire");
  });
  test("a policy that lists `ubuntu` manages it like any user", () => {
    expect(builtinAccountAction([u({ name: "ubuntu" }), u({ sudo: true, password: HASHES.sha512, sshKeys: { kind: "Managed", keys: [KEYS.rsa] } })])).toBe("managed");
  });
});

describe("shell calls", () => {
  test("each user's call carries all its fields; an Unmanaged user leaks nothing into the next (Divingbell leaked password and sudo)", () => {
    const s = settingsOf(user("a", `password = '${HASHES.sha512}'  sudo = true  ssh_keys = [Unmanaged]`) + user("b", ""));
    expect(users.bashCalls(s)).toEqual([
      { fn: "users_load", args: ["a", "b"] },
      { fn: "users_apply", args: ["a", HASHES.sha512, "true", "unmanaged"] },
      { fn: "users_apply", args: ["b", "*", "false", "managed"] },
      { fn: "users_finish", args: ["expire", "unexpire", "a", "b"] },
    ]);
  });

  test("property: every user's call is a function of that user alone, whatever precedes it", () => {
    const keyArb = fc.constantFrom(...Object.values(KEYS));
    const userArb = fc.record({
      password: fc.constantFrom("*", "!", ...Object.values(HASHES)),
      sudo: fc.boolean(),
      keys: fc.oneof(fc.constant("Unmanaged" as const), fc.array(keyArb, { maxLength: 3 }), fc.constant(undefined)),
    });
    const policy = fc.uniqueArray(fc.tuple(fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/), userArb), { selector: ([n]) => n, minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(policy, (list) => {
        const text = list.map(([name, f]) => {
          const keys = f.keys === undefined ? "" : f.keys === "Unmanaged" ? "ssh_keys = [Unmanaged]" : `ssh_keys = [${f.keys.map((k) => `'${k}'`).join(", ")}]`;
          return user(name, `password = '${f.password}'  sudo = ${f.sudo}  ${keys}`);
        }).join("");
        const calls = users.bashCalls(settingsOf(text));
        for (const [name, f] of list) {
          const alone = users.bashCalls(settingsOf(user(name, `password = '${f.password}'  sudo = ${f.sudo}  ${f.keys === undefined ? "" : f.keys === "Unmanaged" ? "ssh_keys = [Unmanaged]" : `ssh_keys = [${f.keys.map((k) => `'${k}'`).join(", ")}]`}`)));
          expect(calls.find((c) => c.fn === "users_apply" && c.args[0] === name)).toEqual(alone.find((c) => c.fn === "users_apply"));
        }
      }),
      { numRuns: 150 },
    );
  });

  test("the script has one users_apply line per user and no shell variable carries a field", () => {
    const script = compileHostScript(user("a", "ssh_keys = [Unmanaged]  sudo = true") + user("b", ""), "users", { hostname: "n1" });
    const calls = script.split("\n").filter((l) => l.startsWith("users_apply "));
    expect(calls).toEqual(["users_apply a '*' true unmanaged", "users_apply b '*' false managed"]);
    expect(script).not.toMatch(/^\s*user_(name|sudo|crypt_passwd|sshkeys)=/m);
  });

  test("an empty policy still finishes: removed users are expired and the built-in account kept usable", () => {
    const load = { fn: "users_load", args: [] };
    expect(users.bashCalls(settingsOf(""))).toEqual([load, { fn: "users_finish", args: ["expire", "unexpire"] }]);
    expect(users.bashCalls(settingsOf("set users purge_expired_users = true\n"))).toEqual([load, { fn: "users_finish", args: ["purge", "unexpire"] }]);
  });

  test("no diagnostic of a bad policy contains a hash written in it", () => {
    const a = analyzeText(user("u", `password = '${HASHES.sha512}x'`) + user("v", `password = '${HASHES.bcrypt2b}'  sudo = maybe`));
    for (const d of a.diagnostics) expect(JSON.stringify(d)).not.toMatch(/\$6\$saltsalt|\$2b\$12/);
  });
});
