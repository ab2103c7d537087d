/** The emitter's objects: valid Kubernetes, shaped by each module's `pod` description and nothing else. */
import { Secret } from "kubernetes-models/v1/Secret";
import { DaemonSet } from "kubernetes-models/apps/v1/DaemonSet";
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
    pod: { hostScript: "fake_host.sh", runner: "chroot", capabilities: [], readOnlyRootFilesystem: true, ...pod },
  };
}

function emit(mod: HostModule, calls = (v: Variant) => `echo ${v.id}\n`, library = "lib() { :; }\n"): Manifest[] {
  const scriptParts = (v: Variant) => ({ head: `#!/bin/bash\n# ${v.id}\n`, library, calls: calls(v) });
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
        volumes: { name: string; hostPath?: { path: string }; projected?: { defaultMode: number; sources: { secret: { name: string } }[] } }[];
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
      expect(ms.map((m) => m.kind)).toEqual(["Secret", "Secret", "DaemonSet", "Secret", "DaemonSet"]);
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
      }
    }
  });

  it("runs as the node's root with the node's / at /mnt, the Secret at /dbell and a scratch /tmp", () => {
    const [, , ds] = emit(fake({ capabilities: ["NET_ADMIN"] }));
    const pod = obj(ds!).spec.template.spec;
    expect(pod.securityContext).toEqual({ runAsUser: 65534 });
    expect(pod.hostNetwork).toBe(true);
    expect(pod.hostPID).toBe(true);
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
    expect(pod.volumes.find((v) => v.name === "scripts")!.projected).toEqual({
      defaultMode: 0o400,
      sources: [{ secret: { name: "dbell-fake-library" } }, { secret: { name: obj(ds!).metadata.name } }],
    });
    expect(obj(ds!).metadata.namespace).toBe("node-config");
  });

  it("is privileged only when the module says why, and writes the reason above the securityContext", () => {
    const ms = emit(fake({ privileged: { reason: "nsenter needs /proc/1/ns" }, runner: "nsenter" }));
    expect(daemonSets(ms)[0]!.spec.template.spec.containers[0]!.securityContext["privileged"]).toBe(true);
    expect(manifestText(ms[2]!)).toMatch(/\n {8}# privileged: nsenter needs \/proc\/1\/ns\n {8}securityContext:\n/);
    expect(manifestText(emit(fake({}))[2]!)).not.toMatch(/privileged/);
  });

  it("leaves out the scratch /tmp when the module needs a writable root filesystem", () => {
    const pod = daemonSets(emit(fake({ readOnlyRootFilesystem: false })))[0]!.spec.template.spec;
    expect(pod.volumes.map((v) => v.name)).toEqual(["rootfs", "scripts"]);
    expect(pod.containers[0]!.volumeMounts.map((m) => m.name)).toEqual(["rootfs", "scripts"]);
  });

  it("carries the scripts as one-line base64: the shared parts once per module, the rest per variant", () => {
    const ms = emit(fake({}));
    const [library, host] = secrets(ms);
    expect(library!.metadata.name).toBe("dbell-fake-library");
    expect(Object.keys(library!.data)).toEqual(["entry.sh", "library.sh"]);
    expect(Object.keys(host!.data)).toEqual(["head.sh", "calls.sh"]);
    for (const s of secrets(ms)) for (const v of Object.values(s.data)) expect(v).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const decode = (s: Obj, k: string) => Buffer.from(s.data[k]!, "base64").toString();
    expect(decode(host!, "head.sh") + decode(library!, "library.sh") + decode(host!, "calls.sh")).toBe("#!/bin/bash\n# host:n1\nlib() { :; }\necho host:n1\n");
    expect(decode(library!, "entry.sh")).toContain("DBELL_HOST_SCRIPT='fake_host.sh'");
  });

  it("rolls the pods when any part of their script changes, and only then", () => {
    const hash = (m: Manifest[]) => daemonSets(m)[0]!.spec.template.metadata.annotations["dbell.io/scripts-sha256"];
    const base = hash(emit(fake({})));
    expect(hash(emit(fake({})))).toBe(base);
    expect(hash(emit(fake({}), () => "echo changed\n"))).not.toBe(base);
    expect(hash(emit(fake({}), undefined, "lib() { true; }\n"))).not.toBe(base);
    expect(hash(emit(fake({ loopSeconds: 30 })))).not.toBe(base);
  });

  it("gives each variant its own pod selector", () => {
    const dss = daemonSets(emit(fake({})));
    const selectors = dss.map((d) => JSON.stringify(d.spec.selector.matchLabels));
    expect(new Set(selectors).size).toBe(dss.length);
    for (const d of dss) expect(d.spec.template.metadata.labels).toEqual(d.spec.selector.matchLabels);
  });
});
