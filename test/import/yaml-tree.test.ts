/** The located YAML tree: the same structure and texts js-yaml reads, with each scalar's style and place. */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { loadYaml, type YNode } from "../../src/import/yaml-tree.js";

type Plain = null | string | Plain[] | { [k: string]: Plain };

function plain(n: YNode): Plain {
  if (n.kind === "scalar") return n.style === "empty" ? null : n.text;
  if (n.kind === "seq") return n.items.map(plain);
  return Object.fromEntries(n.entries.map((e) => [e.key.text, plain(e.value)]));
}

function* scalars(n: YNode): Generator<YNode & { kind: "scalar" }> {
  if (n.kind === "scalar") yield n;
  else if (n.kind === "seq") for (const i of n.items) yield* scalars(i);
  else for (const e of n.entries) yield* [e.key, ...scalars(e.value)];
}

const dir = join(import.meta.dirname, "fixtures");
const samples: Record<string, string> = {
  ...Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith(".yaml")).map((f) => [f, readFileSync(join(dir, f), "utf8")])),
  "document markers and comments": "---\n# top\na: # after key\n  # before value\n  b: 1 # trailing\n...\n",
  "block scalars": "a: |+\n  keep\n\nb: >-\n  folded\n  text\nc: |2\n    indented\n",
  "flow over lines": "a: {b: [1,\n  2], 'c d': \"e\\nf\"}\n",
  "anchors and tags": "a: &x !!str 0640\nb: *x\nc: !!map {d: &y [1]}\ne: *y\n",
  "empty values": "a:\nb: []\nc: {}\nd:\n  -\n  - ~\n",
  "keys of every style": "'single': 1\n\"double\": 2\n? explicit\n: 3\n4: four\n",
};

describe("loadYaml", () => {
  for (const [name, text] of Object.entries(samples)) {
    it(`reads ${name} as js-yaml does, with every plain scalar's place`, () => {
      const r = loadYaml("v.yaml", text);
      expect(r.diagnostics).toEqual([]);
      expect(plain(r.root!)).toEqual(yaml.load(text, { schema: yaml.FAILSAFE_SCHEMA }) ?? null);
      for (const s of scalars(r.root!)) {
        if (s.style === "plain" && !s.text.includes("\n")) expect(text.slice(s.span.start, s.span.end)).toBe(s.text);
        if (s.style === "quoted" && text[s.span.start] !== "0") expect(["'", '"']).toContain(text[s.span.start]);
      }
    });
  }

  it("places scalars right after a byte-order mark and at the end of a file without a final newline", () => {
    const text = "\ufeffa: 1\nb: xyz";
    const r = loadYaml("v.yaml", text);
    const spans = [...scalars(r.root!)].map((s) => text.slice(s.span.start, s.span.end));
    expect(spans).toEqual(["a", "1", "b", "xyz"]);
  });

  it("tells plain from quoted scalars, so YAML 1.1 typing applies only to plain ones", () => {
    const r = loadYaml("v.yaml", "a: on\nb: 'on'\nc: !!str on\nd: |\n  on\n");
    const root = r.root!;
    expect(root.kind === "map" && root.entries.map((e) => (e.value.kind === "scalar" ? e.value.style : e.value.kind))).toEqual(["plain", "quoted", "quoted", "block"]);
  });
});
