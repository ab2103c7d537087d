/**
 * The one Kubernetes emitter. Per module: one ConfigMap with the program (entry script, prelude and the module's
 * shell functions), then per distinct configuration a settings object (ConfigMap, or Secret for a module whose
 * settings can hold credentials) and a DaemonSet running program + settings on exactly the nodes of the variants
 * that share the configuration (docs/deploy.md). Unlike Divingbell's, a module without settings still gets a
 * DaemonSet that schedules, names stay valid for label keys with `/`, and each variant has its own selector.
 * Everything module-specific comes from the module's `pod` description; nothing here names a module.
 *
 * Names (docs/deploy.md): the program's and the settings object's names end in a hash of their content, so a change
 * makes a new object and the DaemonSets that mount it roll, while pods still running the old one keep it. A
 * DaemonSet is named after the first variant of its configuration (the defaults, then label rules, then host rules,
 * each in source order), so a value change keeps its name and is a rolling update. A configuration whose node
 * affinity would be too large for one object is served by several DaemonSets, each named after its first variant.
 */
import { createHash, createHmac } from "node:crypto";
import type { DeploySettings } from "../../ir/ir.js";
import type { HostScriptParts } from "../bash/script.js";
import type { HostModule } from "../../modules/module.js";
import type { ModuleVariants, Variant } from "../../ir/variant.js";
import { moduleAffinities, unionTerms, type Term } from "./affinity.js";
import { ENTRY_KEY, entryScript, hostScriptKey, SETTINGS_KEY } from "./entry-script.js";
import { DNS_LABEL, variantNames } from "./names.js";
import { podParts, type PodParts } from "./pod.js";
import type { YamlMap } from "./yaml.js";
import { GENERATED_MARK } from "./manifests.js";

export interface K8sOptions {
  /** Overrides the policy's `set deploy` image for every module (`--image`). */
  readonly image?: string;
  /** Overrides the policy's namespace for every module (`--namespace`). */
  readonly namespace?: string;
  /**
   * The key of the hash in a Secret's name. Someone who can read DaemonSets but not Secrets sees the name, so an
   * unkeyed hash would let them test guesses of the Secret's content; docs/security.md says where the key comes from.
   */
  readonly secretKey: string;
}

export type ManifestRole = "program" | "settings" | "daemonset";

export interface Manifest {
  readonly module: string;
  readonly role: ManifestRole;
  readonly kind: "ConfigMap" | "Secret" | "DaemonSet";
  readonly name: string;
  readonly object: YamlMap;
  /** The variants whose nodes use this object (all of the module's for its program). */
  readonly variants: readonly Variant[];
  /** Comment lines written above the object. */
  readonly header: readonly string[];
}

/** What the emitter needs from the pipeline for one variant. */
export interface VariantSource {
  /** The variant's host script, cut into the program all variants of the module share and its settings. */
  readonly scriptParts: (v: Variant) => HostScriptParts;
  /** Where the variant's rule is written (`site.dbell:12`), for the header comment. */
  readonly origin?: (v: Variant) => string | undefined;
}

export const LABELS = {
  name: "app.kubernetes.io/name",
  component: "app.kubernetes.io/component",
  managedBy: "app.kubernetes.io/managed-by",
  policy: "dbell.io/policy",
  daemonSet: "dbell.io/daemonset",
};

/** A configuration: the variants whose settings text is the same, and that text. */
interface Configuration {
  readonly variants: Variant[];
  readonly settings: string;
}

