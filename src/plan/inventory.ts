/**
 * Reads a node inventory: the output of `kubectl get nodes -o json` or `-o yaml` (a `List` or `NodeList`), or a single
 * `Node`. Each node's hostname is its `kubernetes.io/hostname` label, as the scheduler sees it; every label is taken
 * as given. Malformed or partial input gets DB5001/DB5002 diagnostics that point into the file.
 */
import { DiagnosticBag, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { Span } from "../diagnostics/span.js";
import type { NodeFacts } from "../ir/ir.js";
import { HOSTNAME_LABEL } from "../lower/variants.js";
import { field, loadYaml, type YNode } from "../import/yaml-tree.js";
import { jsonPlace, type JsonPath } from "./json-place.js";

export interface InventoryNode extends NodeFacts {
  /** `metadata.name`: the node's identity in the cluster. */
  readonly name: string;
  /** The `kubernetes.io/hostname` label, which host rules match. */
  readonly hostname: string;
  readonly labels: ReadonlyMap<string, string>;
}

export interface Inventory {
  readonly file: string;
  readonly nodes: readonly InventoryNode[];
  /** Where node `i` is written; computed on demand, because only nodes with something to report need it. */
  readonly placeOf: (i: number) => Span;
}

export interface InventoryResult {
  /** Undefined when the file has errors. */
  readonly inventory?: Inventory;
  readonly diagnostics: readonly Diagnostic[];
}

const SHAPE = "the output of `kubectl get nodes -o json` (or `-o yaml`): a List of Nodes, or one Node";

export function readInventory(file: string, text: string): InventoryResult {
  const bag = new DiagnosticBag();
  const first = /\S/.exec(text)?.[0];
  let root: unknown;
  let place: (path: JsonPath) => Span;
  const json = first === "{" || first === "[";
  if (json) {
    try {
      root = JSON.parse(text);
    } catch (e) {
      const msg = (e as Error).message;
      const at = Number(/position (\d+)/.exec(msg)?.[1] ?? 0);
      bag.report("DB5001", { file, start: at, end: Math.min(at + 1, text.length) }, `not valid JSON: ${msg.replace(/ in JSON at position \d+.*$/, "")}`);
      return { diagnostics: bag.items };
    }
    place = (path) => jsonPlace(file, text, path);
  } else {
    const y = loadYaml(file, text);
    // The YAML reader reports with the import band's code; an inventory's problems have their own.
    for (const d of y.diagnostics) bag.report("DB5001", d.span, d.message, d.related ? { related: d.related } : {});
    if (!y.root || y.diagnostics.length) return { diagnostics: bag.items };
    root = plain(y.root);
    const yroot = y.root;
    place = (path) => yamlPlace(yroot, path);
  }
  const nodes = validate(root, (path, message, help) => bag.report("DB5002", place(path), message, help ? { help } : {}), (path, message, firstPath) =>
    bag.report("DB5002", place(path), message, { related: [{ message: "first listed here", span: place(firstPath) }] }),
  );
  if (bag.items.length || !nodes) return { diagnostics: bag.items };
  const list = nodes.list;
  const namePath = (i: number): JsonPath => [...(nodes.single ? [] : ["items", i]), "metadata", "name"];
  // Nodes are written in order, so each search starts where the nearest earlier node found was written: asking for
  // the places of many nodes in order reads the text once.
  const found = new Map<number, number>();
  const placeOf = (i: number): Span => {
    if (json) {
      // kubectl's layout, found at native speed; the scanner walks the structure only when the layout differs.
      const quoted = JSON.stringify(list[i]!.name);
      const needle = `"name": ${quoted}`;
      let from = 0;
      for (const [j, at] of found) if (j < i && at > from) from = at;
      let at = text.indexOf(needle, from);
      if (at < 0 && from > 0) at = text.indexOf(needle);
      if (at >= 0) {
        found.set(i, at);
        return { file, start: at + needle.length - quoted.length, end: at + needle.length };
      }
    }
    return place(namePath(i));
  };
  return { inventory: { file, nodes: list, placeOf }, diagnostics: [] };
}

type Report = (path: JsonPath, message: string, help?: string) => void;
type ReportDuplicate = (path: JsonPath, message: string, firstPath: JsonPath) => void;

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function validate(root: unknown, report: Report, duplicate: ReportDuplicate): { list: InventoryNode[]; single: boolean } | undefined {
  if (!isMap(root)) {
    report([], `expected ${SHAPE}`);
    return undefined;
  }
  const kind = root["kind"];
  if (kind === "Node") {
    const n = node(root, [], report);
    return n ? { list: [n], single: true } : undefined;
  }
  if (kind !== undefined && kind !== "List" && kind !== "NodeList") {
    report(["kind"], `expected a List or a Node, found kind \`${String(kind)}\``, `give ${SHAPE}`);
    return undefined;
  }
  const items = root["items"];
  if (!Array.isArray(items)) {
    report(items === undefined ? [] : ["items"], "a List needs `items`, a list of Nodes");
    return undefined;
  }
  if (items.length === 0) {
    report(["items"], "the inventory has no nodes");
    return undefined;
  }
  const list: InventoryNode[] = [];
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const n = node(item, ["items", i], report);
    if (!n) return;
    const before = seen.get(n.name);
    if (before !== undefined) duplicate(["items", i, "metadata", "name"], `node \`${n.name}\` is listed twice`, ["items", before, "metadata", "name"]);
    else seen.set(n.name, i);
    list.push(n);
  });
  return { list, single: false };
}

