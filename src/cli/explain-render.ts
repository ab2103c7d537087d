/** Prints `explain` results for people and as JSON (docs/json-format.md). */
import { whereLine, type Sources } from "../diagnostics/render.js";
import { type ModuleExplanation, describeTarget, type Variant, type NodeFacts } from "../api.js";

function ruleOrigin(v: Variant, sources: Sources): string | undefined {
  return v.part?.origins[0] ? whereLine(v.part.origins[0], sources) : undefined;
}

function shown(v: string | readonly string[]): string {
  if (typeof v !== "string") return `[${v.map((x) => JSON.stringify(x)).join(", ")}]`;
  if (v.includes("\n")) return `${JSON.stringify(v.length > 60 ? v.slice(0, 57) + "..." : v)}`;
  return /^[A-Za-z0-9_./*?~@%+:!^-]+$/.test(v) ? v : JSON.stringify(v);
}

/** Every layer that set a value, in order: ` (set by: label a in [x] a.dbell:3 < host h a.dbell:9)`; the last wins. */
function layerTrail(v: ModuleExplanation["values"][number], sources: Sources): string {
  if (!v.layers || v.layers.length === 0) return "";
  return ` (set by${v.layers.length > 1 ? ", last wins" : ""}: ${v.layers.map((l) => `${describeTarget(l.variant.target).replace(/`/g, "")} ${whereLine(l.origin, sources)}`).join(" < ")})`;
}

export function renderExplainHuman(node: NodeFacts, ms: readonly ModuleExplanation[], sources: Sources): string {
  const labels = [...node.labels].map(([k, v]) => `${k}=${v}`).join(", ");
  const lines = [`node ${node.hostname}${labels ? ` (labels: ${labels})` : ""}`, ""];
  for (const m of ms) {
    const at = ruleOrigin(m.chosen, sources);
    if (m.applied) lines.push(`${m.module}: ${m.applied.length ? `layers ${m.applied.map((v) => `${describeTarget(v.target).replace(/`/g, "")} (${ruleOrigin(v, sources)})`).join(", ")}` : "the defaults (no layer matches)"}`);
    else lines.push(`${m.module}: ${describeTarget(m.chosen.target).replace(/`/g, "")}${at ? ` (${at})` : ""}`);
    if (m.values.length === 0) lines.push("  no settings: the host script reverts what earlier runs applied");
    const rows = m.values.map((v) => [`${v.path.join(" ")} = ${shown(v.value)}`, `${whereLine(v.origin, sources)}${v.fromDefaults ? " (defaults)" : ""}${layerTrail(v, sources)}`] as const);
    const width = Math.min(60, Math.max(0, ...rows.map((r) => r[0].length)));
    for (const [l, r] of rows) lines.push(`  ${l.padEnd(width)}  # ${r}`);
    for (const u of m.unsets ?? []) lines.push(`  unset ${[m.module, ...u.path].join(" ")}  # ${whereLine(u.origin, sources)} (${describeTarget(u.variant.target).replace(/`/g, "")})`);
    for (const r of m.rejected) {
      const where = ruleOrigin(r.variant, sources);
      lines.push(`  not applied: ${describeTarget(r.variant.target).replace(/`/g, "")}${where ? ` (${where})` : ""}: ${r.reason.replace(/`/g, "")}`);
    }
    lines.push("");
  }
  return lines.join("\n");
}

export function explainJson(node: NodeFacts, ms: readonly ModuleExplanation[], sources: Sources): object {
  const target = (v: Variant) =>
    v.target.kind === "Default" ? { kind: "default" } : v.target.kind === "Host" ? { kind: "host", name: v.target.name } : { kind: "label", key: v.target.key, values: v.target.values };
  const place = (s: { file: string; start: number }) => ({ file: s.file, line: Number(whereLine({ ...s, end: s.start }, sources).split(":").pop()) });
  return {
    version: 1,
    node: { hostname: node.hostname, labels: Object.fromEntries(node.labels) },
    modules: ms.map((m) => ({
      module: m.module,
      rule: m.applied ? { kind: "layers" } : { ...target(m.chosen), ...(m.chosen.part?.origins[0] ? { origin: place(m.chosen.part.origins[0]) } : {}) },
      ...(m.applied ? { layers: m.applied.map((v) => ({ ...target(v), origin: place(v.part!.origins[0]!) })) } : {}),
      ...(m.unsets ? { unsets: m.unsets.map((u) => ({ path: u.path, rule: target(u.variant), origin: place(u.origin) })) } : {}),
      settings: m.values.map((v) => ({ path: v.path, value: v.value, origin: place(v.origin), fromDefaults: v.fromDefaults, ...(v.layers ? { setBy: v.layers.map((l) => ({ ...target(l.variant), origin: place(l.origin) })) } : {}) })),
      notApplied: m.rejected.map((r) => ({ rule: target(r.variant), ...(r.variant.part?.origins[0] ? { origin: place(r.variant.part.origins[0]) } : {}), reason: r.reason.replace(/`/g, "") })),
    })),
  };
}