/** The module's program, then each configuration's settings object and DaemonSet. */
export function moduleManifests(mod: HostModule, mv: ModuleVariants, deploy: DeploySettings, source: VariantSource, options: K8sOptions): Manifest[] {
  if (!DNS_LABEL.test(mod.name)) throw new Error(`internal: module name ${mod.name} is not a DNS label`);
  const d: DeploySettings = { ...deploy, image: options.image ?? deploy.image, namespace: options.namespace ?? deploy.namespace };
  // The order that names configurations: the defaults are the most stable member, then label rules, then hosts.
  const ordered = [mv.fallback, ...mv.labels, ...mv.hosts];
  const byText = new Map<string, Configuration>();
  let program: string | undefined;
  for (const v of ordered) {
    const parts = source.scriptParts(v);
    if (program === undefined) program = parts.program;
    else if (parts.program !== program) throw new Error(`internal: variants of module ${mod.name} disagree on the program`);
    const c = byText.get(parts.settings);
    if (c) c.variants.push(v);
    else byText.set(parts.settings, { variants: [v], settings: parts.settings });
  }
  const configs = [...byText.values()];
  const affinities = moduleAffinities(mv);
  const chunked = configs.map((c) => chunks(c.variants, affinities));
  const names = variantNames(mod.name, chunked.flatMap((cs) => cs.map((vs) => vs[0]!)));
  const pod = podParts(mod, d);
  const labels = objectLabels(mod, d);

  const entry = entryScript(mod);
  const programName = `dbell-${mod.name}-program-${sha256(`${entry}\0${program!}`).slice(0, 10)}`;
  const out: Manifest[] = [
    {
      module: mod.name,
      role: "program",
      kind: "ConfigMap",
      name: programName,
      variants: ordered,
      header: [`module ${mod.name}: the entry script and program of every ${mod.name} DaemonSet; ${GENERATED_MARK}`],
      object: configMap(metadata(programName, labels, d), { [ENTRY_KEY]: entry, [hostScriptKey(mod)]: program! }),
    },
  ];
  let n = 0;
  configs.forEach((c, i) => {
    const name = names[n]!;
    const header = [`module ${mod.name}, ${describeRules(c.variants, source)}; ${GENERATED_MARK}`];
    const settingsName = `${name}-${settingsHash(mod, c.settings, options.secretKey)}`;
    const secret = mod.pod.settingsIn === "Secret";
    const meta = metadata(settingsName, labels, d);
    out.push({
      module: mod.name,
      role: "settings",
      kind: secret ? "Secret" : "ConfigMap",
      name: settingsName,
      variants: c.variants,
      header,
      object: secret ? secretObject(meta, { [SETTINGS_KEY]: c.settings }) : configMap(meta, { [SETTINGS_KEY]: c.settings }),
    });
    for (const vs of chunked[i]!) {
      const dsName = names[n++]!;
      const dsHeader = vs.length === c.variants.length ? header : [`module ${mod.name}, ${describeRules(vs, source)}; ${GENERATED_MARK}`];
      out.push({
        module: mod.name,
        role: "daemonset",
        kind: "DaemonSet",
        name: dsName,
        variants: vs,
        header: dsHeader,
        object: daemonSet(mod, pod, dsName, metadata(dsName, labels, d), unionTerms(vs, affinities), programName, settingsName, secret),
      });
    }
  });
  return out;
}

/**
 * Bytes of node affinity one DaemonSet may carry. Terms of label rules and the defaults each list the host names
 * their module's host rules take, so a configuration shared by many of them is split over several DaemonSets (each
 * mounting the same settings) before its object nears Kubernetes' 1.5 MiB limit.
 */
const AFFINITY_BUDGET = 512 * 1024;

function termBytes(v: Variant, affinities: ReadonlyMap<Variant, Term | undefined>): number {
  if (v.cell) return v.cell.terms.reduce((n, t) => n + requirementBytes(t), 0);
  if (v.target.kind === "Host") return v.target.name.length + 4;
  return requirementBytes(affinities.get(v) ?? []);
}

function requirementBytes(term: Term): number {
  let n = 64;
  for (const r of term) {
    n += r.key.length + 48;
    for (const x of r.values) n += x.length + 4;
  }
  return n;
}