function node(item: unknown, at: JsonPath, report: Report): InventoryNode | undefined {
  if (!isMap(item)) {
    report(at, "expected a Node (a map with `metadata`)");
    return undefined;
  }
  if (item["kind"] !== undefined && item["kind"] !== "Node") {
    report([...at, "kind"], `expected a Node, found kind \`${String(item["kind"])}\``, "list nodes with `kubectl get nodes -o json`");
    return undefined;
  }
  const meta = item["metadata"];
  if (!isMap(meta)) {
    report(meta === undefined ? at : [...at, "metadata"], "a Node needs `metadata` with its `name` and `labels`");
    return undefined;
  }
  const name = meta["name"];
  if (typeof name !== "string" || name === "") {
    report(name === undefined ? [...at, "metadata"] : [...at, "metadata", "name"], "a Node needs `metadata.name`, a non-empty string");
    return undefined;
  }
  const raw = meta["labels"];
  if (!isMap(raw)) {
    report(raw === undefined ? [...at, "metadata"] : [...at, "metadata", "labels"], `node \`${name}\` has no \`metadata.labels\` map`, `the kubelet always sets \`${HOSTNAME_LABEL}\`; was the inventory cut down?`);
    return undefined;
  }
  const labels = new Map<string, string>();
  let ok = true;
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v !== "string") {
      report([...at, "metadata", "labels", k], `label \`${k}\` of node \`${name}\` is not a string`, "Kubernetes label values are strings; quote it");
      ok = false;
    } else labels.set(k, v);
  }
  const hostname = labels.get(HOSTNAME_LABEL);
  if (hostname === undefined || hostname === "") {
    report([...at, "metadata", "labels"], `node \`${name}\` has no \`${HOSTNAME_LABEL}\` label`, "the kubelet always sets it, and host rules match it; was the inventory cut down?");
    return undefined;
  }
  return ok ? { name, hostname, labels } : undefined;
}

/** A YAML tree as plain values (every scalar a string: YAML's failsafe schema keeps `true` and `07` as written). */
function plain(n: YNode): unknown {
  if (n.kind === "scalar") return n.style === "empty" ? null : n.text;
  if (n.kind === "seq") return n.items.map(plain);
  return Object.fromEntries(n.entries.map((e) => [e.key.text, plain(e.value)]));
}

function yamlPlace(root: YNode, path: JsonPath): Span {
  let n = root;
  for (const step of path) {
    const next: YNode | undefined = n.kind === "map" && typeof step === "string" ? field(n, step)?.value : n.kind === "seq" && typeof step === "number" ? n.items[step] : undefined;
    if (!next) break;
    n = next;
  }
  return n.span;
}
