/**
 * Deployment settings: `set deploy all { ... }` for every module and `set deploy MODULE { ... }` per module. `deploy`
 * is a reserved module name resolved here, not in the grammar, so the parser stays unaware of it. Per field, a
 * module's own setting wins over `all`, which wins over the defaults; label, annotation and node-selector maps merge
 * key by key. Only the defaults may hold them: a pod's shape is the same on every node of a module.
 */
import type { DiagnosticBag } from "../diagnostics/diagnostic.js";
import type { Span } from "../diagnostics/span.js";
import { didYouMean } from "../diagnostics/suggest.js";
import type { DeploySettings, MapNode } from "../ir/ir.js";
import { emptyMap, list, merge, subMap, text } from "../ir/tree.js";
import { bool, listOf, str, type RecordSchema, type Schema } from "../modules/schema.js";
import { labelKeyProblem } from "./names.js";
import { byCodeUnit } from "../ir/order.js";

export const DEPLOY = "deploy";
export const DEFAULT_IMAGE = "docker.io/library/ubuntu:24.04";

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUANTITY = /^[0-9]+(\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const MAX_UNAVAILABLE = /^([1-9][0-9]{0,8}|([1-9][0-9]?|100)%)$/;

function labelMap(doc: string, what: "label" | "annotation"): Schema {
  return {
    kind: "Dict",
    doc,
    keyDoc: `a ${what} key`,
    key: (key, span, r) => {
      const p = labelKeyProblem(key);
      if (p) r.report("DB2014", span, `\`${key}\` is not a valid ${what} key`, { help: p });
    },
    value:
      what === "label"
        ? str(`${what} value`, { allowEmpty: true, code: "DB2014", what: "label value", pattern: /^(|[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/, help: "label values are at most 63 characters of [A-Za-z0-9-_.], starting and ending with a letter or digit" })
        : str("annotation value", { allowEmpty: true, multiline: true }),
  };
}

export const deploySettingsSchema: RecordSchema = {
  kind: "Record",
  doc: "how the module's DaemonSets run",
  fields: {
    namespace: { schema: str("namespace of the objects", { pattern: DNS_LABEL, what: "namespace", help: "a DNS label: lower-case letters, digits and '-', at most 63 characters" }) },
    image: { schema: str("container image with bash, coreutils, chroot and nsenter", { pattern: /^[^\s]+$/, what: "image" }) },
    policy: { schema: str("value of the dbell.io/policy label", { pattern: /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, code: "DB2014", what: "policy name", help: "a label value: [A-Za-z0-9-_.], at most 63 characters" }) },
    max_unavailable: { schema: str("nodes per DaemonSet updated at once: a number or a percentage", { pattern: MAX_UNAVAILABLE, what: "max_unavailable", help: "a whole number from 1 (`1`) or a percentage from 1% to 100% (`\"10%\"`)" }) },
    priority_class: { schema: str("priorityClassName of the pods; empty for none", { allowEmpty: true, pattern: /^$|^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, what: "priority class" }) },
    tolerate_all_taints: { schema: bool("whether the pods tolerate every taint (control-plane and tainted nodes)") },
    cpu_request: { schema: str("CPU request of the container", { pattern: QUANTITY, what: "cpu_request", help: "a Kubernetes quantity such as `10m` or `1`" }) },
    memory_request: { schema: str("memory request of the container", { pattern: QUANTITY, what: "memory_request", help: "a Kubernetes quantity such as `32Mi`" }) },
    labels: { schema: labelMap("extra labels of every object", "label") },
    annotations: { schema: labelMap("extra annotations of every object", "annotation") },
    image_pull_secrets: { schema: listOf("names of Secrets for pulling the image", str("Secret name", { pattern: DNS_SUBDOMAIN, what: "Secret name" })) },
    node_selector: { schema: labelMap("nodeSelector of the pods (default `kubernetes.io/os = linux`)", "label") },
  },
};

/** The schema below `set deploy`: `all` or a module name, then the settings. */
export function deploySchema(modules: readonly string[]): Schema {
  const targets = ["all", ...modules];
  return {
    kind: "Dict",
    doc: "deployment settings for all modules or one",
    keyDoc: "`all` or a module name",
    key: (key, span, r) => {
      if (targets.includes(key)) return;
      const help = didYouMean(key, targets) ?? `write \`all\` or one of ${modules.map((m) => `\`${m}\``).join(", ")}`;
      r.report("DB2001", span, `unknown module \`${key}\` in \`set deploy\``, { help });
    },
    value: deploySettingsSchema,
  };
}

/** The policy name when the policy does not give one: its first file's name without directory and extension. */
export function defaultPolicyName(file: string | undefined): string {
  const base = (file ?? "").replace(/^.*[\\/]/, "").replace(/\.dbell$/, "");
  const slug = base.replace(/[^A-Za-z0-9_.-]+/g, "-").slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
  return slug === "" ? "policy" : slug;
}

function pairs(map: MapNode | undefined): [string, string][] {
  if (!map) return [];
  return [...map.entries.values()].map((e): [string, string] => [e.key, e.value.kind === "Scalar" ? e.value.text : ""]).sort(([a], [b]) => byCodeUnit(a, b));
}

/** Each enabled module's settings: `all` merged with the module's own, over the defaults. */
export function resolveDeploy(tree: MapNode, modules: readonly string[], firstFile: string | undefined): Map<string, DeploySettings> {
  const origin: Span = tree.origin;
  const all = subMap(tree, "all") ?? emptyMap(origin);
  const out = new Map<string, DeploySettings>();
  for (const m of modules) {
    const own = subMap(tree, m);
    const c = own ? merge(all, own) : all;
    out.set(m, {
      namespace: text(c, "namespace"),
      image: text(c, "image") ?? DEFAULT_IMAGE,
      policy: text(c, "policy") ?? defaultPolicyName(firstFile),
      maxUnavailable: text(c, "max_unavailable") ?? "10%",
      priorityClassName: text(c, "priority_class") ?? "system-node-critical",
      tolerateAllTaints: (text(c, "tolerate_all_taints") ?? "true") === "true",
      cpuRequest: text(c, "cpu_request") ?? "10m",
      memoryRequest: text(c, "memory_request") ?? "32Mi",
      labels: pairs(subMap(c, "labels")),
      annotations: pairs(subMap(c, "annotations")),
      imagePullSecrets: list(c, "image_pull_secrets") ?? [],
      nodeSelector: subMap(c, "node_selector") ? pairs(subMap(c, "node_selector")) : [["kubernetes.io/os", "linux"]],
    });
  }
  return out;
}

/** Reported for `set deploy` / `unset deploy` inside an `on` target. */
export function reportDeployInTarget(span: Span, bag: DiagnosticBag): void {
  bag.report("DB2015", span, "deployment settings inside an `on` target", {
    help: "a module's pods are deployed the same way on every node; write `set deploy` at top level (`set deploy all { ... }` or `set deploy MODULE { ... }`)",
  });
}
