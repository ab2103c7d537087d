/**
 * Kubernetes' size limits, checked at compile time so that a policy that outgrows them fails here, naming the rules
 * behind the object, instead of at `kubectl apply`: at most 1 MiB of data in a ConfigMap or Secret (keys and values,
 * as the API server counts them) and about 1.5 MiB per object (etcd's request limit; the object's JSON, which kubectl
 * sends, stands in for the stored form, which is smaller).
 */
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Span } from "../../diagnostics/span.js";
import type { Policy } from "../../ir/ir.js";
import type { Variant } from "../../ir/variant.js";
import type { Manifest } from "./daemonset.js";
import type { YamlMap } from "./yaml.js";

export const MAX_DATA_BYTES = 1024 * 1024;
export const MAX_OBJECT_BYTES = 1536 * 1024;

/** Bytes of a ConfigMap's or Secret's data as the API server counts them (a Secret's values decoded). */
function dataBytes(m: Manifest): number {
  const data = (m.object["data"] ?? {}) as Record<string, string>;
  let n = 0;
  for (const [k, v] of Object.entries(data)) n += Buffer.byteLength(k) + (m.kind === "Secret" ? Buffer.from(v, "base64").length : Buffer.byteLength(v));
  return n;
}

/** An upper bound of the text the node affinity adds to a DaemonSet: every value with its quotes and separator. */
function affinityBytes(object: YamlMap): number {
  type Spec = { template: { spec: { affinity?: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: { matchExpressions: { values: string[] }[] }[] } } } } } };
  const terms = (object["spec"] as unknown as Spec).template.spec.affinity?.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms ?? [];
  let n = 0;
  for (const t of terms) for (const e of t.matchExpressions) for (const v of e.values) n += v.length * 6 + 4;
  return n;
}

function where(variants: readonly Variant[], policy: Policy): Span {
  for (const v of variants) if (v.part?.origins[0]) return v.part.origins[0];
  const module = variants[0]?.module;
  const d = module === undefined ? undefined : policy.defaults.get(module);
  return d?.origins[0] ?? variants[0]!.config.origin;
}

function rules(variants: readonly Variant[]): string {
  const shown = variants.slice(0, 3).map((v) => `\`${v.id}\``);
  return variants.length > 3 ? `${shown.join(", ")} and ${variants.length - 3} more` : shown.join(", ");
}

function mib(n: number): string {
  return `${(n / (1024 * 1024)).toFixed(2)} MiB`;
}

/** DB5001 for every object over a limit. */
export function checkSizes(manifests: readonly Manifest[], policy: Policy): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report = (m: Manifest, size: number, limit: string, help: string): void => {
    out.push({
      code: "DB5001",
      severity: "error",
      span: where(m.variants, policy),
      message: `${m.kind} \`${m.name}\` of module \`${m.module}\` (rules ${rules(m.variants)}) would be ${mib(size)}, over Kubernetes' limit of ${limit}`,
      help,
    });
  };
  for (const m of manifests) {
    if (m.kind !== "DaemonSet") {
      const n = dataBytes(m);
      if (n > MAX_DATA_BYTES) report(m, n, "1 MiB of data per ConfigMap or Secret", "make the settings of these rules smaller (long exec scripts or AppArmor profiles, many entries), or split them over more rules");
      continue;
    }
    // Serialising costs time; only a DaemonSet with a long affinity can come near the limit.
    if (affinityBytes(m.object) < MAX_OBJECT_BYTES / 2) continue;
    const n = Buffer.byteLength(JSON.stringify(m.object));
    if (n > MAX_OBJECT_BYTES) report(m, n, "1.5 MiB per object", "its node affinity lists too many host names; give these hosts a label and use an `on label` rule instead of `on host` rules");
  }
  return out;
}
