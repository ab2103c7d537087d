/**
 * Precedence (docs/language.md, Semantics): for each module a node runs exactly one variant — its `on host` rule, else the last
 * matching `on label` rule, else the defaults. A variant's configuration is the defaults, minus the rule's `unset`s,
 * deep-merged with the rule's settings; every variant is built from the defaults alone, so nothing leaks between them.
 */
import type { HostTarget, LabelTarget, MapNode, ModulePart, NodeFacts, Policy } from "../ir/ir.js";
import { merge, removePath } from "../ir/tree.js";
import { HOSTNAME_LABEL, type ModuleVariants, type Variant } from "../ir/variant.js";

export function variantId(target: Variant["target"]): string {
  if (target.kind === "Default") return "default";
  if (target.kind === "Host") return `host:${target.name}`;
  return `label:${target.key}=${target.values.join(",")}`;
}

/** The configuration a rule's part gives: the defaults minus its unsets, merged with its sets. */
export function applyPart(defaults: MapNode, part: ModulePart): MapNode {
  let base = defaults;
  for (const u of part.unsets) base = removePath(base, u.path).result;
  return merge(base, part.sets);
}

/** All variants of every enabled module, computed once. */
export class Resolution {
  private readonly byModule = new Map<string, ModuleVariants>();
  private readonly hostIndex = new Map<string, Map<string, Variant>>();

  constructor(readonly policy: Policy) {
    for (const m of policy.modules) {
      const defaults = policy.defaults.get(m)!;
      const fallback: Variant = { module: m, id: "default", target: { kind: "Default" }, config: defaults.sets };
      const hosts: Variant[] = [];
      const labels: Variant[] = [];
      for (const rule of policy.rules) {
        const part = rule.parts.get(m);
        if (!part) continue;
        let config: MapNode | undefined;
        // Merged on first use: `check` of a module without cross-field checks never needs most variants' trees.
        const v: Variant = {
          module: m,
          id: variantId(rule.target),
          target: rule.target,
          rule,
          part,
          get config() {
            return (config ??= applyPart(defaults.sets, part));
          },
        };
        (rule.target.kind === "Host" ? hosts : labels).push(v);
      }
      this.byModule.set(m, { module: m, hosts, labels, fallback });
      this.hostIndex.set(m, new Map(hosts.map((v) => [(v.target as HostTarget).name, v])));
    }
  }

  variants(module: string): ModuleVariants {
    const v = this.byModule.get(module);
    if (!v) throw new Error(`module ${module} is not enabled`);
    return v;
  }

  all(module: string): Variant[] {
    const v = this.variants(module);
    return [...v.hosts, ...v.labels, v.fallback];
  }

  /** The variant a node runs for `module`. */
  variantFor(module: string, node: NodeFacts): Variant {
    const host = this.hostIndex.get(module)?.get(node.hostname);
    if (host) return host;
    const labels = this.variants(module).labels;
    for (let i = labels.length - 1; i >= 0; i--) {
      const t = labels[i]!.target as LabelTarget;
      const have = labelOf(node, t.key);
      if (have !== undefined && t.values.includes(have)) return labels[i]!;
    }
    return this.variants(module).fallback;
  }
}

/** A node's label; every node carries `kubernetes.io/hostname`, so it defaults to the hostname. */
export function labelOf(node: NodeFacts, key: string): string | undefined {
  return node.labels.get(key) ?? (key === HOSTNAME_LABEL ? node.hostname : undefined);
}

