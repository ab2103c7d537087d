/**
 * A small reference of Divingbell's per-node configuration (docs/import.md, How the per-node result is kept), used to check imported
 * policies: the last host entry naming the node, else the last label entry it matches, else the root conf; the
 * entry's conf deep-merged onto the root conf (maps merge, everything else is replaced).
 * Values are read with every scalar as its text, so fixtures for it write booleans as `true`/`false` and on/off.
 */
import yaml from "js-yaml";

export type Json = null | string | Json[] | { [key: string]: Json };

export interface NodeFacts {
  readonly hostname: string;
  readonly labels: ReadonlyMap<string, string>;
}

export function isMap(v: Json | undefined): v is { [key: string]: Json } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function parseValues(text: string): { [key: string]: Json } {
  const v = yaml.load(text, { schema: yaml.FAILSAFE_SCHEMA }) as Json;
  return isMap(v) ? v : {};
}

export function deepMerge(base: Json, over: Json): Json {
  if (!isMap(base) || !isMap(over)) return over;
  const out: { [key: string]: Json } = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in base ? deepMerge(base[k]!, v) : v;
  return out;
}

function list(v: Json | undefined): Json[] {
  return Array.isArray(v) ? v : [];
}

/** The conf Divingbell renders into the script that `node` runs for `module` (Divingbell's module name). */
export function divingbellConf(values: { [key: string]: Json }, module: string, node: NodeFacts): Json {
  const conf = isMap(values["conf"]) ? values["conf"] : {};
  const { overrides, ...root } = conf;
  const block = isMap(overrides) ? overrides[`divingbell_${module}`] : undefined;
  const entries = isMap(block) ? block : {};
  // Two entries for one host render objects of the same name (their selector is the same); the later one is what
  // the cluster keeps, so the last entry naming the host counts.
  let chosen = list(entries["hosts"]).filter((h) => isMap(h) && h["name"] === node.hostname).pop();
  if (!chosen) {
    for (const l of list(entries["labels"])) {
      const label = isMap(l) ? l["label"] : undefined;
      if (!isMap(label) || typeof label["key"] !== "string") continue;
      const have = node.labels.get(label["key"]);
      if (have !== undefined && list(label["values"]).includes(have)) chosen = l;
    }
  }
  const entryConf = isMap(chosen) && isMap(chosen["conf"]) ? chosen["conf"] : {};
  const merged = deepMerge(root, entryConf);
  return (isMap(merged) ? merged[module] : undefined) ?? null;
}

/** Every host name and label (key, values) that the overrides mention. */
export function mentioned(values: { [key: string]: Json }): { hosts: string[]; labels: Map<string, Set<string>> } {
  const hosts = new Set<string>();
  const labels = new Map<string, Set<string>>();
  const conf = isMap(values["conf"]) ? values["conf"] : {};
  const overrides = isMap(conf["overrides"]) ? conf["overrides"] : {};
  for (const block of Object.values(overrides)) {
    if (!isMap(block)) continue;
    for (const h of list(block["hosts"])) if (isMap(h) && typeof h["name"] === "string") hosts.add(h["name"]);
    for (const l of list(block["labels"])) {
      const label = isMap(l) ? l["label"] : undefined;
      if (!isMap(label) || typeof label["key"] !== "string") continue;
      const set = labels.get(label["key"]) ?? new Set<string>();
      for (const v of list(label["values"])) if (typeof v === "string") set.add(v);
      labels.set(label["key"], set);
    }
  }
  return { hosts: [...hosts], labels };
}

/** Nodes covering every combination: each mentioned label key absent, at each mentioned value, or at another value. */
export function nodesFor(values: { [key: string]: Json }): NodeFacts[] {
  const { hosts, labels } = mentioned(values);
  let combos: Map<string, string>[] = [new Map()];
  for (const [key, vals] of labels) {
    const options = [undefined, ...vals, "zz-other"];
    combos = combos.flatMap((c) => options.map((o) => (o === undefined ? c : new Map([...c, [key, o]]))));
  }
  return [...hosts, "plain-node"].flatMap((hostname) => combos.map((l) => ({ hostname, labels: l })));
}
