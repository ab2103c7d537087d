/** `check --format sarif` (validated against the SARIF 2.1.0 schema) and `check --format github`. */
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import AjvDraft04 from "ajv-draft-04";
import ajvFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { cli } from "../support/cli.js";

const require = createRequire(import.meta.url);
// The published SARIF 2.1.0 schema (rtm.5, the one code scanning accepts), as the jest-sarif package ships it.
const schema = JSON.parse(readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"));
// The schema's language-tag pattern is not valid with the `u` flag, which ajv sets by default.
// Both are CommonJS modules exporting the function also as `default`, which is how TypeScript sees them.
const ajv = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
ajvFormats.default(ajv);
const validate = ajv.compile(schema);

const files = {
  "p/a.dbell": "set sysctll vm.swappiness = 1\non label a in [x] set sysctl vm.swappiness = 1\n",
  "p/b.dbell": "on label b in [y] set sysctl vm.swappiness = 2\n# allow DB3003: the gateway needs none of the label settings\non host gw set sysctl vm.dirty_ratio = 1\n",
};

describe("check --format sarif", () => {
  it("emits SARIF 2.1.0 that the published schema accepts", async () => {
    const r = await cli(["check", "--format", "sarif", "p"], files);
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout);
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    expect(log.version).toBe("2.1.0");
    // The validator does reject what the schema forbids.
    expect(validate({ ...log, runs: [{ ...log.runs[0], results: [{ ...log.runs[0].results[0], level: "fatal" }] }] })).toBe(false);
  });

  it("has a rule with help text per code, results with locations, related locations and severities", async () => {
    const log = JSON.parse((await cli(["check", "--format", "sarif", "p"], files)).stdout);
    const run = log.runs[0];
    expect(run.tool.driver.rules.map((x: { id: string }) => x.id)).toEqual(["DB2001", "DB3002", "DB3003"]);
    for (const rule of run.tool.driver.rules) expect(rule.help.text).toMatch(/^Reported when /);
    const unknown = run.results.find((x: { ruleId: string }) => x.ruleId === "DB2001");
    expect(unknown.level).toBe("error");
    expect(unknown.message.text).toContain("help: did you mean `sysctl`?");
    expect(unknown.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: "p/a.dbell", uriBaseId: "%SRCROOT%" },
      region: { startLine: 1, startColumn: 5, endLine: 1, endColumn: 12, charOffset: 4, charLength: 7 },
    });
    const overlap = run.results.find((x: { ruleId: string }) => x.ruleId === "DB3002");
    expect(overlap.level).toBe("warning");
    expect(overlap.relatedLocations[0].physicalLocation.artifactLocation.uri).toBe("p/b.dbell");
    expect(run.results[run.tool.driver.rules.length - 1]).toBeDefined();
    for (const x of run.results) expect(run.tool.driver.rules[x.ruleIndex].id).toBe(x.ruleId);
  });

  it("marks an acknowledged warning as suppressed in source, with the reason", async () => {
    const log = JSON.parse((await cli(["check", "--format", "sarif", "p"], files)).stdout);
    const acked = log.runs[0].results.find((x: { ruleId: string }) => x.ruleId === "DB3003");
    expect(acked.suppressions).toEqual([{ kind: "inSource", justification: "the gateway needs none of the label settings" }]);
  });

  it("is valid for a clean policy too (no results)", async () => {
    const r = await cli(["check", "--format", "sarif", "p.dbell"], { "p.dbell": "set sysctl vm.swappiness = 1\n" });
    expect(r.code).toBe(0);
    const log = JSON.parse(r.stdout);
    expect(validate(log)).toBe(true);
    expect(log.runs[0].results).toEqual([]);
  });
});

describe("check --format github", () => {
  it("prints one workflow command per open diagnostic, with escaped text", async () => {
    const r = await cli(["check", "--format", "github", "p"], files);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe("::error file=p/a.dbell,line=1,endLine=1,col=5,endColumn=12,title=DB2001::unknown module `sysctll`%0Ahelp: did you mean `sysctl`?");
    expect(lines[1]).toMatch(/^::warning file=p\/a\.dbell,line=2,endLine=2,col=\d+,endColumn=\d+,title=DB3002::label .*%0Anote: .*: p\/b\.dbell:1:19/);
  });

  it("escapes `,` and `:` in file names", async () => {
    const r = await cli(["check", "--format", "github", "a,b:c.dbell"], { "a,b:c.dbell": "set sysctll vm.swappiness = 1\n" });
    expect(r.stdout).toContain("file=a%2Cb%3Ac.dbell,");
  });
});
