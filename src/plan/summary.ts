/**
 * The per-module view every output format shows: the distinct (DaemonSet, settings) pairs the fleet runs, each with a
 * short tag for the fleet matrix, its node count and the rules behind it, plus the DaemonSets that select no node.
 */
import { describeTarget } from "../checks/check-overlapping-targets.js";
import type { Span } from "../diagnostics/span.js";
import type { FleetPlan, Placement } from "./fleet.js";

export interface Row {
  /** `a`, `b`, ... within the module, in order of first appearance in the inventory. */
  readonly tag: string;
  /** Undefined for the nodes no DaemonSet selects. */
  readonly daemonSet?: string;
  /** `-` for nodes no DaemonSet selects: they get no settings. */
  readonly digest: string;
  readonly nodes: number;
  /** The rules behind these nodes' settings, as explain names them, with where each is written. */
  readonly rules: readonly { readonly text: string; readonly origin?: Span }[];
}

export interface ModuleSummary {
  readonly module: string;
  readonly rows: readonly Row[];
  /** DaemonSets that select no node of the inventory. */
  readonly idle: readonly string[];
  /** The row of each node, by inventory position. */
  readonly rowOf: readonly Row[];
}

export function summarize(fleet: FleetPlan): ModuleSummary[] {
  return fleet.modules.map((m) => {
    const rows = new Map<string, { tag: string; daemonSet?: string; digest: string; nodes: number; rules: Map<string, { text: string; origin?: Span }> }>();
    const rowOf = fleet.nodes.map((np) => {
      const p = np.modules.get(m)!;
      // A node no DaemonSet selects gets no settings, whatever the policy says about it.
      const digest = p.daemonSet === undefined ? "-" : p.settings.digest;
      const key = `${p.daemonSet ?? ""}\0${digest}`;
      let r = rows.get(key);
      if (!r) rows.set(key, (r = { tag: tag(rows.size), daemonSet: p.daemonSet, digest, nodes: 0, rules: new Map() }));
      r.nodes++;
      const text = p.daemonSet === undefined ? "not configured: no DaemonSet of the module selects these nodes" : ruleText(p);
      if (!r.rules.has(text)) r.rules.set(text, { text, origin: p.ruleOrigin });
      return r;
    });
    const finished = new Map([...rows.values()].map((r) => [r, { ...r, rules: [...r.rules.values()] }] as const));
    const idle = fleet.daemonSets.filter((d) => d.module === m && d.nodes === 0).map((d) => d.name);
    return { module: m, rows: [...finished.values()], idle, rowOf: rowOf.map((r) => finished.get(r)!) };
  });
}

export function ruleText(p: Placement): string {
  return describeTarget(p.rule).replace(/`/g, "");
}

/** a..z, then aa, ab, ...: short enough for a matrix column. */
export function tag(i: number): string {
  let s = "";
  let n = i;
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return s;
}
