/** limits: value validation at the value's place, typed settings, and the shell calls they become. */
import { spawnSync } from "node:child_process";
import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { analyzeText, expectClean, expectDiagnostic, summary } from "../../../test/support/diagnostics.js";
import { compileHostScript } from "../../../test/e2e/support/policy.js";
import { domainProblem, limits, valueProblem, type LimitsSettings } from "./limits.js";

function limit(fields: string, name = "l"): string {
  return `set limits ${name} { ${fields} }\n`;
}
const ok = (over: Partial<Record<"domain" | "type" | "item" | "value", string>> = {}): string => {
  const f = { domain: '"*"', type: "soft", item: "nofile", value: "4096", ...over };
  return limit(`domain = ${f.domain}  type = ${f.type}  item = ${f.item}  value = ${f.value}`);
};

function settings(text: string): LimitsSettings {
  const a = expectClean(text);
  return limits.settings(a.resolution.variants("limits").fallback.config);
}

describe("limits schema", () => {
  test("a complete entry is clean and keeps every value as written", () => {
    const s = settings(ok({ value: "1000000" }) + limit('domain = @ops  type = -  item = nice  value = -5', "nice_ops"));
    expect(s.entries).toEqual([
      { name: "l", domain: "*", type: "soft", item: "nofile", value: "1000000" },
      { name: "nice_ops", domain: "@ops", type: "-", item: "nice", value: "-5" },
    ]);
  });

  test.each(["domain", "type", "item", "value"])("a missing %s is reported on the entry", (field) => {
    const fields = { domain: 'domain = "*"', type: "type = soft", item: "item = nofile", value: "value = 1" };
    const block = `{ ${Object.entries(fields).filter(([k]) => k !== field).map(([, v]) => v).join("  ")} }`;
    expectDiagnostic(`set limits l ${block}\n`, { code: "DB2003", underline: block });
  });

  test("fields can come from the defaults and a rule; a rule's missing field is checked after merging", () => {
    expectClean(`${ok()}on host n1 set limits l value = 8192\n`);
    expectDiagnostic(`on host n1 set limits extra { item = nofile }\n`, { code: "DB2003", underline: "{ item = nofile }" });
  });

  test("an unknown field gets did-you-mean", () => {
    const d = expectDiagnostic(limit('domain = "*"  type = soft  item = nofile  valeu = 1  value = 2'), { code: "DB2002", underline: "valeu" });
    expect(d.help).toContain("`value`");
  });

  test.each(["alice", "@wheel", "*", "%", "%admins", "1000:", ":1000", "1000:2000", "@100:200", "@:100", "%:100", "svc$", "_apt"])("domain %s is accepted", (domain) => {
    const item = domain.startsWith("%") ? "maxlogins" : "nofile";
    expectClean(ok({ domain: `"${domain}"`, item }));
  });

  test.each(["al ice", "@", "%5:10", "1000", ":", "2000:1000", "@1:x", "-", "a:b"])("domain %s is rejected where written", (domain) => {
    expectDiagnostic(ok({ domain: `"${domain}"` }), { code: "DB2401", underline: `"${domain}"` });
  });

  test("a `%` domain with another item than maxlogins is reported on the domain", () => {
    expectDiagnostic(ok({ domain: "%admins" }), { code: "DB2401", underline: "%admins" });
  });

  test("a bad type or item names the fix", () => {
    expect(expectDiagnostic(ok({ type: "sfot" }), { code: "DB2401", underline: "sfot" }).help).toContain("`soft`");
    expect(expectDiagnostic(ok({ item: "nofiles" }), { code: "DB2401", underline: "nofiles" }).help).toContain("`nofile`");
    expect(expectDiagnostic(ok({ item: "NOFILE" }), { code: "DB2401", underline: "NOFILE" }).help).toContain("`nofile`");
  });

  test.each(["0", "4096", "unlimited", "infinity", "-1", "18446744073709551615"])("value %s is a valid nofile limit", (value) => {
    expectClean(ok({ value }));
  });

  test.each(["4k", "1e6", "-5", "+3", "18446744073709551616", '""', "unlimted"])("value %s is rejected where written", (value) => {
    expectDiagnostic(ok({ value }), { code: "DB2401", underline: value });
  });

  test.each([
    ["nice", "-20", true], ["nice", "19", true], ["priority", "0", true], ["nice", "20", false], ["nice", "-21", false],
    ["priority", "unlimited", false], ["nonewprivs", "1", true], ["nonewprivs", "2", false], ["maxlogins", "4", true],
  ])("item %s with value %s: valid=%s", (item, value, valid) => {
    const text = ok({ item, value: `"${value}"` });
    if (valid) expectClean(text);
    else expectDiagnostic(text, { code: "DB2401", underline: `"${value}"` });
  });

  test("the value is checked against the item of the merged configuration", () => {
    const text = `${limit("domain = \"*\"  type = soft  item = nice  value = 5")}on host n1 set limits l value = 4096\n`;
    expectDiagnostic(text, { code: "DB2401", underline: "4096" });
  });

  test.each(["nofile", "a.b_c-1", "x".repeat(236)])("entry name %s is usable in a file name", (name) => {
    expectClean(limit('domain = "*"  type = soft  item = nofile  value = 1', name));
  });

  test.each(['"a b"', '"../x"', '"-x"', '".hidden"', '"a/b"', "x".repeat(237)])("entry name %s is not", (name) => {
    expectDiagnostic(limit('domain = "*"  type = soft  item = nofile  value = 1', name), { code: "DB2402", underline: name });
  });
});

