/** `set deploy`: deployment settings in the policy, their defaults, per-module overrides, and their diagnostics. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeText, expectClean, expectDiagnostic } from "../support/diagnostics.js";

const deploy = (text: string, module = "sysctl") => expectClean(text).policy.deploy.get(module)!;

describe("set deploy", () => {
  it("gives every module the fleet defaults when the policy says nothing", () => {
    const d = deploy("set sysctl vm.swappiness = 1\n");
    expect(d).toEqual({
      namespace: undefined,
      image: "docker.io/library/ubuntu:24.04",
      policy: "test",
      maxUnavailable: "10%",
      priorityClassName: "system-node-critical",
      tolerateAllTaints: true,
      cpuRequest: "10m",
      memoryRequest: "32Mi",
      labels: [],
      annotations: [],
      imagePullSecrets: [],
      nodeSelector: [["kubernetes.io/os", "linux"]],
    });
  });

  it("takes `all` for every module and a module's own fields over it, merging maps key by key", () => {
    const text = `set deploy all {
  namespace = node-config
  max_unavailable = "25%"
  labels { team = platform  tier = infra }
  image_pull_secrets = [regcred]
}
set deploy apt { max_unavailable = 1  labels { tier = packages } }
set deploy sysctl max_unavailable = "50%"
`;
    const a = expectClean(text);
    expect(a.policy.deploy.get("limits")).toMatchObject({ namespace: "node-config", maxUnavailable: "25%", labels: [["team", "platform"], ["tier", "infra"]], imagePullSecrets: ["regcred"] });
    expect(a.policy.deploy.get("apt")).toMatchObject({ namespace: "node-config", maxUnavailable: "1", labels: [["team", "platform"], ["tier", "packages"]] });
    expect(a.policy.deploy.get("sysctl")!.maxUnavailable).toBe("50%");
  });

  it("replaces the default node selector, and turns off tolerations and the priority class on request", () => {
    const d = deploy('set deploy all { node_selector { pool = metal }  tolerate_all_taints = false  priority_class = "" }\n');
    expect(d).toMatchObject({ nodeSelector: [["pool", "metal"]], tolerateAllTaints: false, priorityClassName: "" });
  });

  it("names the policy after its first file unless `policy` is set", () => {
    expect(analyzeText("", "fleets/site-a.dbell").policy.deploy.get("sysctl")!.policy).toBe("site-a");
    expect(deploy('set deploy all { policy = "edge.v2" }\n').policy).toBe("edge.v2");
  });

  it("refuses deployment settings inside an `on` target (DB2015)", () => {
    expectDiagnostic("on host n1 set deploy all { namespace = x }\n", { code: "DB2015", underline: "deploy" });
    expectDiagnostic("on label a in [b] {\n  unset deploy all\n}\n", { code: "DB2015", underline: "deploy" });
  });

  it("reports an unknown module with a suggestion, and unknown fields and bad values at their place", () => {
    const d = expectDiagnostic("set deploy sysctll { namespace = x }\n", { code: "DB2001", underline: "sysctll" });
    expect(d.help).toContain("sysctl");
    expectDiagnostic("set deploy all { max_unavailble = 1 }\n", { code: "DB2002", underline: "max_unavailble" });
    expectDiagnostic('set deploy all { max_unavailable = "0" }\n', { code: "DB2008", underline: '"0"' });
    expectDiagnostic('set deploy all { max_unavailable = "150%" }\n', { code: "DB2008", underline: '"150%"' });
    expectDiagnostic("set deploy all { namespace = Node_Config }\n", { code: "DB2008", underline: "Node_Config" });
    expectDiagnostic('set deploy all { cpu_request = "lots" }\n', { code: "DB2008", underline: '"lots"' });
    expectDiagnostic('set deploy all { labels { "bad key!" = x } }\n', { code: "DB2014", underline: '"bad key!"' });
    expectDiagnostic("set deploy all { tolerate_all_taints = maybe }\n", { code: "DB2007", underline: "maybe" });
  });

  it("accepts the example of docs/language.md", () => {
    const doc = readFileSync(join(import.meta.dirname, "../../docs/language.md"), "utf8");
    const example = doc.slice(doc.indexOf("### Deployment settings")).match(/```dbell\n([\s\S]*?)```/)![1]!;
    expectClean(example);
  });
});
