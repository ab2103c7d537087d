/**
 * Reads a node inventory: the output of `kubectl get nodes -o json` or `-o yaml` (a `List` or `NodeList`), or a single
 * `Node`. Each node's hostname is its `kubernetes.io/hostname` label, as the scheduler sees it; every label is taken
 * as given. Malformed or partial input gets DB6001/DB6002 diagnostics that point into the file.
 */
import { DiagnosticBag, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { Span } from "../diagnostics/span.js";
import type { NodeFacts } from "../ir/ir.js";
import { HOSTNAME_LABEL } from "../ir/variant.js";
import yaml from "js-yaml";
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
    // PowerShell writes a byte-order mark in front of redirected output; JSON.parse does not skip it.
    const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    try {
      root = JSON.parse(bom ? text.slice(1) : text);
    } catch (e) {
      const msg = (e as Error).message;
      const at = Math.min(Number(/position (\d+)/.exec(msg)?.[1] ?? 0) + bom, text.length);
      bag.report("DB6001", { file, start: at, end: Math.min(at + 1, text.length) }, `not valid JSON: ${msg.replace(/ in JSON at position \d+.*$/, "")}`);
      return { diagnostics: bag.items };
    }
    place = (path) => jsonPlace(file, text, path);
  } else {
    try {
      // Every scalar a string, as label values are: YAML's failsafe schema keeps `true` and `07` as written.
      root = yaml.load(text, { filename: file, schema: yaml.FAILSAFE_SCHEMA });
    } catch (e) {
      const err = e as { mark?: { position?: number }; reason?: string; message?: string };
      const at = Math.min(err.mark?.position ?? 0, text.length);
      bag.report("DB6001", { file, start: at, end: Math.min(at + 1, text.length) }, `not valid YAML: ${err.reason ?? err.message ?? "unreadable"}`);
      return { diagnostics: bag.items };
    }
    // The located reader is several times slower, so it runs only when there is a place to tell.
    let located: YNode | undefined;
    place = (path) => yamlPlace((located ??= loadYaml(file, text).root ?? { kind: "scalar", text: "", style: "empty", span: { file, start: 0, end: 0 } }), path);
  }
  const nodes = validate(root, (path, message, help) => bag.report("DB6002", place(path), message, help ? { help } : {}), (path, message, firstPath) =>
    bag.report("DB6002", place(path), message, { related: [{ message: "first listed here", span: place(firstPath) }] }),
  );
  if (bag.items.length || !nodes) return { diagnostics: bag.items };
  const list = nodes.list;
  const namePath = (i: number): JsonPath => [...(nodes.single ? [] : ["items", i]), "metadata", "name"];
  // Nodes are written in order, so each search starts where the nearest earlier node found was written: asking for
  // the places of many nodes in order reads the text once.
  const found = new Map<number, number>();
  const placeOf = (i: number): Span => {
    // kubectl's layout (`"name": "x"`, or `name: x` alone on its line), found at native speed; the structure is
    // walked only when the layout differs.
    const name = list[i]!.name;
    const value = json ? JSON.stringify(name) : name;
    const needle = json ? `"name": ${value}` : `name: ${value}\n`;
    const ok = (at: number) => json || /\n[ -]*$/.test(text.slice(Math.max(0, at - 80), at));
    let from = 0;
    for (const [j, at] of found) if (j < i && at > from) from = at;
    for (let at = text.indexOf(needle, from), wrapped = from === 0; ; at = text.indexOf(needle, at + 1)) {
      if (at < 0 && !wrapped) {
        wrapped = true;
        at = text.indexOf(needle);
      }
      if (at < 0) break;
      if (!ok(at)) continue;
      found.set(i, at);
      const start = at + needle.indexOf(value, needle.length - value.length - 1);
      return { file, start, end: start + value.length };
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

function yamlPlace(root: YNode, path: JsonPath): Span {
  let n = root;
  for (const step of path) {
    const next: YNode | undefined = n.kind === "map" && typeof step === "string" ? field(n, step)?.value : n.kind === "seq" && typeof step === "number" ? n.items[step] : undefined;
    if (!next) break;
    n = next;
  }
  return n.span;
}
