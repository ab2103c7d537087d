/**
 * Kubernetes' size limits: a configuration whose node affinity would outgrow one object is split over several
 * DaemonSets sharing its settings (every node still matches exactly one), and an object that cannot fit is DB5001.
 */
import { describe, expect, it } from "vitest";
import { moduleManifests, type Manifest } from "../../src/backends/k8s/daemonset.js";
import { checkSizes } from "../../src/backends/k8s/limits.js";
import { resolveDeploy } from "../../src/lower/deploy.js";
import { emptyMap } from "../../src/ir/tree.js";
import type { HostModule } from "../../src/modules/module.js";
import type { ModuleVariants, Variant } from "../../src/ir/variant.js";
import type { MapNode, Policy } from "../../src/ir/ir.js";
import { podSchedulesOn } from "./node-affinity.js";

const span = { file: "p.dbell", start: 0, end: 0 };
const config: MapNode = { kind: "Map", entries: new Map(), origin: span };
const mod: HostModule = {
  name: "fake",
  summary: "",
  schema: { kind: "Record", doc: "", fields: {} },
  settings: () => ({}),
  bashCalls: () => [],
  about: { band: "DB89", codes: {}, shellFiles: [], docs: "", checkSample: "", benchSample: () => "" },
  pod: { hostScript: "fake_host.sh", runner: "chroot", capabilities: [], readOnlyRootFilesystem: true, hostNetwork: false, hostPID: false, settingsIn: "ConfigMap" },
};
const deploy = resolveDeploy(emptyMap(span), ["fake"], "p.dbell").get("fake")!;
const policy = { defaults: new Map() } as unknown as Policy;

function variants(hosts: number, labels: number): ModuleVariants {
  const h = Array.from({ length: hosts }, (_, i): Variant => {
    const name = `rack-${String(Math.floor(i / 40)).padStart(4, "0")}-node-${String(i).padStart(6, "0")}.dc1.example.com`;
    return { module: "fake", id: `host:${name}`, target: { kind: "Host", name, origin: span }, config };
  });
  const l = Array.from({ length: labels }, (_, i): Variant => ({ module: "fake", id: `label:role=r${i}`, target: { kind: "Label", key: "role", values: [`r${i}`], origin: span }, config }));
  return { module: "fake", hosts: h, labels: l, fallback: { module: "fake", id: "default", target: { kind: "Default" }, config } };
}

/** Hosts get their own settings, label rules and the defaults share one configuration. */
function emit(mv: ModuleVariants, settings = (v: Variant) => (v.target.kind === "Host" ? `host ${v.id}\n` : "shared\n")): Manifest[] {
  return moduleManifests(mod, mv, deploy, { scriptParts: (v) => ({ program: "#!/bin/bash\n", settings: settings(v) }) }, { secretKey: "k" });
}

type Spec = Parameters<typeof podSchedulesOn>[0];
const specOf = (m: Manifest) => (m.object as unknown as { spec: { template: { spec: Spec & { volumes: { name: string; configMap?: { name: string } }[] } } } }).spec.template.spec;

describe("size limits", () => {
  it("splits a configuration whose affinity outgrows one object over DaemonSets that share its settings", () => {
    const mv = variants(8000, 12);
    const ms = emit(mv);
    expect(checkSizes(ms, policy)).toEqual([]);
    const shared = ms.filter((m) => m.kind === "DaemonSet" && m.variants.some((v) => v.target.kind !== "Host"));
    expect(shared.length).toBeGreaterThan(1);
    expect(shared[0]!.name).toBe("dbell-fake-default");
    const settings = new Set(shared.map((d) => specOf(d).volumes.find((v) => v.name === "settings")!.configMap!.name));
    expect(settings.size).toBe(1);
    expect(new Set(ms.map((m) => m.name)).size).toBe(ms.length);
    // Still exactly one DaemonSet per node.
    const daemonSets = ms.filter((m) => m.kind === "DaemonSet");
    const host = mv.hosts[123]!.target as { name: string };
    for (const labels of [{ role: "r3" }, { role: "r11" }, { role: "other" }, {}]) {
      for (const hostname of [host.name, "not-a-host-rule"]) {
        const node = { labels: new Map([...Object.entries(labels), ["kubernetes.io/hostname", hostname], ["kubernetes.io/os", "linux"]]) };
        expect(daemonSets.filter((d) => podSchedulesOn(specOf(d), node)), `${hostname} ${JSON.stringify(labels)}`).toHaveLength(1);
      }
    }
  });

  it("reports DB5001 when one variant's own affinity is over the object limit", () => {
    const ms = emit(variants(40000, 0));
    const ds = checkSizes(ms, policy);
    expect(ds.map((d) => d.code)).toEqual(["DB5001"]);
    expect(ds[0]!.message).toMatch(/^DaemonSet `dbell-fake-default` of module `fake` \(rules `default`\) would be 1\.\d\d MiB, over Kubernetes' limit of 1\.5 MiB per object$/);
  });

  it("reports DB5001 for a settings object over 1 MiB of data, at its rule", () => {
    const mv = variants(1, 0);
    const ms = emit(mv, (v) => (v.target.kind === "Host" ? "x".repeat(1024 * 1024) : "small\n"));
    const ds = checkSizes(ms, policy);
    expect(ds).toHaveLength(1);
    expect(ds[0]!.message).toContain("ConfigMap `dbell-fake-host-rack-0000-node-000000-dc1-example-com-");
    expect(ds[0]!.message).toContain("over Kubernetes' limit of 1 MiB of data per ConfigMap or Secret");
    expect(ds[0]!.span).toEqual(config.origin);
  });
});
