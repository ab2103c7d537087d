/**
 * Overlapping targets, per module: unreachable label rules (DB3001), label rules one node can match together
 * (DB3002), host rules that lose label settings (DB3003), rules without effect (DB3004) and useless unsets (DB3006).
 * Label rules are indexed by key and value, so the work stays near-linear in the number of rules.
 */
import { diag, type Diagnostic, type Related } from "../diagnostics/diagnostic.js";
import type { ConfigNode, LabelTarget, MapNode, ModulePart } from "../ir/ir.js";
import { getPath, sameValue } from "../ir/tree.js";
import type { Resolution } from "../lower/variants.js";
import type { Variant } from "../ir/variant.js";

export function describeTarget(t: Variant["target"]): string {
  if (t.kind === "Default") return "the defaults";
  if (t.kind === "Host") return `host \`${t.name}\``;
  return `label \`${t.key} in [${t.values.join(", ")}]\``;
}

export function checkOverlappingTargets(res: Resolution): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const r of res.policy.rules) {
    if (r.parts.size === 0) out.push(diag("DB3004", r.origins[0]!, `rule for ${describeTarget(r.target)} has no settings`, { help: "remove the empty rule" }));
  }
  for (const m of res.policy.modules) {
    const mv = res.variants(m);
    if (mv.layered) continue; // check-layered-rules.ts
    checkLabels(m, mv.labels, out);
    if (mv.labels.length > 0) {
      const first = mv.labels.slice(0, 3).map((v): Related => ({ message: `${describeTarget(v.target)} configures \`${m}\` here`, span: v.part!.origins[0]! }));
      for (const h of mv.hosts) {
        out.push(
          diag("DB3003", h.part!.origins[0]!, `${describeTarget(h.target)} gets only its own \`${m}\` rule, so the ${mv.labels.length} label ${mv.labels.length === 1 ? "rule" : "rules"} for \`${m}\` never ${mv.labels.length === 1 ? "applies" : "apply"} to it`, {
            related: first,
            help: "a host rule replaces label rules for its module; repeat the label settings you want in the host rule",
          }),
        );
      }
    }
    for (const v of [...mv.hosts, ...mv.labels]) checkEffect(m, v, mv.fallback, out);
  }
  return out;
}

function checkEffect(m: string, v: Variant, fallback: Variant, out: Diagnostic[]): void {
  const part = v.part!;
  for (const u of part.unsets) {
    if (u.path.length > 0 && getPath(fallback.config, u.path) === undefined) {
      out.push(diag("DB3006", u.origin, `\`${[m, ...u.path].join(" ")}\` is not set in the defaults, so \`unset\` removes nothing`));
    }
  }
  if (!changesAnything(part, fallback.config)) {
    out.push(diag("DB3004", part.origins[0]!, `the \`${m}\` settings of ${describeTarget(v.target)} equal the defaults, so the rule has no effect`, { help: "remove these settings, or change them" }));
  }
}

/** Index of the first element greater than `pos` in an ascending list. */
function firstAfter(list: readonly number[], pos: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! > pos) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Whether a rule's part differs from the defaults: an unset that removes something, or a set leaf that differs. Costs O(part). */
function changesAnything(part: ModulePart, defaults: MapNode): boolean {
  if (part.unsets.some((u) => (u.path.length === 0 ? defaults.entries.size > 0 : getPath(defaults, u.path) !== undefined))) return true;
  return leafDiffers(part.sets, defaults, true);
}

/** Whether a leaf of `sets` (a scalar, a list, or an empty block below the top) is absent or different at its path in `base`. */
function leafDiffers(sets: MapNode, base: ConfigNode | undefined, top: boolean): boolean {
  if (!top && sets.entries.size === 0) return base === undefined || !sameValue(base, sets);
  for (const [k, e] of sets.entries) {
    const old = base?.kind === "Map" ? base.entries.get(k)?.value : undefined;
    if (e.value.kind === "Map" ? leafDiffers(e.value, old, false) : old === undefined || !sameValue(old, e.value)) return true;
  }
  return false;
}

