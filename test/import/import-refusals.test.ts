/**
 * Values Divingbell's chart refused to render (docs/import.md): a values file holding one never deployed, so
 * import fails with DB4004 at the value, naming Divingbell's reason, and leaves the value out of the policy.
 */
import { describe, expect, it } from "vitest";
import { cli } from "../support/cli.js";
import { expectImportDiagnostic, importYaml, statements } from "./support/import-helpers.js";

const exec = (...lines: string[]) => importYaml("conf:", "  exec:", "    x.sh:", "      data: 'true'", ...lines.map((l) => `      ${l}`));

describe("import: values Divingbell refused", () => {
  it.each([
    [["timeout: infinite"], "infinite", "'infinite' timeouts not supported"],
    [["rerun_interval: 30"], "30", "expected >= '60'"],
    [["retry_interval: soon"], "soon", "expected >= '60'"],
    [["rerun_interval: infinite"], "infinite", "expected >= '60'"],
    [["rerun_policy: never", "rerun_interval: 120"], "120", "BAD COMBINATION"],
    [["rerun_policy: never", "retry_interval: 120"], "120", "BAD COMBINATION"],
    [["rerun_policy: sometimes"], "sometimes", "BAD 'rerun_policy'"],
    [["blocking_policy: later"], "later", "BAD 'blocking_policy'"],
    [["blocking_policy: background"], "background", "NOT IMPLEMENTED"],
    [["rerun_max_count: 3"], "3", "NOT IMPLEMENTED"],
  ])("exec %j fails at `%s` with %s", (lines, underline, reason) => {
    const r = exec(...lines);
    const d = expectImportDiagnostic(r, { code: "DB4004", underline });
    expect(d.message).toContain(reason);
    expect(statements(r).join("\n")).not.toContain(` = ${underline}`);
  });

  it("accepts what Divingbell accepted: `infinity`, 60 and more, a finite retry with once_successfully", () => {
    const r = exec("rerun_interval: infinity", "retry_interval: 60", "rerun_policy: once_successfully", "timeout: 30");
    expect(r.diagnostics.filter((d) => d.code === "DB4004")).toEqual([]);
  });

  it("checks an override's interval against the rerun policy it inherits from the root", () => {
    const r = importYaml(
      "conf:",
      "  exec:",
      "    x.sh: {data: 'true', rerun_policy: never}",
      "  overrides:",
      "    divingbell_exec:",
      "      hosts:",
      "      - name: n1",
      "        conf: {exec: {x.sh: {rerun_interval: 300}}}",
    );
    expect(expectImportDiagnostic(r, { code: "DB4004", underline: "300" }).message).toContain("BAD COMBINATION");
  });

  it("fails on perm intervals Divingbell refused", () => {
    const r = importYaml("conf:", "  perm:", "    rerun_policy: never", "    rerun_interval: 600", "    paths: [{path: /a, owner: root}]");
    expect(expectImportDiagnostic(r, { code: "DB4004", underline: "600" }).message).toContain("BAD COMBINATION");
    expectImportDiagnostic(importYaml("conf:", "  perm:", "    rerun_interval: 10"), { code: "DB4004", underline: "10" });
  });

  it("fails on a plaintext password and on an ssh key without a key type", () => {
    const r = importYaml("conf:", "  uamlite:", "    users:", "    - user_name: bob", "      user_crypt_passwd: hunter2", "      user_sshkeys: ['AAAAC3Nz bob@host']");
    expect(expectImportDiagnostic(r, { code: "DB4004", underline: "hunter2" }).message).toContain("BAD PASSWORD FOR 'bob'");
    expect(expectImportDiagnostic(r, { code: "DB4004", underline: "'AAAAC3Nz bob@host'" }).message).toContain("BAD SSH KEY FOR 'bob'");
    expect(statements(r)).toEqual(["set users user bob {}"]);
  });
});

describe("dbellc import exit status", () => {
  it("exits 1 on a value Divingbell refused, naming the key", async () => {
    const r = await cli(["import", "values.yaml"], { "values.yaml": "conf:\n  exec:\n    x.sh: {data: 'true', timeout: infinite}\n" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error[DB4004]");
    expect(r.stderr).toContain("exec.x.sh.timeout");
  });

  it("runs check on the policy it writes, and exits 1 on its errors", async () => {
    const r = await cli(["import", "values.yaml", "-o", "site.dbell"], { "values.yaml": "conf:\n  sysctl:\n    vm.nr_hugepages: lots\n    vm.swapiness: 1\n" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error[DB2103]");
    expect(r.stderr).toContain("--> site.dbell:");
    expect(r.stderr).toContain("warning[DB2104]");
    expect(r.files.get("site.dbell")).toContain("set sysctl vm.nr_hugepages = lots");
  });

  it("exits 1 on YAML that is not a Divingbell values file, writing no policy", async () => {
    const r = await cli(["import", "values.yaml"], { "values.yaml": "foo: bar\n" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error[DB4005]");
    expect(r.stdout).toBe("");
  });
});
