/** exec: schema and cross-field validation at the value's place, typed settings, shell calls and the run-record hash. */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { analyzeText, expectClean as clean, expectDiagnostic, summary } from "../../../test/support/diagnostics.js";
import { exec, type ExecSettings } from "./exec.js";
import { goFloat } from "./exec-hash.js";

/** No diagnostic at all, warnings included. */
function expectClean(src: string): void {
  clean(src, { noWarnings: true });
}

function settings(src: string): ExecSettings {
  const a = analyzeText(src);
  expect(summary(a)).toEqual([]);
  return exec.settings(a.resolution.variants("exec").fallback.config);
}

const sha = (s: string): string => createHash("sha256").update(s, "utf8").digest("hex");

describe("exec values", () => {
  it("accepts every field", () => {
    expectClean(`set exec 010-a.sh {
  script = """
    #!/bin/bash
    echo "$@"
    """
  env { A = "it's $(not run)"  _b2 = 1 }
  args = ["x y", "$HOME"]
  rerun_policy = always
  blocking_policy = background
  timeout = 90
  rerun_interval = 3600
  retry_interval = infinity
  rerun_interval_persist = false
  rerun_max_count = 3
  retry_max_count = 0
}`);
  });

  it.each([
    ['set exec "a b" { script = "x" }', '"a b"'],
    ['set exec -x { script = "x" }', "-x"],
    ['set exec "../x" { script = "x" }', '"../x"'],
    ['set exec ".hidden" { script = "x" }', '".hidden"'],
  ])("rejects the script name in %s", (src, underline) => {
    expectDiagnostic(src, { code: "DB2601", underline });
  });

  it.each([
    ["a".repeat(64), "a run record"],
    ["0123456789abcdef".repeat(4), "a run record"],
    ["010-x.sh.dbell-tmp", "a file being written"],
  ])("rejects the name %s, which exec uses for %s", (name) => {
    expectDiagnostic(`set exec ${name} { script = "x" }`, { code: "DB2606", underline: name });
  });

  it("accepts names that only look like exec's own files", () => {
    expectClean(`set exec ${"A".repeat(64)} { script = "x" }\nset exec ${"a".repeat(63)} { script = "x" }\nset exec x.dbell-tmp.sh { script = "x" }`);
  });

  it("requires a non-empty script", () => {
    expectDiagnostic("set exec a {\n  timeout = 5\n}", { code: "DB2003", underline: "{\n  timeout = 5\n}" });
    expectDiagnostic('set exec a { script = "" }', { code: "DB2604", underline: '""' });
    expectDiagnostic('set exec a { script = "  \\n" }', { code: "DB2604", underline: '"  \\n"' });
    expectDiagnostic('set exec a { script = "a\\0b" }', { code: "DB2604", underline: '"a\\0b"' });
  });

  it("suggests `script` for Divingbell's `data`", () => {
    expectDiagnostic('set exec a { data = "x" }', { code: "DB2002", underline: "data" });
  });

  it("checks environment names but takes any value", () => {
    expectDiagnostic('set exec a { script = "x" env { 1A = b } }', { code: "DB2602", underline: "1A" });
    expectDiagnostic('set exec a { script = "x" env { "A-B" = b } }', { code: "DB2602", underline: '"A-B"' });
    expectClean("set exec a { script = \"x\" env { A = \"$(rm -rf /) `x` 'q'\\n\" } }");
  });

  it("checks policies by name", () => {
    expectDiagnostic('set exec a { script = "x" rerun_policy = sometimes }', { code: "DB2005", underline: "sometimes" });
    expectDiagnostic('set exec a { script = "x" blocking_policy = foreground_halt }', { code: "DB2005", underline: "foreground_halt" });
  });

  it.each(["infinite", "0", "-5", "1.5", "2147483648"])("rejects the timeout %s", (t) => {
    expectDiagnostic(`set exec a { script = "x" timeout = ${t} }`, { code: "DB2603", underline: t });
  });

  it.each(["30", "59", "infinite", "never", "1h"])("rejects the interval %s", (v) => {
    expectDiagnostic(`set exec a { script = "x" rerun_interval = ${v} }`, { code: "DB2504", underline: v });
    expectDiagnostic(`set exec a { script = "x" retry_interval = ${v} }`, { code: "DB2504", underline: v });
  });

  it("needs rerun_policy always for a finite rerun_interval", () => {
    expectDiagnostic('set exec a { script = "x" rerun_policy = never rerun_interval = 3600 }', { code: "DB2504", underline: "3600" });
    expectDiagnostic('set exec a { script = "x" rerun_policy = once_successfully rerun_interval = 60 }', { code: "DB2504", underline: "60" });
    expectClean('set exec a { script = "x" rerun_interval = 60 }');
    expectClean('set exec a { script = "x" rerun_policy = never rerun_interval = infinity }');
  });

  it("needs a retrying policy for a finite retry_interval", () => {
    expectDiagnostic('set exec a { script = "x" rerun_policy = never retry_interval = 600 }', { code: "DB2504", underline: "600" });
    expectClean('set exec a { script = "x" rerun_policy = once_successfully retry_interval = 600 }');
  });

  it("checks the combination on each variant's merged configuration", () => {
    const src = 'set exec a { script = "x" rerun_interval = 3600 }\non label role in [db] set exec a rerun_policy = never\n';
    expectDiagnostic(src, { code: "DB2504", underline: "3600" });
  });

  it("rejects count and persist options that cannot take effect", () => {
    expectDiagnostic('set exec a { script = "x" rerun_policy = once_successfully rerun_max_count = 2 }', { code: "DB2605", underline: "2" });
    expectDiagnostic('set exec a { script = "x" rerun_policy = never retry_max_count = 4 }', { code: "DB2605", underline: "4" });
    expectDiagnostic('set exec a { script = "x" rerun_interval_persist = false }', { code: "DB2605", underline: "false" });
    expectDiagnostic('set exec a { script = "x" retry_interval_persist = true }', { code: "DB2605", underline: "true" });
    expectClean('set exec a { script = "x" rerun_interval = 600 retry_interval_persist = false }');
    expectClean('set exec a { script = "x" rerun_policy = once_successfully retry_interval = 600 retry_interval_persist = false retry_max_count = 5 }');
  });

  it("checks counts and booleans", () => {
    expectDiagnostic('set exec a { script = "x" rerun_max_count = -1 }', { code: "DB2006", underline: "-1" });
    expectDiagnostic('set exec a { script = "x" retry_max_count = many }', { code: "DB2006", underline: "many" });
    expectDiagnostic('set exec a { script = "x" rerun_interval = 60 rerun_interval_persist = yes }', { code: "DB2007", underline: "yes" });
  });
});

