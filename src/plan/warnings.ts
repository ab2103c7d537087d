/**
 * What the inventory says about the policy (DB61xx): host rules naming no node, label rules matching no node, label
 * keys and values no node carries (with the closest one the fleet has), nodes no DaemonSet of a module selects, and
 * nodes two DaemonSets of a module select.
 */
import { diag, sortDiagnostics, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { Span } from "../diagnostics/span.js";
import { closest } from "../diagnostics/suggest.js";
import type { Target as AstTarget } from "../syntax/ast.js";
import type { Analysis } from "../compile.js";
import type { Inventory } from "./inventory.js";
import type { FleetPlan } from "./fleet.js";

/** The policy's findings first, sorted by place, then the nodes' in inventory order. */
export function inventoryWarnings(a: Analysis, inv: Inventory, plan: FleetPlan): Diagnostic[] {
  return [...sortDiagnostics(ruleWarnings(a, inv)), ...scheduleProblems(inv, plan)];
}

/** Host names and label values per key, over the whole inventory. */
function facts(inv: Inventory): { hostnames: Set<string>; labels: Map<string, Set<string>> } {
  const hostnames = new Set<string>();
  const labels = new Map<string, Set<string>>();
  for (const n of inv.nodes) {
    hostnames.add(n.hostname);
    for (const [k, v] of n.labels) (labels.get(k) ?? labels.set(k, new Set()).get(k)!).add(v);
  }
  return { hostnames, labels };
}

/** The findings about the policy's rules alone (DB6101–DB6104), in rule order: the language server shows these too. */
export function ruleWarnings(a: Analysis, inv: Inventory): Diagnostic[] {
  const { hostnames, labels } = facts(inv);
  const targets = new Map<string, AstTarget>();
  for (const f of a.files) for (const s of f.statements) if (s.kind === "On") targets.set(spanKey(s.target.span), s.target);
  const out: Diagnostic[] = [];
  for (const rule of a.policy.rules) {
    const ast = targets.get(spanKey(rule.origins[0]!));
    const t = rule.target;
    if (t.kind === "Host") {
      if (hostnames.has(t.name)) continue;
      const near = closest(t.name, hostnames);
      out.push(diag("DB6101", ast?.kind === "HostTarget" ? ast.name.span : t.origin, `no node in ${inv.file} has hostname \`${t.name}\``, near ? { help: `did you mean \`${near}\`?` } : {}));
      continue;
    }
    const astLabel = ast?.kind === "LabelTarget" ? ast : undefined;
    const carried = labels.get(t.key);
    if (!carried) {
      // `zone` for `topology.kubernetes.io/zone`: a key written without its prefix is a common slip.
      const near = closest(t.key, labels.keys()) ?? [...labels.keys()].sort().find((k) => k.endsWith(`/${t.key}`));
      out.push(diag("DB6103", astLabel?.key.span ?? t.origin, `no node in ${inv.file} carries label \`${t.key}\``, near ? { help: `did you mean \`${near}\`?` } : {}));
      continue;
    }
    const missing = t.values.filter((v) => !carried.has(v));
    const valueSpan = (v: string): Span => astLabel?.values.find((x) => x.text === v)?.span ?? t.origin;
    const known = [...carried].sort();
    const hint = (v: string): string | undefined => {
      const near = closest(v, carried);
      if (near) return `did you mean \`${near}\`?`;
      return known.length <= 8 ? `nodes carry \`${t.key}\` = ${known.map((k) => `\`${k}\``).join(", ")}` : undefined;
    };
    if (missing.length === t.values.length) {
      const helps = missing.map(hint).filter((h): h is string => !!h);
      out.push(diag("DB6102", t.origin, `label rule \`${t.key} in [${t.values.join(", ")}]\` matches no node in ${inv.file}`, helps.length ? { help: helps.join("; ") } : {}));
      continue;
    }
    for (const v of missing) {
      const h = hint(v);
      out.push(diag("DB6104", valueSpan(v), `no node in ${inv.file} has label \`${t.key}\` = \`${v}\``, h ? { help: h } : {}));
    }
  }
  return out;
}

function spanKey(s: Span): string {
  return `${s.file}\0${s.start}`;
}

/** Nodes no DaemonSet of a module selects (one warning per node), and nodes two of them select (a compiler bug). */
function scheduleProblems(inv: Inventory, plan: FleetPlan): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const np of plan.nodes) {
    const none: string[] = [];
    for (const p of np.modules.values()) {
      if (p.daemonSet === undefined) none.push(p.module);
      if (p.alsoSelectedBy.length) {
        out.push(diag("DB6106", inv.placeOf(np.index), `node \`${np.node.name}\` is selected by ${p.alsoSelectedBy.length + 1} DaemonSets of module ${p.module}: ${[p.daemonSet, ...p.alsoSelectedBy].join(", ")}`));
      }
    }
    if (none.length) {
      out.push(
        diag("DB6105", inv.placeOf(np.index), `node \`${np.node.name}\` runs no DaemonSet of ${none.length === plan.modules.length ? "any module" : `module ${none.join(", ")}`}`, {
          help: "its labels match no DaemonSet's nodeSelector and affinity (the pods select `kubernetes.io/os: linux`)",
        }),
      );
    }
  }
  return out;
}
