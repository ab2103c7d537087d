/** What Divingbell did with overrides (docs/import.md) and how the policy keeps it: scope, repeats, nulls, replaced lists. */
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/compile.js";
import { expectImportDiagnostic, importYaml, statements, summary } from "./support/import-helpers.js";

const sysctlRoot = ["conf:", "  sysctl:", "    vm.swappiness: 60", "  overrides:"];

describe("import: overrides Divingbell ignored", () => {
  it("reports an unknown module, the old dash spelling and keys other than hosts/labels", () => {
    const r = importYaml(...sysctlRoot, "    divingbell_bogus:", "      hosts: []", "    divingbell-sysctl:", "      hosts: []", "    divingbell_sysctl:", "      hostz: []", "      hosts:", "      - name: h1", "        conf: {sysctl: {vm.swappiness: 1}}");
    expectImportDiagnostic(r, { code: "DB4002", underline: "divingbell_bogus" });
    const dash = expectImportDiagnostic(r, { code: "DB4002", underline: "divingbell-sysctl" });
    expect(dash.help).toContain("divingbell_sysctl");
    expect(expectImportDiagnostic(r, { code: "DB4002", underline: "hostz" }).help).toContain("hosts");
    expect(statements(r)).toEqual(["set sysctl vm.swappiness = 60", "on host h1 {", "  set sysctl vm.swappiness = 1", "}"]);
  });

  it("reports an empty override block, which ran the module on no node, and keeps the defaults everywhere", () => {
    const r = importYaml(...sysctlRoot, "    divingbell_sysctl: {}");
    expectImportDiagnostic(r, { code: "DB4002", underline: "divingbell_sysctl" });
    expect(statements(r)).toEqual(["set sysctl vm.swappiness = 60"]);
  });

  it("drops another module's conf inside an override (it only affects its own module)", () => {
    const r = importYaml(...sysctlRoot, "    divingbell_sysctl:", "      hosts:", "      - name: h1", "        conf:", "          sysctl: {vm.swappiness: 1}", "          mounts: {m: {mnt_tgt: /m, device: tmpfs, type: tmpfs}}", "          log_colors: true");
    expectImportDiagnostic(r, { code: "DB4002", underline: "mounts" });
    expectImportDiagnostic(r, { code: "DB4002", underline: "log_colors" });
    expect(statements(r).join("\n")).not.toContain("mounts");
  });

  it("keeps one of two identical label entries and the later of two entries for one selector", () => {
    const entry = (v: string) => ["      - label: {key: role, values: [db]}", `        conf: {sysctl: {vm.swappiness: ${v}}}`];
    const r = importYaml(...sysctlRoot, "    divingbell_sysctl:", "      labels:", ...entry("1"), ...entry("1"), ...entry("2"));
    expect(summary(r).map((d) => d.code)).toEqual(["DB4002", "DB4002"]);
    expect(statements(r)).toEqual(["set sysctl vm.swappiness = 60", "on label role in [db] {", "  set sysctl vm.swappiness = 2", "}"]);
  });

  it("drops a label entry with no values and one whose selector a policy cannot express", () => {
    const r = importYaml(...sysctlRoot, "    divingbell_sysctl:", "      labels:", "      - label: {key: a, values: []}", "        conf: {sysctl: {vm.a: 1}}", "      - label: {key: b, values: [x], operator: NotIn}", "        conf: {sysctl: {vm.b: 1}}");
    expectImportDiagnostic(r, { code: "DB4002", underline: "[]" });
    expectImportDiagnostic(r, { code: "DB4003", underline: "operator" });
    expect(statements(r)).toEqual(["set sysctl vm.swappiness = 60"]);
  });

  it("reports a label key with a slash, which gave Divingbell invalid object names", () => {
    const r = importYaml(...sysctlRoot, "    divingbell_sysctl:", "      labels:", "      - label: {key: node-role.kubernetes.io/compute, values: ['true']}", "        conf: {sysctl: {vm.a: 1}}");
    expectImportDiagnostic(r, { code: "DB4002", underline: "node-role.kubernetes.io/compute" });
    expect(statements(r)).toContain("on label node-role.kubernetes.io/compute in [true] {");
  });

  it("drops overrides and conf of a module that manifests turn off, and disables it", () => {
    const r = importYaml("manifests:", "  daemonset_ethtool: false", "  daemonset_uamlite: false", "conf:", "  ethtool: {ens3: {tso: off}}", "  overrides:", "    divingbell_ethtool:", "      hosts: [{name: h1, conf: {ethtool: {ens3: {tso: on}}}}]");
    expectImportDiagnostic(r, { code: "DB4002", underline: "ethtool" });
    expectImportDiagnostic(r, { code: "DB4002", underline: "divingbell_ethtool" });
    expect(statements(r)).toEqual(["disable ethtool", "disable users"]);
  });
});

