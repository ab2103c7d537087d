/** `dbellc compile`, run in-process: output forms, options, failures, and Secrets that carry `dbellc script`'s text. */
import yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { cli } from "../support/cli.js";
import { secretHostScript, type K8sObject } from "../support/golden-compile.js";
import { podSchedulesOn } from "./node-affinity.js";

const policy = `
set sysctl vm.swappiness = 10
set limits nofile { domain = "*"  type = soft  item = nofile  value = 4096 }
on label rack in [r1, r2] set sysctl vm.swappiness = 20
on label zone in [z1] set sysctl vm.swappiness = 30
on label kubernetes.io/hostname in [edge-1] set limits nofile { value = 8192 }
on host db-1 set sysctl vm.swappiness = 1
`;

type Obj = { kind: string; metadata: { name: string; namespace?: string; labels: Record<string, string> }; data?: Record<string, string>; spec?: { template: { spec: Parameters<typeof podSchedulesOn>[0] & { containers: { image: string }[]; volumes: { name: string; secret: { secretName: string } }[] } } } };

async function compile(args: string[] = [], text = policy) {
  const r = await cli(["compile", "p.dbell", ...args], { "p.dbell": text });
  return { ...r, objects: yaml.loadAll(r.stdout) as Obj[] };
}

describe("dbellc compile", () => {
  it("prints one YAML stream with a Secret and a DaemonSet per variant of every enabled module", async () => {
    const r = await compile();
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith("---\n# module sysctl, variant host:db-1 (p.dbell:7)")).toBe(true);
    const sysctl = r.objects.filter((o) => o.metadata.labels["app.kubernetes.io/component"] === "sysctl");
    expect(sysctl.map((o) => o.kind)).toEqual(["Secret", "DaemonSet", "Secret", "DaemonSet", "Secret", "DaemonSet", "Secret", "DaemonSet"]);
    for (let i = 0; i < sysctl.length; i += 2) expect(sysctl[i]!.metadata.name).toBe(sysctl[i + 1]!.metadata.name);
    for (const o of r.objects) expect(o.metadata.namespace).toBeUndefined();
  });

  it("puts in every Secret exactly the host script `dbellc script` prints for a node of that variant", async () => {
    const { objects } = await compile();
    const nodes = [
      { host: "db-1", labels: {} },
      { host: "edge-1", labels: { rack: "r1" } },
      { host: "n1", labels: { rack: "r2" } },
      { host: "n2", labels: { rack: "r1", zone: "z1" } },
      { host: "n3", labels: {} },
    ];
    const daemonSets = objects.filter((o) => o.kind === "DaemonSet");
    let compared = 0;
    for (const n of nodes) {
      const labels = new Map<string, string>([...Object.entries(n.labels), ["kubernetes.io/hostname", n.host], ["kubernetes.io/os", "linux"]]);
      for (const ds of daemonSets.filter((d) => podSchedulesOn(d.spec!.template.spec, { labels }))) {
        const module = ds.metadata.labels["app.kubernetes.io/component"]!;
        // The Secret the DaemonSet mounts, by the name in its pod template.
        const mounted = ds.spec!.template.spec.volumes.find((v) => v.name === "scripts")!.secret.secretName;
        const inSecret = secretHostScript(objects as K8sObject[], mounted);
        const args = [...labels].filter(([k]) => k !== "kubernetes.io/os").flatMap(([k, v]) => ["--label", `${k}=${v}`]);
        const printed = await cli(["script", "p.dbell", "--module", module, "--host", n.host, ...args], { "p.dbell": policy });
        expect(printed.code).toBe(0);
        expect(inSecret).toBe(printed.stdout);
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(nodes.length * 2);
  });

  it("writes one file per object with -o, the same documents as the stream", async () => {
    const stream = await compile();
    const r = await cli(["compile", "p.dbell", "-o", "out"], { "p.dbell": policy });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    const written = [...r.files.keys()].filter((f) => f.startsWith("out/"));
    expect(written.length).toBe(stream.objects.length);
    for (const f of written) expect(f).toMatch(/^out\/(secret|daemonset)-[a-z0-9-]+\.yaml$/);
    expect(written.map((f) => r.files.get(f)!).join("---\n")).toBe(stream.stdout.slice(4).split("\n---\n").join("\n---\n"));
  });

  it("sets --namespace and --image, and rejects an invalid namespace", async () => {
    const r = await compile(["--namespace", "node-config", "--image", "registry.example/tools:1.2"]);
    for (const o of r.objects) expect(o.metadata.namespace).toBe("node-config");
    for (const o of r.objects.filter((x) => x.kind === "DaemonSet")) expect(o.spec!.template.spec.containers[0]!.image).toBe("registry.example/tools:1.2");
    expect((await compile(["--namespace", "Node_Config"])).code).toBe(2);
    expect((await compile(["--image", "has space"])).code).toBe(2);
  });

  it("emits nothing for a disabled module", async () => {
    const r = await compile([], "disable sysctl\ndisable mounts\n");
    expect(r.code).toBe(0);
    const components = new Set(r.objects.map((o) => o.metadata.labels["app.kubernetes.io/component"]));
    expect(components.has("sysctl")).toBe(false);
    expect(components.has("mounts")).toBe(false);
    expect(components.has("limits")).toBe(true);
  });

  it("exits 1 with the errors and prints no YAML when the policy has errors; warnings do not stop it", async () => {
    const bad = await compile([], "set sysctll vm.swappiness = 1\n");
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toContain("error[DB2001]");
    const warned = await compile([], "on label a in [x] set sysctl vm.a = 1\non label b in [y] set sysctl vm.a = 2\n");
    expect(warned.code).toBe(0);
    expect(warned.stderr).toContain("warning[DB3002]");
    expect(warned.objects.length).toBeGreaterThan(0);
  });
});