/** A configuration's variants in DaemonSet-sized runs, in order; one run unless its affinity outgrows the budget. */
function chunks(variants: readonly Variant[], affinities: ReadonlyMap<Variant, Term | undefined>): Variant[][] {
  const out: Variant[][] = [[]];
  let size = 0;
  for (const v of variants) {
    const n = termBytes(v, affinities);
    if (size + n > AFFINITY_BUDGET && out[out.length - 1]!.length > 0) {
      out.push([]);
      size = 0;
    }
    out[out.length - 1]!.push(v);
    size += n;
  }
  return out;
}

/** The rules of a configuration for its header comment: all of them when few, else the first ones and a count. */
function describeRules(variants: readonly Variant[], source: VariantSource): string {
  const one = (v: Variant): string => {
    const where = source.origin?.(v);
    return where ? `${v.id} (${where})` : v.id;
  };
  // A cell of layered rules is described by its layers, each with its place: `layers label:a=x (p.dbell:3) + ...`.
  const shown = variants.slice(0, 5).map((v) => (v.cell && v.cell.layers.length > 0 ? `layers ${v.cell.layers.map(one).join(" + ")}` : one(v)));
  const more = variants.length > shown.length ? ` and ${variants.length - shown.length} more` : "";
  return `${variants.length === 1 ? "rule" : "rules"} ${shown.join(", ")}${more}`;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** A Secret's hash is keyed (see K8sOptions.secretKey); a ConfigMap's content is public anyway. */
function settingsHash(mod: HostModule, settings: string, secretKey: string): string {
  const h = mod.pod.settingsIn === "Secret" ? createHmac("sha256", secretKey).update(settings) : createHash("sha256").update(`${mod.name}\0${settings}`);
  return h.digest("hex").slice(0, 10);
}

function objectLabels(mod: HostModule, d: DeploySettings): YamlMap {
  const own: Record<string, string> = { [LABELS.component]: mod.name, [LABELS.managedBy]: "dbellc", [LABELS.name]: "dbell", [LABELS.policy]: d.policy };
  // The policy's extra labels never replace the ones pruning and selection rely on.
  return { ...Object.fromEntries(d.labels), ...own };
}

function metadata(name: string, labels: YamlMap, d: DeploySettings): YamlMap {
  return {
    name,
    annotations: d.annotations.length ? Object.fromEntries(d.annotations) : undefined,
    labels,
    namespace: d.namespace,
  };
}

function configMap(metadata: YamlMap, data: YamlMap): YamlMap {
  // Immutable: the name carries the content's hash, so the content of a name never changes, and the kubelet need
  // not watch it.
  return { apiVersion: "v1", kind: "ConfigMap", metadata, data, immutable: true };
}

function secretObject(metadata: YamlMap, data: Record<string, string>): YamlMap {
  const encoded = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, "utf8").toString("base64")]));
  return { apiVersion: "v1", kind: "Secret", metadata, data: encoded, immutable: true, type: "Opaque" };
}

function daemonSet(mod: HostModule, pod: PodParts, name: string, meta: YamlMap, terms: readonly Term[] | undefined, program: string, settings: string, secret: boolean | undefined): YamlMap {
  // Each DaemonSet's pods carry their own `dbell.io/daemonset` label, so no two DaemonSets select the same pods
  // (Divingbell gave all variants of a module one selector, so each controller adopted the others' pods).
  const labels = { [LABELS.component]: mod.name, [LABELS.name]: "dbell", [LABELS.daemonSet]: name };
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: meta,
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          affinity: terms && {
            nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms.map((t) => ({ matchExpressions: t as unknown as YamlMap[] })) } },
          },
          ...pod.spec,
          volumes: [
            ...pod.volumes,
            { name: "program", configMap: { defaultMode: pod.scriptMode, name: program } },
            secret ? { name: "settings", secret: { defaultMode: pod.scriptMode, secretName: settings } } : { name: "settings", configMap: { defaultMode: pod.scriptMode, name: settings } },
          ],
        },
      },
      updateStrategy: pod.updateStrategy,
    },
  };
}