describe("import: how overrides merge", () => {
  it("turns a null in an override into `unset`, and a null module conf into `unset MODULE`", () => {
    const r = importYaml("conf:", "  sysctl: {vm.a: 1, vm.b: 2}", "  exec: {x.sh: {data: 'true'}}", "  overrides:", "    divingbell_sysctl:", "      hosts: [{name: h1, conf: {sysctl: {vm.a: null}}}]", "    divingbell_exec:", "      hosts: [{name: h1, conf: {exec: null}}]");
    expectImportDiagnostic(r, { code: "DB4002", underline: "null" });
    expect(statements(r).slice(-4)).toEqual(["on host h1 {", "  unset sysctl vm.a", "  unset exec", "}"]);
  });

  it("replaces perm paths, users and apt packages whole, as Divingbell replaces lists", () => {
    const r = importYaml(
      "conf:",
      "  perm: {rerun_policy: always, paths: [{path: /a, owner: root}, {path: /b, owner: root}]}",
      "  apt: {packages: [{name: less}], upgrade: true}",
      "  uamlite: {users: [{user_name: a}]}",
      "  overrides:",
      "    divingbell_perm: {hosts: [{name: h1, conf: {perm: {paths: [{path: /a, group: adm}]}}}]}",
      "    divingbell_apt: {hosts: [{name: h1, conf: {apt: {packages: [{name: vim}]}}}]}",
      "    divingbell_uamlite: {hosts: [{name: h1, conf: {uamlite: {users: [{user_name: b, user_sudo: true}]}}}]}",
    );
    expect(statements(r).slice(statements(r).indexOf("on host h1 {"))).toEqual([
      "on host h1 {",
      "  unset perm /a",
      "  unset perm /b",
      "  set perm /a { group = adm }",
      "  unset apt package",
      "  set apt package vim {}",
      "  unset users user",
      "  set users user b { sudo = true }",
      "}",
    ]);
  });

  it("merges maps of an override field by field (mounts, exec env) and replaces exec args", () => {
    const r = importYaml("conf:", "  exec: {x.sh: {data: 'true', env: {A: '1'}, args: [a, b]}}", "  overrides:", "    divingbell_exec: {labels: [{label: {key: r, values: [v]}, conf: {exec: {x.sh: {env: {B: '2'}, args: [c]}}}}]}");
    expect(statements(r).slice(-6)).toEqual(["on label r in [v] {", "  set exec x.sh {", "    env { B = 2 }", "    args = [c]", "  }", "}"]);
  });

  it("keeps a rule without settings where it decides which settings a node gets", () => {
    const r = importYaml(...sysctlRoot, "    divingbell_sysctl:", "      hosts: [{name: h1, conf: {}}]", "      labels: [{label: {key: r, values: [v]}, conf: {sysctl: {vm.swappiness: 1}}}]");
    expect(statements(r).slice(-3)).toEqual(["on host h1 {", "  set sysctl {}", "}"]);
  });

  it("orders label rules for all modules, and reports the modules whose order cannot be kept", () => {
    const a = "{key: a, values: [x]}";
    const b = "{key: b, values: [z]}";
    const r = importYaml(
      "conf:",
      "  overrides:",
      `    divingbell_sysctl: {labels: [{label: ${a}, conf: {sysctl: {vm.a: 1}}}, {label: ${b}, conf: {sysctl: {vm.a: 2}}}]}`,
      `    divingbell_limits: {labels: [{label: ${b}, conf: {limits: {l: {value: '1'}}}}, {label: ${a}, conf: {limits: {l: {value: '2'}}}}]}`,
    );
    const d = r.diagnostics.filter((x) => x.code === "DB4002");
    expect(d).toHaveLength(1);
    expect(r.yaml.slice(d[0]!.span.start, d[0]!.span.end)).toBe(a);
    expect(d[0]!.span.start).toBeGreaterThan(r.yaml.indexOf("divingbell_limits"));
  });
});

