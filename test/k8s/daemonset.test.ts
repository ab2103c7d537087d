/**
 * The emitter's objects: valid Kubernetes, shaped by each module's `pod` description and its deployment settings,
 * with the program once per module and one settings object and DaemonSet per distinct configuration.
 */
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Secret } from "kubernetes-models/v1/Secret";
import { DaemonSet } from "kubernetes-models/apps/v1/DaemonSet";
import yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { moduleManifests, type Manifest } from "../../src/backends/k8s/daemonset.js";
import { manifestText } from "../../src/backends/k8s/manifests.js";
import { hardening } from "../../src/backends/k8s/pod.js";
import type { HostModule, PodSpec } from "../../src/modules/module.js";
import { MODULES } from "../../src/modules/registry.js";
import type { ModuleVariants, Variant } from "../../src/ir/variant.js";
import type { DeploySettings, MapNode } from "../../src/ir/ir.js";
import { resolveDeploy } from "../../src/lower/deploy.js";
import { emptyMap } from "../../src/ir/tree.js";

const span = { file: "p.dbell", start: 0, end: 0 };
const config: MapNode = { kind: "Map", entries: new Map(), origin: span };

function variants(module: string, hosts = ["n1"]): ModuleVariants {
  const hs = hosts.map((h): Variant => ({ module, id: `host:${h}`, target: { kind: "Host", name: h, origin: span }, config }));
  const fallback: Variant = { module, id: "default", target: { kind: "Default" }, config };
  return { module, hosts: hs, labels: [], fallback };
}

function fake(pod: Partial<PodSpec>): HostModule {
  return {
    name: "fake",
    summary: "a module for tests",
    schema: { kind: "Record", doc: "", fields: {} },
    settings: () => ({}),
    bashCalls: () => [],
    about: { band: "DB89", codes: {}, shellFiles: [], docs: "", checkSample: "", benchSample: () => "" },
    pod: { hostScript: "fake_host.sh", runner: "chroot", capabilities: [], readOnlyRootFilesystem: true, hostNetwork: false, hostPID: false, settingsIn: "ConfigMap", ...pod },
  };
}

const PROGRAM = "#!/bin/bash\nlib() { :; }\n";
const DEPLOY: DeploySettings = { ...resolveDeploy(emptyMap(span), ["fake"], "p.dbell").get("fake")!, namespace: "node-config", image: "registry.example/dbell:1" };

function emit(mod: HostModule, calls = (v: Variant) => `echo ${v.id}\n`, opts: { hosts?: string[]; deploy?: Partial<DeploySettings>; key?: string } = {}): Manifest[] {
  const scriptParts = (v: Variant) => ({ program: PROGRAM, settings: calls(v) });
  return moduleManifests(mod, variants(mod.name, opts.hosts), { ...DEPLOY, ...opts.deploy }, { scriptParts }, { secretKey: opts.key ?? "k".repeat(32) });
}

// The parts of the objects the assertions below read.
interface Obj {
  metadata: { name: string; namespace?: string; labels: Record<string, string> };
  data: Record<string, string>;
  spec: {
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
      spec: {
        affinity?: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: { matchExpressions: { key: string; operator: string; values: string[] }[] }[] } } };
        automountServiceAccountToken?: boolean;
        hostNetwork?: boolean;
        hostPID?: boolean;
        hostIPC?: boolean;
        nodeSelector: Record<string, string>;
        priorityClassName?: string;
        tolerations?: unknown[];
        securityContext: Record<string, unknown>;
        volumes: { name: string; hostPath?: { path: string }; secret?: { defaultMode: number; secretName: string }; configMap?: { defaultMode: number; name: string } }[];
        containers: {
          name: string;
          command: string[];
          readinessProbe: unknown;
          resources: unknown;
          securityContext: Record<string, unknown>;
          volumeMounts: { name: string; mountPath: string; mountPropagation?: string }[];
        }[];
      };
    };
    updateStrategy: unknown;
  };
}
const obj = (m: Manifest): Obj => m.object as unknown as Obj;
const daemonSets = (ms: Manifest[]) => ms.filter((m) => m.kind === "DaemonSet").map(obj);

function validate(m: Manifest): void {
  if (m.kind === "ConfigMap") new ConfigMap(m.object as never).validate();
  else if (m.kind === "Secret") new Secret(m.object as never).validate();
  else new DaemonSet(m.object as never).validate();
}

