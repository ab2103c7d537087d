/** apparmor: profile names and texts checked at their place, complain_mode as a real boolean, collisions, shell calls. */
import { describe, expect, test } from "vitest";
import { expectClean, expectDiagnostic } from "../../../test/support/diagnostics.js";
import { compileHostScript } from "../../../test/e2e/support/policy.js";
import { apparmor, declaredProfiles, type ApparmorSettings } from "./apparmor.js";

const PING = `#include <tunables/global>
profile dbell-ping /usr/bin/ping flags=(complain) {
  #include <abstractions/base>
  network inet raw,
}`;

function profile(name: string, text = PING): string {
  return `set apparmor profile ${name} = """\n${text.replace(/^/gm, "  ")}\n  """\n`;
}

function settingsOf(text: string): ApparmorSettings {
  const a = expectClean(text);
  return apparmor.settings(a.resolution.variants("apparmor").fallback.config);
}

describe("profile names", () => {
  test.each(["usr.bin.ping", "dbell-ping", "x", "with space", "a+b@c"])("%s is accepted", (name) => {
    expectClean(profile(JSON.stringify(name)));
  });

  test.each(["a/b", ".hidden", "..", "", "/etc/x"])("%s is not a plain file name", (name) => {
    const q = JSON.stringify(name);
    expectDiagnostic(profile(q), { code: "DB2901", underline: q });
  });

  test.each(["abstractions", "tunables", "local", "disable", "force-complain", "cache", "abi", "README", "x.dpkg-new", "x.rpmsave", "x~"])(
    "%s is a name AppArmor keeps or skips",
    (name) => {
      const q = JSON.stringify(name);
      expectDiagnostic(profile(q), { code: "DB2902", underline: q });
    },
  );
});

describe("profile texts", () => {
  test("the text is kept exactly, dedented and ending in a newline, with no escape processing", () => {
    const text = 'profile p /x {\n  /a\\tb r,\n  "/c d" r,\n}';
    expect(settingsOf(profile("p", text)).profiles).toEqual([{ name: "p", text: `${text}\n` }]);
  });

  test("an empty or blank text is reported on the value", () => {
    expectDiagnostic('set apparmor profile p = ""\n', { code: "DB2901", underline: '""' });
    expectDiagnostic('set apparmor profile p = "   "\n', { code: "DB2901", underline: '"   "' });
  });

  test("a control character is reported on the value", () => {
    expectDiagnostic('set apparmor profile p = "a\\u{7}b"\n', { code: "DB2008", underline: '"a\\u{7}b"' });
  });

  test("a profile given as a list or block is the wrong shape", () => {
    expectDiagnostic("set apparmor profile p = [a]\n", { code: "DB2004", underline: "[a]" });
  });

  test("`unset` removes one profile for some nodes", () => {
    const a = expectClean(profile("a") + profile("b", "profile b /b {\n}") + "on host n1 unset apparmor profile a\n");
    const host = apparmor.settings(a.resolution.variants("apparmor").hosts[0]!.config);
    expect(host.profiles.map((p) => p.name)).toEqual(["b"]);
  });
});

describe("complain_mode", () => {
  test.each([["true", true], ["false", false], ['"false"', false], ['"true"', true]])("%s gives %s (Divingbell read \"false\" as true)", (word, want) => {
    expect(settingsOf(`set apparmor complain_mode = ${word}\n`).complainMode).toBe(want);
  });

  test.each(["yes", "1", "on", '"False"'])("%s is not a boolean", (word) => {
    expectDiagnostic(`set apparmor complain_mode = ${word}\n`, { code: "DB2007", underline: word });
  });

  test("the default is enforce", () => {
    expect(settingsOf(profile("p")).complainMode).toBe(false);
  });
});

describe("profile name collisions", () => {
  test("top-level profiles are found; children, hats and comments are not", () => {
    const text = '#include <tunables/global>\n# profile commented {\nprofile a /bin/a flags=(complain) {\n  profile child {\n  }\n  ^hat {\n  }\n}\n/usr/bin/b {\n}\nprofile "with space" {\n}';
    expect(declaredProfiles(text)).toEqual(["a", "/usr/bin/b", "with space"]);
  });

  test("two files declaring one profile name get a warning on the later file, naming the first", () => {
    const text = profile("one", "profile same /x {\n}") + profile("two", "profile same /y {\n}");
    const d = expectDiagnostic(text, { code: "DB2903", underline: '"""\n  profile same /y {\n  }\n  """' });
    expect(d.severity).toBe("warning");
    expect(d.related).toHaveLength(1);
  });

  test("one file may declare several profiles", () => {
    expectClean(profile("one", "profile a /a {\n}\nprofile b /b {\n}"), { noWarnings: true });
  });
});

describe("shell calls", () => {
  test("install each profile, then finish (remove stale ones, load), with the mode as a word", () => {
    const s = settingsOf(profile("b", "profile b /b {\n}") + profile("a", "profile a /a {\n}") + "set apparmor complain_mode = true\n");
    expect(apparmor.bashCalls(s)).toEqual([
      { fn: "apparmor_install", args: ["a", "profile a /a {\n}\n"] },
      { fn: "apparmor_install", args: ["b", "profile b /b {\n}\n"] },
      { fn: "apparmor_finish", args: ["complain", "a", "b"] },
    ]);
  });

  test("with no profiles the script only removes stale ones", () => {
    expect(apparmor.bashCalls(settingsOf(""))).toEqual([{ fn: "apparmor_finish", args: ["enforce"] }]);
  });

  test("profile text with quotes and `$(...)` reaches the script as one quoted argument", () => {
    const text = "profile q /q {\n  # it's $(not) `run`\n}";
    const script = compileHostScript(profile("q", text), "apparmor", { hostname: "n1" });
    expect(script).toContain(`apparmor_install q 'profile q /q {\n  # it'\\''s $(not) \`run\`\n}\n'`);
  });
});
