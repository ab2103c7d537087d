/** perm: paths, modes, owners, the rerun policy and interval, and the calls and gate hash they become. */
import { spawnSync } from "node:child_process";
import { describe, expect, test } from "vitest";
import { analyzeText, expectClean, expectDiagnostic, summary } from "../../../test/support/diagnostics.js";
import { compileHostScript } from "../../../test/e2e/support/policy.js";
import { isMode, perm, permConfigHash, type PermSettings } from "./perm.js";

function settings(text: string, host?: string): PermSettings {
  const a = expectClean(text);
  const v = host ? a.resolution.variantFor("perm", { hostname: host, labels: new Map() }) : a.resolution.variants("perm").fallback;
  return perm.settings(v.config);
}

describe("perm schema", () => {
  test("an entry keeps its mode exactly as written", () => {
    const s = settings("set perm /etc/shadow { owner = root  group = shadow  mode = 0640 }\nset perm /srv/x { mode = 755 }\n");
    expect(s.entries).toEqual([
      { path: "/etc/shadow", owner: "root", group: "shadow", mode: "0640", followSymlinks: false },
      { path: "/srv/x", owner: undefined, group: undefined, mode: "755", followSymlinks: false },
    ]);
    expect(s.rerunPolicy).toBe("always");
    expect(s.rerunInterval).toBe("infinity");
  });

  test("globs and paths with spaces are quoted keys", () => {
    const s = settings('set perm "/etc/ssl/private/*.key" { mode = 0600 }\nset perm "/srv/my dir" { owner = 1000 }\n');
    expect(s.entries.map((e) => e.path)).toEqual(["/etc/ssl/private/*.key", "/srv/my dir"]);
  });

  test.each(["etc/shadow", '"*.conf"', '"./x"', '"~/x"'])("path %s that is not absolute is reported where written", (path) => {
    expectDiagnostic(`set perm ${path} { mode = 0600 }\n`, { code: "DB2503", underline: path });
  });

  test.each(["/", '"/*"', '"/?tc"', "/proc/sys/kernel/core_pattern", "/proc", '"/sys/class/net/*/flags"', "/var/divingbell/perm", "/var/divingbell", "/srv/../etc/shadow", "/srv/./x"])(
    "path %s, which root must not change, is refused",
    (path) => {
      expectDiagnostic(`set perm ${path} { mode = 0600 }\n`, { code: "DB2505", underline: path });
    },
  );

  test("paths that only look like the refused ones are fine", () => {
    expectClean('set perm /srv/proc { mode = 0600 }\nset perm /system { mode = 0600 }\nset perm /var/divingbell2 { mode = 0600 }\nset perm "/srv/*" { mode = 0600 }\nset perm /srv/x..y { mode = 0600 }\n');
  });

  test("a path with a control character is refused", () => {
    expectDiagnostic('set perm "/a\\tb" { mode = 0600 }\n', { code: "DB2008", underline: '"/a\\tb"' });
  });

  test("a misspelt field gets did-you-mean, not a path error", () => {
    const d = expectDiagnostic("set perm rerun_polcy = never\n", { code: "DB2002", underline: "rerun_polcy" });
    expect(d.help).toContain("`rerun_policy`");
    expect(expectDiagnostic("set perm /x { permissions = 0600 }\n", { code: "DB2002", underline: "permissions" })).toBeDefined();
  });

  test.each(["0640", "640", "0", "7777", "00755", "u=rw,go=r", "a+X", "u+s", "g-w", "o=", "=644", "ug=rwx,o-rwx", "go=u"])("mode %s is accepted", (mode) => {
    expect(isMode(mode)).toBe(true);
    expectClean(`set perm /x { mode = "${mode}" }\n`);
  });

  test.each(["0648", "98", "17777", "000755", "rw-r--r--", "u=rw go=r", "u=rwz", "x+u", "", "u=rw,"])("mode %j is rejected where written", (mode) => {
    expect(isMode(mode)).toBe(false);
    expectDiagnostic(`set perm /x { mode = "${mode}" }\n`, { code: "DB2501", underline: `"${mode}"` });
  });

  test.each(["root", "_apt", "www-data", "svc$", "0", "65534", "4294967294"])("owner and group %s are accepted", (name) => {
    expectClean(`set perm /x { owner = "${name}"  group = "${name}" }\n`);
  });

  test.each(["", "a b", "-x", "1user", "x".repeat(33), "4294967295", "a:b"])("owner %j is rejected where written", (name) => {
    expectDiagnostic(`set perm /x { owner = "${name}" }\n`, { code: "DB2502", underline: `"${name}"` });
    expectDiagnostic(`set perm /x { group = "${name}" }\n`, { code: "DB2502", underline: `"${name}"` });
  });

  test("an entry that sets nothing is reported on its block", () => {
    expectDiagnostic("set perm /x {}\n", { code: "DB2003", underline: "{}" });
  });

  test("rerun_policy is one of three words, with did-you-mean", () => {
    expect(expectDiagnostic("set perm rerun_policy = once\n", { code: "DB2005", underline: "once" }).help).toBeUndefined();
    expect(expectDiagnostic("set perm rerun_policy = nevr\n", { code: "DB2005", underline: "nevr" }).help).toContain("`never`");
  });

  test("rerun_interval is at least 60 seconds or `infinity`", () => {
    expectClean("set perm rerun_interval = 60\n");
    expectClean("set perm rerun_interval = infinity\n");
    expectDiagnostic("set perm rerun_interval = 59\n", { code: "DB2504", underline: "59" });
    expect(expectDiagnostic("set perm rerun_interval = infinite\n", { code: "DB2006", underline: "infinite" }).help).toContain("`infinity`");
    expectDiagnostic("set perm rerun_interval = 1h\n", { code: "DB2006", underline: "1h" });
    // bash on the node adds it to a timestamp: a larger value would wrap around, and the interval be ignored.
    expectClean("set perm rerun_interval = 2147483647\n");
    expectDiagnostic("set perm rerun_interval = 2147483648\n", { code: "DB2504", underline: "2147483648" });
    expectDiagnostic("set perm rerun_interval = 99999999999999999999\n", { code: "DB2504", underline: "99999999999999999999" });
  });

  test("a finite interval with a policy other than `always` is the bad combination, named correctly", () => {
    const d = expectDiagnostic("set perm rerun_policy = never\nset perm rerun_interval = 3600\n", { code: "DB2504", underline: "3600" });
    expect(d.message).toContain("rerun_interval");
    expect(d.message).not.toContain("retry_interval");
    expect(d.related?.length).toBe(1);
    expectDiagnostic("set perm rerun_policy = once_successfully\nset perm rerun_interval = 60\n", { code: "DB2504", underline: "60" });
    expectClean("set perm rerun_policy = never\nset perm rerun_interval = infinity\n");
    expectClean("set perm rerun_policy = always\nset perm rerun_interval = 3600\n");
  });

  test("the combination is checked on each variant's merged configuration", () => {
    const text = "set perm rerun_interval = 3600\non host n1 set perm rerun_policy = never\n";
    const a = analyzeText(text);
    expect(summary(a)).toContainEqual({ code: "DB2504", underline: "3600" });
    expectClean("set perm rerun_policy = never\non host n1 { set perm rerun_policy = always  set perm rerun_interval = 600 }\n");
  });
});