interface Indexed {
  readonly v: Variant;
  readonly t: LabelTarget;
  readonly pos: number;
}

function checkLabels(m: string, labels: readonly Variant[], out: Diagnostic[]): void {
  const items: Indexed[] = labels.map((v, pos) => ({ v, t: v.target as LabelTarget, pos }));
  // Per key and value: the positions of the rules that select it, ascending.
  const byValue = new Map<string, number[]>();
  const byKey = new Map<string, number[]>();
  for (const it of items) {
    (byKey.get(it.t.key) ?? byKey.set(it.t.key, []).get(it.t.key)!).push(it.pos);
    for (const val of it.t.values) {
      const k = `${it.t.key}\0${val}`;
      (byValue.get(k) ?? byValue.set(k, []).get(k)!).push(it.pos);
    }
  }
  // nextOtherKey[i]: the first later rule whose key differs from rule i's.
  const nextOtherKey: number[] = new Array(items.length).fill(-1);
  for (let i = items.length - 2; i >= 0; i--) {
    const n = items[i + 1]!;
    nextOtherKey[i] = n.t.key !== items[i]!.t.key ? i + 1 : nextOtherKey[i + 1]!;
  }
  for (const it of items) {
    const later = (val: string): number[] => {
      const list = byValue.get(`${it.t.key}\0${val}`) ?? [];
      return list.slice(firstAfter(list, it.pos));
    };
    // Unreachable: later rules of the same key together hold every value of this one.
    const coverers = it.t.values.map((val) => later(val)[0]);
    if (coverers.every((p) => p !== undefined)) {
      const winners = [...new Set(coverers as number[])].sort((a, b) => a - b).map((p) => items[p]!);
      const names = winners.map((w) => describeTarget(w.t)).join(", ");
      out.push(
        diag("DB3001", it.v.part!.origins[0]!, `${describeTarget(it.t)} never applies to \`${m}\`: ${winners.length === 1 ? "the later" : "the later rules"} ${names} ${winners.length === 1 ? "matches" : "match"} every node it matches`, {
          related: winners.map((w) => ({ message: "a later rule that wins", span: w.v.part!.origins[0]! })),
          help: "remove the earlier rule, or move it after the later ones",
        }),
      );
      continue;
    }
    // Overlap: the first later rule that one node can match together with this one.
    const sameKey = [...new Set(it.t.values.flatMap(later))].sort((a, b) => a - b);
    const other = nextOtherKey[it.pos]!;
    const winners = [sameKey[0], other >= 0 ? other : undefined].filter((p): p is number => p !== undefined);
    if (winners.length === 0) continue;
    const first = Math.min(...winners);
    const w = items[first]!;
    const laterCount = items.length - it.pos - 1;
    const keyList = byKey.get(it.t.key) ?? [];
    const sameKeyLater = keyList.length - firstAfter(keyList, it.pos);
    const total = laterCount - sameKeyLater + sameKey.length;
    const example = w.t.key === it.t.key ? `${it.t.key}=${it.t.values.find((x) => w.t.values.includes(x))}` : `${it.t.key}=${it.t.values[0]}, ${w.t.key}=${w.t.values[0]}`;
    out.push(
      diag("DB3002", it.v.part!.origins[0]!, `${describeTarget(it.t)} and the later ${describeTarget(w.t)} can match the same node; the later one wins for \`${m}\``, {
        related: [{ message: `the later rule (e.g. a node labelled ${example} gets it)`, span: w.v.part!.origins[0]! }],
        help: total > 1 ? `${total - 1} more later label rule${total - 1 === 1 ? "" : "s"} of \`${m}\` can also override it` : "make the selectors disjoint, or accept that the later rule wins",
      }),
    );
  }
}