describe("import: module details Divingbell handled its own way", () => {
  it("drops exec keys Divingbell ignored, and fails on values Divingbell refused to render", () => {
    const r = importYaml("conf:", "  exec:", "    x.sh:", "      data: 'true'", "      script_timeout: 60", "      rerun_interval: infinite", "      blocking_policy: background");
    expectImportDiagnostic(r, { code: "DB4002", underline: "script_timeout" });
    expectImportDiagnostic(r, { code: "DB4004", underline: "infinite" });
    expectImportDiagnostic(r, { code: "DB4004", underline: "background" });
    expect(statements(r)).toEqual(["set exec x.sh { script = true }"]);
  });

  it("splits a perm path at spaces as Divingbell did, and reports repeated paths", () => {
    const r = importYaml("conf:", "  perm:", "    paths:", "    - {path: /a /b, owner: root}", "    - {path: /a, owner: adm}");
    expectImportDiagnostic(r, { code: "DB4002", underline: "/a /b" });
    expectImportDiagnostic(r, { code: "DB4002", underline: "/a" });
    expect(statements(r)).toEqual(["set perm /a { owner = adm }", "set perm /b { owner = root }"]);
  });

  it("reads apt packages as a list or as groups in group order, with debconf, and drops dead keys", () => {
    const r = importYaml("conf:", "  apt:", "    packages:", "      zz: [{name: jq}]", "      aa:", "      - {name: vim, version: '2:8.1', repo: focal}", "      - name: tzdata", "        debconf: [{question: tzdata/Areas, question_type: select, answer: Etc}]");
    expectImportDiagnostic(r, { code: "DB4002", underline: "repo" });
    expect(statements(r)).toEqual(['set apt package vim = "2:8.1"', "set apt package tzdata {", "  debconf {", "    tzdata/Areas { type = select  answer = Etc }", "  }", "}", "set apt package jq {}"]);
  });

  it("leaves out a package name apt-get read as a removal or a pattern, with the check's codes", () => {
    const r = importYaml("conf:", "  apt:", "    packages:", "    - {name: openssh-server-}", "    - {name: lib.+}", "    - {name: memtest86+}", "    - {name: jq}");
    expectImportDiagnostic(r, { code: "DB2707", underline: "openssh-server-" });
    expectImportDiagnostic(r, { code: "DB2707", underline: "lib.+" });
    expectImportDiagnostic(r, { code: "DB2708", underline: "memtest86+" });
    expect(statements(r)).toEqual(["set apt package memtest86+ {}", "set apt package jq {}"]);
  });

  it("keeps ethtool's short feature names, and the policy they give passes check", () => {
    const r = importYaml("conf:", "  ethtool:", "    ens3: {tso: off, gro: true, rxvlan: off}");
    expect(r.diagnostics).toEqual([]);
    const a = analyze([{ file: "imported.dbell", text: r.dbell! }]);
    expect(a.diagnostics).toEqual([]);
    expect(statements(r).join("\n")).toMatch(/tso = off/);
  });

  it("names list-form repositories in their order and renames whitelist/blacklist", () => {
    const r = importYaml("conf:", "  apt:", "    whitelistpkgs: [a]", "    blacklistpkgs:", "    repositories:", "    - {url: 'http://x/', distributions: [d], components: [main]}");
    expect(statements(r)).toEqual(["set apt whitelist = [a]", "set apt blacklist = []", 'set apt repository repo-01 { url = "http://x/"  distributions = [d]  components = [main] }']);
  });

  it("maps `[]` ssh keys to Unmanaged and reports the variable bleed into the next user", () => {
    const r = importYaml("conf:", "  uamlite:", "    users:", "    - {user_name: a, user_sudo: true, user_sshkeys: []}", "    - {user_name: b}");
    const d = expectImportDiagnostic(r, { code: "DB4002", underline: "b" });
    expect(d.message).toContain("user_sudo");
    expect(statements(r)).toEqual(["set users user a { sudo = true  ssh_keys = [Unmanaged] }", "set users user b {}"]);
  });

  it("reports the docs' `conf.perms` spelling and chart settings a policy has no place for", () => {
    const r = importYaml("conf:", "  perms: []", "  chroot_mnt_path: /host", "pod:", "  security_context: {divingbell: {pod: {runAsUser: 0}}}");
    expectImportDiagnostic(r, { code: "DB4002", underline: "perms" });
    expectImportDiagnostic(r, { code: "DB4002", underline: "chroot_mnt_path" });
    expectImportDiagnostic(r, { code: "DB4002", underline: "security_context" });
  });

  it("carries the chart's image, node selectors, update strategy and resource requests over as `set deploy`", () => {
    const r = importYaml(
      "conf:",
      "  sysctl: {vm.swappiness: '10'}",
      "images:",
      "  divingbell: my/image:1",
      "labels:",
      "  uamlite: {node_selector_key: node-role.kubernetes.io/worker, node_selector_value: 'true'}",
      "  sysctl: {node_selector_key: kubernetes.io/os, node_selector_value: linux}",
      "pod:",
      "  lifecycle: {upgrades: {daemonsets: {apt: {max_unavailable: 1}, sysctl: {max_unavailable: 100%}, perm: {max_unavailable: lots}}}}",
      "  resources: {enabled: true, mounts: {requests: {cpu: 100m, memory: 128Mi}}}",
    );
    expect(r.dbell).toContain('set deploy all image = "my/image:1"\n');
    expect(r.dbell).toContain('set deploy users node_selector { node-role.kubernetes.io/worker = "true" }\n');
    expect(r.dbell).not.toContain("set deploy sysctl");
    expect(r.dbell).toContain('set deploy apt max_unavailable = "1"\n');
    expect(r.dbell).toContain('set deploy mounts cpu_request = "100m"\nset deploy mounts memory_request = "128Mi"\n');
    expectImportDiagnostic(r, { code: "DB4002", underline: "lots" });
    const a = analyze([{ file: "imported.dbell", text: r.dbell! }]);
    expect(a.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(a.policy.deploy.get("users")!.nodeSelector).toEqual([["node-role.kubernetes.io/worker", "true"]]);
    expect(a.policy.deploy.get("apt")!.maxUnavailable).toBe("1");
  });
});
