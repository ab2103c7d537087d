/**
 * Precedence (docs/language.md, Semantics): for each module a node runs exactly one variant — its `on host` rule, else the last
 * matching `on label` rule, else the defaults. A variant's configuration is the defaults, minus the rule's `unset`s,
 * deep-merged with the rule's settings; every variant is built from the defaults alone, so nothing leaks between them.
 * A module configured by layered rules (`layer on`, layers.ts) has instead one variant per cell: per distinct merge of
 * the layers a node can match.
 */
import type { HostTarget, LabelTarget, MapNode, ModulePart, NodeFacts, Policy } from "../ir/ir.js";
import { merge, removePath, structuralKey } from "../ir/tree.js";
import { applyLayers, layerMatches, planCells, type Layer } from "./layers.js";
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
  private readonly cellIndex = new Map<string, { layers: Layer[]; byConfig: Map<string, Variant> }>();

  constructor(readonly policy: Policy) {
    // One pass over the rules hands each part to its module (a policy of 10,000 host rules has about one part each).
    const byModule = new Map(policy.modules.map((m) => [m, { hosts: [] as Variant[], labels: [] as Variant[], layered: false }]));
    for (const rule of policy.rules) {
      for (const [m, part] of rule.parts) {
        const own = byModule.get(m);
        if (!own) continue;
        const defaults = policy.defaults.get(m)!.sets;
        let config: MapNode | undefined;
        // Merged on first use: `check` of a module without cross-field checks never needs most variants' trees.
        const v: Variant = {
          module: m,
          id: variantId(rule.target),
          target: rule.target,
          rule,
          part,
          get config() {
            return (config ??= applyPart(defaults, part));
          },
        };
        (rule.target.kind === "Host" ? own.hosts : own.labels).push(v);
        if (rule.layered) own.layered = true;
      }
    }
    for (const [m, { hosts, labels, layered }] of byModule) {
      const defaults = policy.defaults.get(m)!;
      const fallback: Variant = { module: m, id: "default", target: { kind: "Default" }, config: defaults.sets };
      if (layered) {
        this.byModule.set(m, this.layeredModule(m, defaults.sets, [...labels, ...hosts], fallback));
        continue;
      }
      this.byModule.set(m, { module: m, hosts, labels, fallback });
      this.hostIndex.set(m, new Map(hosts.map((v) => [(v.target as HostTarget).name, v])));
    }
  }

  private layeredModule(m: string, defaults: MapNode, layerVariants: Variant[], plainDefaults: Variant): ModuleVariants {
    const layers = layerVariants.map((v): Layer => (v.target.kind === "Host" ? { variant: v, key: HOSTNAME_LABEL, values: new Set([v.target.name]) } : { variant: v, key: (v.target as LabelTarget).key, values: new Set((v.target as LabelTarget).values) }));
    const plan = planCells(defaults, layers);
    const byConfig = new Map<string, Variant>();
    this.cellIndex.set(m, { layers, byConfig });
    const meta = { layers: layerVariants, overflow: plan.overflow };
    if (plan.overflow) return { module: m, hosts: [], labels: [], fallback: plainDefaults, layered: meta };
    const cells = plan.cells.map((c): Variant => {
      const last = c.layers[c.layers.length - 1]?.variant;
      const cell = { terms: c.terms, layers: c.layers.map((l) => l.variant) };
      const v: Variant = last ? { module: m, id: `layers:${cell.layers.map((l) => l.id).join("+")}`, target: last.target, config: c.config, cell } : { module: m, id: "default", target: { kind: "Default" }, config: c.config, cell };
      byConfig.set(structuralKey(c.config), v);
      return v;
    });
    // The cell of nodes that match no layer is found first: every key has values no layer names.
    return { module: m, hosts: [], labels: cells.slice(1), fallback: cells[0]!, layered: meta };
  }

  /** For a layered module, the layers that match `node`, in the order they apply. */
  layersFor(module: string, node: NodeFacts): Variant[] {
    return (this.cellIndex.get(module)?.layers ?? []).filter((l) => layerMatches(l, node, labelOf)).map((l) => l.variant);
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
    const cells = this.cellIndex.get(module);
    if (cells) {
      const config = applyLayers(this.policy.defaults.get(module)!.sets, this.layersFor(module, node).map((l) => l.part!));
      const v = cells.byConfig.get(structuralKey(config));
      if (v) return v;
      if (this.variants(module).layered?.overflow) return this.variants(module).fallback;
      throw new Error(`internal: no cell of module ${module} for node ${node.hostname}`);
    }
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

