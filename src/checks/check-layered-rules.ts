/**
 * The overlap checks of layered modules: too many combining layers to compile (DB3010), a layer that later layers
 * override wherever it applies (DB3008), and two layers that set one key differently on nodes they share (DB3009).
 * Layers of one label key with disjoint values never meet, so they are never reported together.
 */
import { diag, type Diagnostic, type Related } from "../diagnostics/diagnostic.js";
import { getPath, leaves, sameValue } from "../ir/tree.js";
import { MAX_LAYERED_TERMS } from "../lower/layers.js";
import { HOSTNAME_LABEL, type Variant } from "../ir/variant.js";
import type { Resolution } from "../lower/variants.js";
import { describeTarget } from "./check-overlapping-targets.js";

/** A layer's selector as `key in values`; a host layer selects its name under `kubernetes.io/hostname`. */
function selector(v: Variant): { key: string; values: readonly string[] } {
  if (v.target.kind === "Host") return { key: HOSTNAME_LABEL, values: [v.target.name] };
  if (v.target.kind === "Label") return { key: v.target.key, values: v.target.values };
  throw new Error("internal: a layer without a target");
}

/** Whether some node matches both layers. */
function meet(a: Variant, b: Variant): boolean {
  const sa = selector(a);
  const sb = selector(b);
  return sa.key !== sb.key || sa.values.some((x) => sb.values.includes(x));
}

/** Whether every node `a` matches is also matched by `b`. */
function covers(b: Variant, a: Variant): boolean {
  const sa = selector(a);
  const sb = selector(b);
  return sa.key === sb.key && sa.values.every((x) => sb.values.includes(x));
}

/** Whether layer `b` replaces or removes the value at `path`. */
function overrides(b: Variant, path: readonly string[]): boolean {
  const part = b.part!;
  if (part.unsets.some((u) => u.path.length <= path.length && u.path.every((k, i) => path[i] === k))) return true;
  for (let i = 1; i <= path.length; i++) {
    const n = getPath(part.sets, path.slice(0, i));
    if (n && (i === path.length || n.kind !== "Map")) return true;
  }
  return false;
}

export function checkLayeredRules(res: Resolution): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const m of res.policy.modules) {
    const layered = res.variants(m).layered;
    if (!layered) continue;
    const layers = layered.layers;
    if (layered.overflow) {
      const keys = [...new Set(layers.map((l) => selector(l).key))];
      const o = layered.overflow;
      const message =
        o.combinations !== undefined
          ? `the layered rules of \`${m}\` combine in more than ${o.combinations} ways; the compiler examines at most that many`
          : `the layered rules of \`${m}\` need ${o.terms ?? `more than ${MAX_LAYERED_TERMS}`} node-selector terms; the limit is ${MAX_LAYERED_TERMS}`;
      out.push(
        diag("DB3010", layers[0]!.part!.origins[0]!, message, {
          related: layers.slice(0, 8).map((l): Related => ({ message: `${describeTarget(l.target)} layers \`${m}\` here`, span: l.part!.origins[0]! })),
          help: `${keys.length} label keys can each combine with the others; put roles that never share a node under one key (\`role in [a]\`, \`role in [b]\`): values of one key are exclusive. Or configure \`${m}\` with non-layered rules`,
        }),
      );
    }
    const shadowed = new Set<Variant>();
    layers.forEach((a, i) => {
      const later = layers.slice(i + 1);
      const paths = [...leaves(a.part!.sets)].map((l) => l.path);
      if (a.part!.unsets.length > 0 || paths.length === 0) return;
      const by = later.filter((b) => covers(b, a));
      if (!paths.every((p) => by.some((b) => overrides(b, p)))) return;
      shadowed.add(a);
      out.push(
        diag("DB3008", a.part!.origins[0]!, `the \`${m}\` settings of layer ${describeTarget(a.target)} are overridden wherever it applies`, {
          related: by.slice(0, 3).map((b): Related => ({ message: `overridden by ${describeTarget(b.target)}`, span: b.part!.origins[0]! })),
          help: "remove this layer, or the settings that override it",
        }),
      );
    });
    layers.forEach((a, i) => {
      if (shadowed.has(a)) return;
      for (const b of layers.slice(i + 1)) {
        if (!meet(a, b)) continue;
        for (const l of leaves(a.part!.sets)) {
          if (l.node.kind === "Map") continue;
          const other = getPath(b.part!.sets, l.path);
          if (!other || other.kind === "Map" || sameValue(l.node, other)) continue;
          const what = [m, ...l.path].join(" ");
          out.push(
            diag("DB3009", l.node.origin, `\`${what}\` is set by layer ${describeTarget(a.target)} and by layer ${describeTarget(b.target)}; on nodes both match, ${describeTarget(b.target)} wins`, {
              related: [{ message: `the winning value (${describeTarget(b.target)}, the later layer)`, span: other.origin }],
              help: "layers apply in source order (host layers last); set the key in one layer, or accept this warning with `# allow DB3009: REASON`",
            }),
          );
        }
      }
    });
  }
  return out;
}