describe("program, settings and DaemonSets", () => {
  it("validate against the Kubernetes schema for every registered module, with its hardening", () => {
    for (const mod of MODULES) {
      const ms = emit(mod);
      const settingsKind = mod.pod.settingsIn;
      expect(ms.map((m) => m.kind)).toEqual(["ConfigMap", settingsKind, "DaemonSet", settingsKind, "DaemonSet"]);
      for (const m of ms) validate(m);
      const h = hardening(mod);
      for (const ds of daemonSets(ms)) {
        const c = ds.spec.template.spec.containers[0]!;
        expect(c.name).toBe(mod.name);
        const caps = c.securityContext["capabilities"] as { add?: string[]; drop: string[] } | undefined;
        if (mod.pod.privileged) expect(caps).toBeUndefined();
        else {
          expect(caps!.drop).toEqual(["ALL"]);
          expect(caps!.add).toEqual(h.capabilities);
          // Everything the module lists, and what its runner needs.
          for (const cap of mod.pod.capabilities) expect(caps!.add).toContain(cap);
          if (mod.pod.runner === "chroot") expect(caps!.add).toContain("SYS_CHROOT");
          expect(c.securityContext["seccompProfile"]).toEqual({ type: "RuntimeDefault" });
        }
        // Kubernetes refuses allowPrivilegeEscalation: false beside privileged or SYS_ADMIN.
        expect(c.securityContext["allowPrivilegeEscalation"]).toBe(h.noNewPrivileges ? false : undefined);
        if (h.noNewPrivileges) expect(mod.pod.privileged || caps?.add?.includes("SYS_ADMIN")).toBeFalsy();
        expect(c.securityContext["privileged"]).toBe(mod.pod.privileged ? true : undefined);
        expect(c.securityContext["readOnlyRootFilesystem"]).toBe(mod.pod.readOnlyRootFilesystem);
        expect(ds.spec.template.spec.hostNetwork).toBe(mod.pod.hostNetwork || undefined);
        expect(ds.spec.template.spec.hostPID).toBe(mod.pod.hostPID || undefined);
        expect(ds.spec.template.spec.hostIPC).toBeUndefined();
      }
    }
  });

  it("runs as the node's root with the node's / at /mnt, the program and settings under /dbell and a scratch /tmp", () => {
    const ms = emit(fake({ capabilities: ["NET_ADMIN"] }));
    const ds = obj(ms[2]!);
    const pod = ds.spec.template.spec;
    expect(pod.securityContext).toEqual({ runAsUser: 65534 });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.priorityClassName).toBe("system-node-critical");
    expect(pod.tolerations).toEqual([{ operator: "Exists" }]);
    expect(pod.nodeSelector).toEqual({ "kubernetes.io/os": "linux" });
    const c = pod.containers[0]!;
    expect(c.command).toEqual(["/bin/bash", "/dbell/program/entry.sh"]);
    expect(c.readinessProbe).toEqual({ exec: { command: ["test", "-e", "/tmp/dbell-ready"] }, periodSeconds: 5 });
    expect(c.resources).toEqual({ requests: { cpu: "10m", memory: "32Mi" } });
    expect(c.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { add: ["NET_ADMIN", "SYS_CHROOT"], drop: ["ALL"] },
      readOnlyRootFilesystem: true,
      runAsUser: 0,
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(c.volumeMounts).toEqual([
      { name: "pod-tmp", mountPath: "/tmp" },
      { name: "program", mountPath: "/dbell/program", readOnly: true },
      { name: "rootfs", mountPath: "/mnt", mountPropagation: "HostToContainer" },
      { name: "settings", mountPath: "/dbell/settings", readOnly: true },
    ]);
    expect(pod.volumes.find((v) => v.name === "rootfs")!.hostPath).toEqual({ path: "/" });
    expect(pod.volumes.find((v) => v.name === "program")!.configMap).toEqual({ defaultMode: 0o400, name: ms[0]!.name });
    expect(pod.volumes.find((v) => v.name === "settings")!.configMap).toEqual({ defaultMode: 0o400, name: ms[1]!.name });
    expect(ds.spec.updateStrategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: "10%" } });
    for (const m of ms) {
      expect(obj(m).metadata.namespace).toBe("node-config");
      expect(obj(m).metadata.labels).toEqual({
        "app.kubernetes.io/component": "fake",
        "app.kubernetes.io/managed-by": "dbellc",
        "app.kubernetes.io/name": "dbell",
        "dbell.io/policy": "p",
      });
    }
  });

  it("takes the deployment settings: max_unavailable, taints, priority, requests, labels, annotations, pull secrets", () => {
    const ms = emit(fake({}), undefined, {
      deploy: {
        maxUnavailable: "1",
        tolerateAllTaints: false,
        priorityClassName: "",
        cpuRequest: "1",
        memoryRequest: "1Gi",
        labels: [["team", "infra"]],
        annotations: [["owner", "ops"]],
        imagePullSecrets: ["regcred"],
        nodeSelector: [["pool", "metal"]],
      },
    });
    for (const m of ms) validate(m);
    const ds = obj(ms[2]!);
    const pod = ds.spec.template.spec as Obj["spec"]["template"]["spec"] & { imagePullSecrets: unknown };
    expect(ds.spec.updateStrategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } });
    expect(pod.tolerations).toBeUndefined();
    expect(pod.priorityClassName).toBeUndefined();
    expect(pod.containers[0]!.resources).toEqual({ requests: { cpu: "1", memory: "1Gi" } });
    expect(pod.imagePullSecrets).toEqual([{ name: "regcred" }]);
    expect(pod.nodeSelector).toEqual({ pool: "metal" });
    for (const m of ms) {
      expect(obj(m).metadata.labels["team"]).toBe("infra");
      expect((obj(m).metadata as { annotations?: unknown }).annotations).toEqual({ owner: "ops" });
    }
  });

  it("shares the node's network and PID namespaces only as the module asks, each on its own", () => {
    const spec = (pod: Partial<PodSpec>) => daemonSets(emit(fake(pod)))[0]!.spec.template.spec;
    expect(spec({ hostNetwork: true })).toMatchObject({ hostNetwork: true });
    expect(spec({ hostNetwork: true }).hostPID).toBeUndefined();
    expect(spec({ hostPID: true })).toMatchObject({ hostPID: true });
    expect(spec({ hostPID: true }).hostNetwork).toBeUndefined();
    expect(manifestText(emit(fake({ hostNetwork: true, hostPID: true }))[2]!)).not.toMatch(/hostIPC|(hostNetwork|hostPID): false/);
  });

  it("runs without AppArmor confinement only when the module says why", () => {
    const ms = emit(fake({ appArmorUnconfined: { reason: "loads profiles" } }));
    expect(daemonSets(ms)[0]!.spec.template.spec.containers[0]!.securityContext["appArmorProfile"]).toEqual({ type: "Unconfined" });
    expect(manifestText(ms[2]!)).toMatch(/\n {8}# unconfined by AppArmor: loads profiles\n {8}securityContext:\n/);
    expect(daemonSets(emit(fake({})))[0]!.spec.template.spec.containers[0]!.securityContext["appArmorProfile"]).toBeUndefined();
  });

  it("is privileged only when the module says why, and writes the reason above the securityContext", () => {
    const ms = emit(fake({ privileged: { reason: "nsenter needs /proc/1/ns" }, runner: "nsenter" }));
    expect(daemonSets(ms)[0]!.spec.template.spec.containers[0]!.securityContext["privileged"]).toBe(true);
    expect(manifestText(ms[2]!)).toMatch(/\n {8}# privileged: nsenter needs \/proc\/1\/ns\n {8}securityContext:\n/);
    expect(manifestText(emit(fake({}))[2]!)).not.toMatch(/privileged/);
  });

  it("leaves out the scratch /tmp when the module needs a writable root filesystem", () => {
    const pod = daemonSets(emit(fake({ readOnlyRootFilesystem: false })))[0]!.spec.template.spec;
    expect(pod.volumes.map((v) => v.name)).toEqual(["rootfs", "program", "settings"]);
    expect(pod.containers[0]!.volumeMounts.map((m) => m.name)).toEqual(["program", "rootfs", "settings"]);
  });

  it("carries the entry script and program once, as plain text, and each configuration's settings", () => {
    const ms = emit(fake({}));
    const program = obj(ms[0]!);
    expect(Object.keys(program.data).sort()).toEqual(["entry.sh", "fake_host.sh"]);
    expect(program.data["fake_host.sh"]).toBe(PROGRAM);
    expect(program.data["entry.sh"]).toContain("DBELL_HOST_SCRIPT='fake_host.sh'");
    expect(obj(ms[1]!).data).toEqual({ "settings.sh": "echo default\n" });
    expect(obj(ms[3]!).data).toEqual({ "settings.sh": "echo host:n1\n" });
    // Plain text in the YAML: literal block scalars, no base64.
    expect(manifestText(ms[1]!)).toContain("data:\n  settings.sh: |\n    echo default\n");
  });

  it("puts the settings of a module that can hold credentials in a Secret, base64 as Secrets are", () => {
    const ms = emit(fake({ settingsIn: "Secret" }), (v) => `user_want '${v.id}' '$6$salt$hash'\n`);
    expect(ms.map((m) => m.kind)).toEqual(["ConfigMap", "Secret", "DaemonSet", "Secret", "DaemonSet"]);
    const s = obj(ms[1]!);
    expect(Buffer.from(s.data["settings.sh"]!, "base64").toString()).toBe("user_want 'default' '$6$salt$hash'\n");
    expect(daemonSets(ms)[0]!.spec.template.spec.volumes.find((v) => v.name === "settings")!.secret).toEqual({ defaultMode: 0o400, secretName: ms[1]!.name });
    expect(manifestText(ms[0]!)).not.toContain("$6$salt$hash");
  });

  it("keys the hash in a Secret's name, so the name does not let anyone test a guess of its content", () => {
    const secretName = (key: string, text: string) => emit(fake({ settingsIn: "Secret" }), () => text, { hosts: [], key })[1]!.name;
    const a = secretName("k".repeat(32), "answer=hunter2\n");
    expect(secretName("k".repeat(32), "answer=hunter2\n")).toBe(a);
    expect(secretName("k".repeat(32), "answer=hunter3\n")).not.toBe(a);
    expect(secretName("x".repeat(32), "answer=hunter2\n")).not.toBe(a);
    // ConfigMaps (public anyway) are not keyed.
    const configName = (key: string) => emit(fake({}), () => "x\n", { hosts: [], key })[1]!.name;
    expect(configName("a".repeat(32))).toBe(configName("b".repeat(32)));
  });

  it("gives variants with the same settings one settings object and one DaemonSet, with hosts in one term", () => {
    const ms = emit(fake({}), (v) => (v.id === "default" ? "echo default\n" : "echo same\n"), { hosts: ["n2", "n1", "n3"] });
    expect(ms.map((m) => m.kind)).toEqual(["ConfigMap", "ConfigMap", "DaemonSet", "ConfigMap", "DaemonSet"]);
    const shared = obj(ms[4]!);
    expect(ms[4]!.variants.map((v) => v.id)).toEqual(["host:n2", "host:n1", "host:n3"]);
    // Named after the first of its rules in source order.
    expect(ms[4]!.name).toMatch(/^dbell-fake-host-n2-[0-9a-f]{8}$/);
    expect(shared.spec.template.spec.affinity!.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: ["n1", "n2", "n3"] }] },
    ]);
    // The defaults and the hosts share one DaemonSet when their settings agree: the union of their terms.
    const one = emit(fake({}), () => "echo same\n", { hosts: ["n1"] });
    expect(one.map((m) => m.kind)).toEqual(["ConfigMap", "ConfigMap", "DaemonSet"]);
    expect(obj(one[2]!).spec.template.spec.affinity!.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: "kubernetes.io/hostname", operator: "NotIn", values: ["n1"] }] },
      { matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: ["n1"] }] },
    ]);
  });

  it("keeps a DaemonSet's name when its values change, and renames the settings object so the pods roll", () => {
    const before = emit(fake({}), (v) => `echo ${v.id} 1\n`);
    const after = emit(fake({}), (v) => `echo ${v.id} ${v.id === "host:n1" ? 2 : 1}\n`);
    expect(after.filter((m) => m.kind === "DaemonSet").map((m) => m.name)).toEqual(before.filter((m) => m.kind === "DaemonSet").map((m) => m.name));
    expect(after[3]!.name).not.toBe(before[3]!.name);
    expect(after[1]!.name).toBe(before[1]!.name);
    expect(after[0]!.name).toBe(before[0]!.name);
    const volumes = (ms: Manifest[]) => JSON.stringify(obj(ms[4]!).spec.template.spec.volumes);
    expect(volumes(after)).not.toBe(volumes(before));
    expect(JSON.stringify(obj(after[2]!))).toBe(JSON.stringify(obj(before[2]!)));
  });

  it("renames the program when the entry script or the program changes, which rolls every DaemonSet of the module", () => {
    const base = emit(fake({}))[0]!.name;
    expect(emit(fake({}))[0]!.name).toBe(base);
    expect(base).toMatch(/^dbell-fake-program-[0-9a-f]{10}$/);
    expect(emit(fake({ loopSeconds: 30 }))[0]!.name).not.toBe(base);
    expect(emit(fake({ hostScript: "other_host.sh" }))[0]!.name).not.toBe(base);
  });

  it("gives each DaemonSet its own pod selector", () => {
    const dss = daemonSets(emit(fake({})));
    const selectors = dss.map((d) => JSON.stringify(d.spec.selector.matchLabels));
    expect(new Set(selectors).size).toBe(dss.length);
    for (const d of dss) expect(d.spec.template.metadata.labels).toEqual(d.spec.selector.matchLabels);
  });

  it("writes the objects as YAML a generic reader reads back, multi-byte text included", () => {
    const ms = emit(fake({}), (v) => `echo 'naïve ${v.id} ✓'\n`);
    for (const m of ms) expect(yaml.load(manifestText(m))).toEqual(JSON.parse(JSON.stringify(m.object)));
  });
});