describe("limits settings and calls", () => {
  test("entries are applied in byte order of their names, then the rest is reverted", () => {
    const s = settings(ok() + limit('domain = bob  type = hard  item = nproc  value = 100', "B"));
    expect(limits.bashCalls(s)).toEqual([
      { fn: "limits_apply", args: ["B", "bob", "hard", "nproc", "100"] },
      { fn: "limits_apply", args: ["l", "*", "soft", "nofile", "4096"] },
      { fn: "limits_finish", args: [] },
    ]);
  });

  test("no entries still reverts", () => {
    expect(limits.bashCalls(settings(""))).toEqual([{ fn: "limits_finish", args: [] }]);
  });

  test("`unset` in a rule removes an entry from that variant only", () => {
    const a = analyzeText(`${ok()}on host n1 unset limits l\n`);
    expect(summary(a).filter((d) => d.code.startsWith("DB24"))).toEqual([]);
    const host = a.resolution.variantFor("limits", { hostname: "n1", labels: new Map() });
    expect(limits.settings(host.config).entries).toEqual([]);
  });

  test("every value the validator accepts is one word of a pam_limits line", () => {
    // Near misses of valid words as well as arbitrary text, so that both branches are taken often (counted below).
    const near = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.bigInt({ min: -30n, max: 2n ** 65n }).map(String),
      fc.constantFrom("unlimited", "infinity", "-1", "*", "%", "@wheel", "%adm", "1000:", ":0", "%:100", "bob", "svc$"),
      fc.tuple(fc.constantFrom("", "@", "%", "-", " "), fc.stringMatching(/^[a-z0-9_:#$ -]{0,8}$/)).map(([a, b]) => a + b),
    );
    let values = 0;
    let domains = 0;
    fc.assert(
      fc.property(near, (v) => {
        if (valueProblem(v) === undefined) {
          values++;
          expect(v).toMatch(/^(?:-?[0-9]+|unlimited|infinity)$/);
        }
        if (domainProblem(v) === undefined) {
          domains++;
          expect(v).not.toMatch(/[\s#]/);
          expect(v).not.toBe("");
        }
      }),
      { numRuns: 500 },
    );
    expect(values, "accepted values").toBeGreaterThan(50);
    expect(domains, "accepted domains").toBeGreaterThan(50);
  });
});

describe("limits host script text", () => {
  test("is valid bash and shellcheck-clean, with and without settings", () => {
    for (const text of ['set limits a { domain = "*"  type = soft  item = nofile  value = 4096 }\nset limits "b.c" { domain = "svc$"  type = -  item = nice  value = -5 }', ""]) {
      expectClean(text);
      const script = compileHostScript(text, "limits", { hostname: "n1" });
      expect(spawnSync("bash", ["-n"], { input: script }).status).toBe(0);
      const sc = spawnSync("shellcheck", ["-s", "bash", "-"], { input: script, encoding: "utf8" });
      expect(sc.error ? "" : sc.stdout).toBe("");
    }
  });
});
