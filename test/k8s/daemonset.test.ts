/** The emitter's objects: valid Kubernetes, shaped by each module's `pod` description and nothing else. */
import { Secret } from "kubernetes-models/v1/Secret";
import { DaemonSet } from "kubernetes-models/apps/v1/DaemonSet";
import yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { moduleManifests, type Manifest } from "../../src/backends/k8s/daemonset.js";
import { manifestText } from "../../src/backends/k8s/manifests.js";
import type { HostModule, PodSpec } from "../../src/modules/module.js";
import { MODULES } from "../../src/modules/registry.js";
import type { ModuleVariants, Variant } from "../../src/lower/variants.js";
import type { MapNode } from "../../src/ir/ir.js";

const span = { file: "p.dbell", start: 0, end: 0 };
const config: MapNode = { kind: "Map", entries: new Map(), origin: span };

function variants(module: string): ModuleVariants {
  const host: Variant = { module, id: "host:n1", target: { kind: "Host", name: "n1", origin: span }, config };
  const fallback: Variant = { module, id: "default", target: { kind: "Default" }, config };
  return { module, hosts: [host], labels: [], fallback };
}

function fake(pod: Partial<PodSpec>): HostModule {
  return {
    name: "fake",
    summary: "a module for tests",
    schema: { kind: "Record", doc: "", fields: {} },
    settings: () => ({}),
    bashCalls: () => [],
    pod: { hostScript: "fake_host.sh", runner: "chroot", capabilities: [], readOnlyRootFilesystem: true, hostNetwork: false, hostPID: false, ...pod },
  };
}

// 33 bytes: a whole number of base64 groups, as scriptPrefix makes every real prefix.
const PREFIX = "#!/bin/bash\nlib() { :; }\n# -----\n";

function emit(mod: HostModule, calls = (v: Variant) => `echo ${v.id}\n`, prefix = PREFIX): Manifest[] {
  const scriptParts = (v: Variant) => ({ prefix, suffix: `# ${v.id}\n${calls(v)}` });
  return moduleManifests(mod, variants(mod.name), { scriptParts }, { image: "registry.example/dbell:1", namespace: "node-config" });
}

// The parts of the objects the assertions below read.
interface Obj {
  metadata: { name: string; namespace?: string };
  data: Record<string, string>;
  spec: {
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string>; annotations: Record<string, string> };
      spec: {
        hostNetwork?: boolean;
        hostPID?: boolean;
        hostIPC?: boolean;
        nodeSelector: Record<string, string>;
        securityContext: Record<string, unknown>;
        volumes: { name: string; hostPath?: { path: string }; secret?: { defaultMode: number; secretName: string } }[];
        containers: { name: string; command: string[]; securityContext: Record<string, unknown>; volumeMounts: { name: string; mountPath: string; mountPropagation?: string }[] }[];
      };
    };
  };
}
const obj = (m: Manifest): Obj => m.object as unknown as Obj;
const daemonSets = (ms: Manifest[]) => ms.filter((m) => m.kind === "DaemonSet").map(obj);
const secrets = (ms: Manifest[]) => ms.filter((m) => m.kind === "Secret").map(obj);

