/**
 * What a node sees of the compiled objects: the DaemonSet of a module that schedules onto it (Kubernetes' affinity
 * rules, test/k8s/node-affinity.ts), and the host script its pod assembles — the program from the program ConfigMap,
 * then the settings from the settings object, joined as entry.sh's `cat` joins them. Tests read the objects as
 * `kubectl apply` would get them (parsed back from YAML), never the compiler's internal values.
 */
import { podSchedulesOn } from "../k8s/node-affinity.js";
import { ENTRY_KEY, SETTINGS_KEY } from "../../src/backends/k8s/entry-script.js";
import { moduleNamed } from "../../src/modules/registry.js";
import type { NodeFacts } from "../../src/ir/ir.js";

export interface K8sObject {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly labels: Record<string, string> };
  readonly data?: Record<string, string>;
  readonly spec?: {
    readonly template: {
      readonly spec: Parameters<typeof podSchedulesOn>[0] & {
        readonly volumes: readonly { readonly name: string; readonly secret?: { readonly secretName: string }; readonly configMap?: { readonly name: string } }[];
      };
    };
  };
}

export const COMPONENT = "app.kubernetes.io/component";

/** The DaemonSets of `module` whose pods may run on `node` (exactly one, if the output is right). */
export function daemonSetsFor(objects: readonly K8sObject[], module: string, node: NodeFacts): K8sObject[] {
  const labels = new Map([["kubernetes.io/hostname", node.hostname], ...node.labels]);
  if (!labels.has("kubernetes.io/os")) labels.set("kubernetes.io/os", "linux");
  return objects.filter((o) => o.kind === "DaemonSet" && o.metadata.labels[COMPONENT] === module && podSchedulesOn(o.spec!.template.spec, { labels }));
}

function find(objects: readonly K8sObject[], kind: string, name: string): K8sObject {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind} ${name}`);
  return o;
}

function value(o: K8sObject, key: string): string {
  const v = o.data?.[key];
  if (v === undefined) throw new Error(`${o.kind} ${o.metadata.name} has no key ${key}`);
  return o.kind === "Secret" ? Buffer.from(v, "base64").toString("utf8") : v;
}

/** The objects a DaemonSet's pod mounts: its program ConfigMap and its settings object. */
export function podFiles(objects: readonly K8sObject[], ds: K8sObject): { program: K8sObject; settings: K8sObject } {
  const volumes = ds.spec!.template.spec.volumes;
  const p = volumes.find((v) => v.name === "program")?.configMap;
  const s = volumes.find((v) => v.name === "settings");
  if (!p || !s) throw new Error(`DaemonSet ${ds.metadata.name} mounts no program or settings`);
  const settings = s.secret ? find(objects, "Secret", s.secret.secretName) : find(objects, "ConfigMap", s.configMap!.name);
  return { program: find(objects, "ConfigMap", p.name), settings };
}

/** The host script a DaemonSet's pod runs: `cat /dbell/program/<host script> /dbell/settings/settings.sh`. */
export function assembledScript(objects: readonly K8sObject[], ds: K8sObject): string {
  const { program, settings } = podFiles(objects, ds);
  const module = moduleNamed(ds.metadata.labels[COMPONENT]!)!;
  return value(program, module.pod.hostScript) + value(settings, SETTINGS_KEY);
}

/** The entry script a DaemonSet's pod runs. */
export function podEntryScript(objects: readonly K8sObject[], ds: K8sObject): string {
  return value(podFiles(objects, ds).program, ENTRY_KEY);
}