describe("perm settings and calls", () => {
  test("entries in byte order between begin and finish; absent fields are empty arguments", () => {
    const s = settings('set perm /b { mode = 0600 }\nset perm "/a/*" { owner = root  group = 0 }\nset perm rerun_policy = once_successfully\n');
    const calls = perm.bashCalls(s);
    expect(calls).toEqual([
      { fn: "perm_begin", args: [permConfigHash(s), "once_successfully", "infinity"] },
      { fn: "perm_path", args: ["/a/*", "root", "0", ""] },
      { fn: "perm_path", args: ["/b", "", "", "0600"] },
      { fn: "perm_finish", args: [] },
    ]);
    expect(permConfigHash(s)).toMatch(/^[0-9a-f]{64}$/);
  });

  test("follow_symlinks reaches the node as a `follow` argument, and is not a change on its own", () => {
    const s = settings("set perm /x { mode = 0600  follow_symlinks = true }\nset perm /y { mode = 0600  follow_symlinks = false }\n");
    expect(perm.bashCalls(s).filter((c) => c.fn === "perm_path")).toEqual([
      { fn: "perm_path", args: ["/x", "", "", "0600", "follow"] },
      { fn: "perm_path", args: ["/y", "", "", "0600"] },
    ]);
    // The hash of a configuration without the option is the one it had before the option existed.
    expect(permConfigHash(settings("set perm /x { mode = 0600  follow_symlinks = false }\n"))).toBe(permConfigHash(settings("set perm /x { mode = 0600 }\n")));
    expect(permConfigHash(settings("set perm /x { mode = 0600  follow_symlinks = true }\n"))).not.toBe(permConfigHash(settings("set perm /x { mode = 0600 }\n")));
    expectDiagnostic("set perm /x { follow_symlinks = true }\n", { code: "DB2003", underline: "{ follow_symlinks = true }" });
  });

  test("the gate hash changes with any change to the configuration, and only then", () => {
    const base = settings("set perm /x { mode = 0600 }\n");
    const same = settings("set perm /x { mode = 0600 }\n");
    expect(permConfigHash(same)).toBe(permConfigHash(base));
    for (const other of ["set perm /x { mode = 600 }\n", "set perm /x { mode = 0600  owner = root }\n", "set perm /y { mode = 0600 }\n", "set perm /x { mode = 0600 }\nset perm rerun_policy = never\n"]) {
      expect(permConfigHash(settings(other))).not.toBe(permConfigHash(base));
    }
    // Divingbell's constant hash (sha256 of `[]`) must never come back.
    expect(permConfigHash(base)).not.toBe("4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945");
  });

  test("a node whose rule unsets every path gets an empty configuration that reverts everything", () => {
    const s = settings("set perm /x { mode = 0600 }\non host n1 unset perm /x\n", "n1");
    expect(s.entries).toEqual([]);
    expect(perm.bashCalls(s).map((c) => c.fn)).toEqual(["perm_begin", "perm_finish"]);
  });

  test("the pod reruns the script every 60 seconds", () => {
    expect(perm.pod.loopSeconds).toBe(60);
  });
});

describe("perm host script text", () => {
  test("is valid bash and shellcheck-clean, with and without settings", () => {
    const policy = 'set perm "/srv/a b/*" { owner = root  group = 0  mode = "u=rw,go=" }\nset perm "/etc/x\'y" { mode = 0640 }\nset perm rerun_interval = 600\n';
    for (const text of [policy, ""]) {
      expectClean(text);
      const script = compileHostScript(text, "perm", { hostname: "n1" });
      expect(spawnSync("bash", ["-n"], { input: script }).status).toBe(0);
      const sc = spawnSync("shellcheck", ["-s", "bash", "-"], { input: script, encoding: "utf8" });
      expect(sc.error ? "" : sc.stdout).toBe("");
    }
  });
});