describe("exec settings", () => {
  it("orders scripts by the bytes of their names and fills in Divingbell's defaults", () => {
    const s = settings('set exec b { script = "b" }\nset exec B { script = "B" }\nset exec 9 { script = "9" }\nset exec 10 { script = "10" }\n');
    expect(s.scripts.map((x) => x.name)).toEqual(["10", "9", "B", "b"]);
    expect(s.scripts[0]).toMatchObject({
      body: "10\n",
      env: [],
      args: [],
      rerunPolicy: "always",
      blockingPolicy: "foreground",
      timeout: "1800",
      rerunInterval: "infinity",
      retryInterval: "infinity",
      rerunIntervalPersist: true,
      rerunMaxCount: "unlimited",
      retryIntervalPersist: true,
      retryMaxCount: "unlimited",
    });
  });

  it("takes retry_interval from rerun_interval and writes numbers in decimal", () => {
    const [x] = settings('set exec a { script = "x" rerun_interval = 0120 timeout = 0090 }').scripts;
    expect(x).toMatchObject({ rerunInterval: "120", retryInterval: "120", timeout: "90" });
  });

  it("passes every value as one argument of the shell calls", () => {
    const s = settings(`set exec a { script = "x" env { Z = "1 2"  A = "$(x)" } args = ["--", "b c"] }`);
    const calls = exec.bashCalls(s);
    expect(calls[0]).toEqual({ fn: "exec_begin", args: ["a", s.scripts[0]!.hash] });
    expect(calls[1]).toEqual({ fn: "exec_script", args: ["a", "x\n"] });
    expect(calls[2]!.fn).toBe("exec_run");
    expect(calls[2]!.args.slice(-7)).toEqual(["--env", "A=$(x)", "--env", "Z=1 2", "--", "--", "b c"]);
  });

  it("runs in the host's namespaces every 60 seconds, privileged", () => {
    expect(exec.pod).toMatchObject({ runner: "nsenter", loopSeconds: 60, privileged: { reason: expect.stringContaining("/proc/1/ns") } });
  });
});

describe("exec run-record hash (Divingbell's algorithm)", () => {
  it("hashes an entry with only a script as sha256 of `[[];data:<text>]`", () => {
    const [x] = settings('set exec a { script = """\n  #!/bin/sh\n  true\n  """ }').scripts;
    expect(x!.hash).toBe(sha("[[];data:#!/bin/sh\ntrue\n]"));
  });

  it("chains keys in sorted Divingbell names, env per variable, lists and numbers printed as Go does", () => {
    const [x] = settings('set exec a { script = "D" timeout = 1000000 env { B = 2  A = x } args = [p, 7] }').scripts;
    const l1 = "[];args:[p 7]";
    const l2 = `[${l1}];data:D`;
    const l3 = `[${l1} ${l2}];env:A:x`;
    const l4 = `[${l1} ${l2} ${l3}];env:B:2`;
    const l5 = `[${l1} ${l2} ${l3} ${l4}];timeout:1e+06`;
    expect(x!.hash).toBe(sha(`[${l1} ${l2} ${l3} ${l4} ${l5}]`));
  });

  it("prints bare words as YAML 1.1 typed them: booleans as Go's true/false, quoted text as written", () => {
    const h = (env: string) => settings(`set exec a { script = "D" env { V = ${env} } }`).scripts[0]!.hash;
    expect(h("yes")).toBe(sha("[[];data:D [[];data:D];env:V:true]"));
    expect(h('"yes"')).toBe(sha("[[];data:D [[];data:D];env:V:yes]"));
    expect(h("0640")).toBe(sha("[[];data:D [[];data:D];env:V:416]"));
  });

  it("changes with any field, and not with the order fields are written in", () => {
    const h = (src: string) => settings(src).scripts[0]!.hash;
    const base = h('set exec a { script = "x" timeout = 60 }');
    expect(h('set exec a { timeout = 60 script = "x" }')).toBe(base);
    expect(h('set exec a { script = "x" timeout = 61 }')).not.toBe(base);
    expect(h('set exec a { script = "x" timeout = "60" rerun_max_count = 1 }')).not.toBe(base);
  });

  it.each([
    [1800, "1800"],
    [123456, "123456"],
    [1000000, "1e+06"],
    [123456789, "1.23456789e+08"],
    [0.5, "0.5"],
    [0.00001, "1e-05"],
    [-2500000, "-2.5e+06"],
  ])("prints %d as Go's %%v does: %s", (n, s) => expect(goFloat(n)).toBe(s));
});
