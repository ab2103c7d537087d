/** YAML 1.1 typing and the values Divingbell read or printed differently from how they are written (docs/import.md, How the YAML is read). */
import { describe, expect, it } from "vitest";
import { expectImportDiagnostic, importYaml, statements, summary } from "./support/import-helpers.js";

describe("import: YAML 1.1 typing", () => {
  it("keeps an unquoted octal mode as written and reports Divingbell's `chmod 416`", () => {
    const r = importYaml("conf:", "  perm:", "    paths:", "    - path: /etc/shadow", "      owner: root", "      group: shadow", "      permissions: 0640");
    const d = expectImportDiagnostic(r, { code: "DB4002", underline: "0640" });
    expect(d.message).toContain("416");
    expect(statements(r)).toContain("set perm /etc/shadow { owner = root  group = shadow  mode = 0640 }");
  });

  it("keeps 1000000 as written and reports Divingbell's `1e+06`", () => {
    const r = importYaml("conf:", "  sysctl:", "    fs.file-max: 1000000", "    vm.swappiness: 10", "    kernel.x: 0.5");
    const d = expectImportDiagnostic(r, { code: "DB4002", underline: "1000000" });
    expect(d.message).toContain("1e+06");
    expect(summary(r)).toHaveLength(1);
    expect(statements(r)).toEqual(["set sysctl fs.file-max = 1000000", "set sysctl vm.swappiness = 10", "set sysctl kernel.x = 0.5"]);
  });

  it("reports quoted-looking values that YAML read as something else, and not quoted ones", () => {
    const r = importYaml("conf:", "  sysctl:", "    a.b: yes", "    a.c: 'yes'", "    a.d: 1.10", "    a.e: 0x1F", "    a.f: ~");
    expectImportDiagnostic(r, { code: "DB4002", underline: "yes" });
    expectImportDiagnostic(r, { code: "DB4002", underline: "1.10" });
    expectImportDiagnostic(r, { code: "DB4002", underline: "0x1F" });
    expectImportDiagnostic(r, { code: "DB4002", underline: "~" });
    expect(summary(r).filter((d) => d.underline === "'yes'")).toEqual([]);
    expect(statements(r)).toEqual(["set sysctl a.b = yes", "set sysctl a.c = yes", "set sysctl a.d = 1.10", "set sysctl a.e = 0x1F"]);
  });

  it("turns ethtool's YAML booleans into on/off and rejects other values", () => {
    const r = importYaml("conf:", "  ethtool:", "    ens3:", "      tso: on", "      gro: False", "      lro: 'off'", "      gso: 'true'", "      rx: bogus");
    expect(statements(r)).toEqual(["set ethtool ens3 { tso = on  gro = off  lro = off }"]);
    expectImportDiagnostic(r, { code: "DB4003", underline: "'true'" });
    expectImportDiagnostic(r, { code: "DB4003", underline: "bogus" });
  });

  it("takes complain_mode by Go truthiness: the string \"false\" is true", () => {
    const r = importYaml("conf:", "  apparmor:", '    complain_mode: "false"');
    expectImportDiagnostic(r, { code: "DB4002", underline: '"false"' });
    expect(statements(r)).toEqual(["set apparmor complain_mode = true"]);
    const plain = importYaml("conf:", "  apparmor:", "    complain_mode: no");
    expect(plain.diagnostics).toEqual([]);
    expect(statements(plain)).toEqual(["set apparmor complain_mode = false"]);
  });

  it("grants sudo only for Divingbell's exact `true`", () => {
    const r = importYaml("conf:", "  uamlite:", "    users:", "    - user_name: a", "      user_sudo: yes", "    - user_name: b", '      user_sudo: "yes"');
    expectImportDiagnostic(r, { code: "DB4002", underline: '"yes"' });
    expect(statements(r)).toEqual(["set users user a { sudo = true }", "set users user b { sudo = false }"]);
  });

  it("reports label values Divingbell wrote as booleans, which Kubernetes rejects", () => {
    const r = importYaml("conf:", "  overrides:", "    divingbell_sysctl:", "      labels:", "      - label: {key: ssd, values: [y]}", "        conf: {sysctl: {vm.swappiness: 1}}");
    expectImportDiagnostic(r, { code: "DB4002", underline: "y" });
    expect(statements(r)[0]).toBe("on label ssd in [y] {");
  });

  it("reports a key that YAML typed, keeping it as written", () => {
    const r = importYaml("conf:", "  exec:", "    010:", "      data: |", "        #!/bin/sh", "        true");
    const d = expectImportDiagnostic(r, { code: "DB4002", underline: "010" });
    expect(d.message).toContain("`8`");
    expect(statements(r)[0]).toBe("set exec 010 {");
  });

  it("follows YAML merge keys and aliases", () => {
    const r = importYaml("base: &base", "  domain: '*'", "  type: soft", "conf:", "  limits:", "    nofile:", "      <<: *base", "      item: nofile", "      value: 10", "      type: hard");
    expect(statements(r)).toEqual(['set limits nofile { domain = "*"  item = nofile  value = 10  type = hard }']);
  });
});

describe("import: values that are not YAML or not Divingbell's shape", () => {
  it("reports text that is not YAML, and writes no policy", () => {
    const r = importYaml("conf:", "  sysctl: [unclosed");
    expect(r.dbell).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual(["DB4001"]);
  });

  it("reports a repeated key at its second place", () => {
    const r = importYaml("conf:", "  sysctl:", "    a.b: 1", "    a.b: 2");
    expect(summary(r)).toEqual([{ code: "DB4001", underline: "a.b" }]);
    expect(r.diagnostics[0]!.span.start).toBe(r.yaml.lastIndexOf("a.b"));
  });

  it("reports a file that is a list, and refuses an empty file or one without `conf` (DB4005)", () => {
    expect(importYaml("- a").diagnostics.map((d) => d.code)).toEqual(["DB4001"]);
    const empty = importYaml("# nothing here");
    expect(empty.diagnostics.map((d) => d.code)).toEqual(["DB4005"]);
    expect(empty.dbell).toBeUndefined();
    const other = importYaml("foo: bar");
    expectImportDiagnostic(other, { code: "DB4005", underline: "foo" });
    expect(other.dbell).toBeUndefined();
    expect(importYaml("conf: {}").dbell).toBeDefined();
  });

  it("reports values of the wrong type at their place (DB4003)", () => {
    const r = importYaml("conf:", "  sysctl: [a, b]", "  mounts:", "    m: just-text", "  perm:", "    paths:", "    - path: etc/shadow", "      owner: root");
    expectImportDiagnostic(r, { code: "DB4003", underline: "[a, b]" });
    expectImportDiagnostic(r, { code: "DB4003", underline: "just-text" });
    expectImportDiagnostic(r, { code: "DB4003", underline: "etc/shadow" });
  });
});