describe("DaemonSet and Secret", () => {
  it("validates against the Kubernetes schema for every registered module", () => {
    for (const mod of MODULES) {
      const ms = emit(mod);
      expect(ms.map((m) => m.kind)).toEqual(["Secret", "DaemonSet", "Secret", "DaemonSet"]);
      for (const m of ms) {
        if (m.kind === "Secret") new Secret(m.object as never).validate();
        else new DaemonSet(m.object as never).validate();
      }
      for (const ds of daemonSets(ms)) {
        const c = ds.spec.template.spec.containers[0]!;
        expect(c.name).toBe(mod.name);
        const caps = c.securityContext["capabilities"] as { add: string[] } | undefined;
        expect(caps?.add ?? []).toEqual(mod.pod.capabilities);
        expect(c.securityContext["privileged"]).toBe(mod.pod.privileged ? true : undefined);
        expect(c.securityContext["readOnlyRootFilesystem"]).toBe(mod.pod.readOnlyRootFilesystem);
        expect(ds.spec.template.spec.hostNetwork).toBe(mod.pod.hostNetwork || undefined);
        expect(ds.spec.template.spec.hostPID).toBe(mod.pod.hostPID || undefined);
        expect(ds.spec.template.spec.hostIPC).toBeUndefined();
      }
    }
  });

  it("runs as the node's root with the node's / at /mnt, its own Secret at /dbell and a scratch /tmp", () => {
    const [, ds] = emit(fake({ capabilities: ["NET_ADMIN"] }));
    const pod = obj(ds!).spec.template.spec;
    expect(pod.securityContext).toEqual({ runAsUser: 65534 });
    expect(pod.hostNetwork).toBeUndefined();
    expect(pod.hostPID).toBeUndefined();
    expect(pod.hostIPC).toBeUndefined();
    expect(pod.nodeSelector).toEqual({ "kubernetes.io/os": "linux" });
    const c = pod.containers[0]!;
    expect(c.command).toEqual(["/bin/bash", "/dbell/entry.sh"]);
    expect(c.securityContext).toEqual({ runAsUser: 0, readOnlyRootFilesystem: true, capabilities: { add: ["NET_ADMIN"] } });
    expect(c.volumeMounts).toEqual([
      { name: "pod-tmp", mountPath: "/tmp" },
      { name: "rootfs", mountPath: "/mnt", mountPropagation: "HostToContainer" },
      { name: "scripts", mountPath: "/dbell", readOnly: true },
    ]);
    expect(pod.volumes.find((v) => v.name === "rootfs")!.hostPath).toEqual({ path: "/" });
    expect(pod.volumes.find((v) => v.name === "scripts")!.secret).toEqual({ defaultMode: 0o400, secretName: obj(ds!).metadata.name });
    expect(obj(ds!).metadata.namespace).toBe("node-config");
  });

  it("shares the node's network and PID namespaces only as the module asks, each on its own", () => {
    const spec = (pod: Partial<PodSpec>) => daemonSets(emit(fake(pod)))[0]!.spec.template.spec;
    expect(spec({ hostNetwork: true })).toMatchObject({ hostNetwork: true });
    expect(spec({ hostNetwork: true }).hostPID).toBeUndefined();
    expect(spec({ hostPID: true })).toMatchObject({ hostPID: true });
    expect(spec({ hostPID: true }).hostNetwork).toBeUndefined();
    for (const pod of [{ hostNetwork: true, hostPID: true }, {}]) new DaemonSet(daemonSets(emit(fake(pod)))[0] as never).validate();
    expect(manifestText(emit(fake({ hostNetwork: true, hostPID: true }))[1]!)).not.toMatch(/hostIPC|: false/);
  });

  it("runs without AppArmor confinement only when the module says why", () => {
    const ms = emit(fake({ appArmorUnconfined: { reason: "loads profiles" } }));
    expect(daemonSets(ms)[0]!.spec.template.spec.containers[0]!.securityContext["appArmorProfile"]).toEqual({ type: "Unconfined" });
    expect(manifestText(ms[1]!)).toMatch(/\n {8}# unconfined by AppArmor: loads profiles\n {8}securityContext:\n/);
    expect(daemonSets(emit(fake({})))[0]!.spec.template.spec.containers[0]!.securityContext["appArmorProfile"]).toBeUndefined();
  });

  it("is privileged only when the module says why, and writes the reason above the securityContext", () => {
    const ms = emit(fake({ privileged: { reason: "nsenter needs /proc/1/ns" }, runner: "nsenter" }));
    expect(daemonSets(ms)[0]!.spec.template.spec.containers[0]!.securityContext["privileged"]).toBe(true);
    expect(manifestText(ms[1]!)).toMatch(/\n {8}# privileged: nsenter needs \/proc\/1\/ns\n {8}securityContext:\n/);
    expect(manifestText(emit(fake({}))[1]!)).not.toMatch(/privileged/);
  });

  it("leaves out the scratch /tmp when the module needs a writable root filesystem", () => {
    const pod = daemonSets(emit(fake({ readOnlyRootFilesystem: false })))[0]!.spec.template.spec;
    expect(pod.volumes.map((v) => v.name)).toEqual(["rootfs", "scripts"]);
    expect(pod.containers[0]!.volumeMounts.map((m) => m.name)).toEqual(["rootfs", "scripts"]);
  });

  it("carries in each variant's Secret the entry script and the whole host script, as one-line base64", () => {
    const ms = emit(fake({}));
    const [host, fallback] = secrets(ms);
    expect(ms.filter((m) => m.kind === "Secret").map((m) => m.name)).toEqual(ms.filter((m) => m.kind === "DaemonSet").map((m) => m.name));
    for (const s of [host!, fallback!]) {
      expect(Object.keys(s.data).sort()).toEqual(["entry.sh", "fake_host.sh"]);
      for (const v of Object.values(s.data)) expect(v).toMatch(/^[A-Za-z0-9+/]+=*$/);
    }
    const decode = (s: Obj, k: string) => Buffer.from(s.data[k]!, "base64").toString();
    expect(decode(host!, "fake_host.sh")).toBe(`${PREFIX}# host:n1\necho host:n1\n`);
    expect(decode(fallback!, "fake_host.sh")).toBe(`${PREFIX}# default\necho default\n`);
    expect(decode(host!, "entry.sh")).toContain("DBELL_HOST_SCRIPT='fake_host.sh'");
    expect(decode(fallback!, "entry.sh")).toBe(decode(host!, "entry.sh"));
  });

  it("writes the Secret's data as the same YAML a generic writer reads back, multi-byte text included", () => {
    const prefix = "#!/bin/bash\n# café ✓\n###";
    expect(Buffer.byteLength(prefix) % 3).toBe(0);
    const ms = emit(fake({}), (v) => `echo 'naïve ${v.id} ✓'\n`, prefix);
    const [doc] = yaml.loadAll(manifestText(ms[0]!)) as Obj[];
    expect(Buffer.from(doc!.data["fake_host.sh"]!, "base64").toString()).toBe(`${prefix}# host:n1\necho 'naïve host:n1 ✓'\n`);
  });

  it("refuses a prefix that is not a whole number of base64 groups", () => {
    expect(() => emit(fake({}), undefined, "#!/bin/bash\n#\n")).toThrow(/base64 groups/);
  });

  it("rolls the pods when any part of their script changes, and only then", () => {
    const hash = (m: Manifest[]) => daemonSets(m)[0]!.spec.template.metadata.annotations["dbell.io/scripts-sha256"];
    const base = hash(emit(fake({})));
    expect(hash(emit(fake({})))).toBe(base);
    expect(hash(emit(fake({}), () => "echo changed\n"))).not.toBe(base);
    expect(hash(emit(fake({}), undefined, "#!/bin/bash\nlib() { true; }\n# --\n"))).not.toBe(base);
    expect(hash(emit(fake({ loopSeconds: 30 })))).not.toBe(base);
    expect(hash(emit(fake({ hostScript: "other_host.sh" })))).not.toBe(base);
  });

  it("gives each variant its own pod selector", () => {
    const dss = daemonSets(emit(fake({})));
    const selectors = dss.map((d) => JSON.stringify(d.spec.selector.matchLabels));
    expect(new Set(selectors).size).toBe(dss.length);
    for (const d of dss) expect(d.spec.template.metadata.labels).toEqual(d.spec.selector.matchLabels);
  });
});
