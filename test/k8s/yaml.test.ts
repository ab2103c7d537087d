/** The YAML writer: deterministic key order, comments, and strings that no YAML 1.1 or 1.2 reader retypes. */
import fc from "fast-check";
import yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { commentKey, scalar, shared, yamlDocument, yamlStream, yamlStreamDocument, type YamlValue } from "../../src/backends/k8s/yaml.js";

// Implicit types of YAML 1.1 (https://yaml.org/type/), which kubectl's older libraries and many tools still apply.
const YAML11_IMPLICIT = [
  /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^[-+]?(0b[01_]+|0[0-7_]+|(0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+|[1-9][0-9_]*(:[0-5]?[0-9])+)$/,
  /^[-+]?([0-9][0-9_]*)?\.[0-9.]*([eE][-+][0-9]+)?$|^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*$|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$/,
  /^(~|null|Null|NULL|)$/,
  /^[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?/,
  /^(<<|=)$/,
];

function isPlain(text: string): boolean {
  return !text.startsWith('"');
}

describe("yaml writer", () => {
  it("quotes every string a YAML reader would take for a number, boolean, null or date", () => {
    for (const s of ["0755", "0640", "yes", "no", "on", "off", "y", "N", "True", "null", "~", "", "1e3", "0x1f", "1:20", "2001-12-14", ".inf", "-", "<<", "=", "100%", "a: b", "#x", " lead", "x\ny", "\u2028"]) {
      const out = scalar(s);
      expect(isPlain(out), s).toBe(false);
      expect(yaml.load(`v: ${out}`)).toEqual({ v: s });
    }
    expect(scalar("linux")).toBe("linux");
    expect(scalar("/bin/bash")).toBe("/bin/bash");
    expect(scalar("kubernetes.io/os")).toBe("kubernetes.io/os");
    expect(scalar(365)).toBe("365");
    expect(scalar(true)).toBe("true");
  });

  it("writes plain only what no YAML 1.1 implicit type matches, and everything reads back unchanged", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.stringMatching(/^[A-Za-z0-9._/+=:-]{0,8}$/)), (s) => {
        const out = scalar(s);
        if (isPlain(out)) for (const re of YAML11_IMPLICIT) expect(re.test(out), `${out} matches ${re}`).toBe(false);
        expect(yaml.load(`v: ${out}`)).toEqual({ v: s });
      }),
      { numRuns: 2000 },
    );
  });

  it("round-trips nested maps and lists", () => {
    const leaf = fc.oneof(fc.string(), fc.integer(), fc.boolean());
    const tree = fc.letrec<{ node: YamlValue }>((tie) => ({
      node: fc.oneof({ depthSize: "small" }, leaf, fc.array(tie("node"), { maxLength: 20 }), fc.dictionary(fc.string(), tie("node"), { maxKeys: 5 })),
    })).node;
    fc.assert(
      fc.property(fc.dictionary(fc.string(), tree), (doc) => {
        expect(yaml.load(yamlDocument(doc))).toEqual(doc);
      }),
      { numRuns: 500 },
    );
  });

  it("puts apiVersion, kind, metadata and name first, then sorts keys", () => {
    const text = yamlDocument({ spec: { z: 1, name: "nm", a: [] }, metadata: { name: "x", labels: {} }, kind: "Secret", apiVersion: "v1" });
    expect(text).toBe("apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\n  labels: {}\nspec:\n  name: nm\n  a: []\n  z: 1\n");
  });

  it("writes comments above keys and documents, and streams with ---", () => {
    const c = { name: "c", securityContext: { privileged: true } };
    commentKey(c, "securityContext", "privileged: needs\nthe host's namespaces");
    const text = yamlDocument({ items: [c] }, ["from site.dbell:3"]);
    expect(text).toBe("# from site.dbell:3\nitems:\n- name: c\n  # privileged: needs\\nthe host's namespaces\n  securityContext:\n    privileged: true\n");
    expect(yamlStream([text, "a: 1\n"])).toBe(`---\n${text}---\na: 1\n`);
    expect(yamlStreamDocument({ items: [c] }, ["from site.dbell:3"])).toBe(yamlStream([text]));
    expect(yaml.loadAll(yamlStream([text, "a: 1\n"]))).toEqual([{ items: [{ name: "c", securityContext: { privileged: true } }] }, { a: 1 }]);
  });

  it("renders shared values like any other, at every indentation they appear", () => {
    const hosts = Array.from({ length: 100 }, (_, i) => `h${i}`);
    const container = { name: "c", args: ["0755", "x"], env: [{ name: "A", value: "on" }] };
    const plain = { a: { values: [...hosts] }, b: [{ values: [...hosts], c: structuredClone(container) }], d: structuredClone(container) };
    const sharedHosts = shared(hosts);
    const sharedContainer = shared(container);
    const doc = { a: { values: sharedHosts }, b: [{ values: sharedHosts, c: sharedContainer }], d: sharedContainer };
    expect(yamlDocument(doc)).toBe(yamlDocument(plain));
    expect(yamlDocument(doc)).toBe(yamlDocument(plain));
    expect(yaml.load(yamlDocument(doc))).toEqual(plain);
  });

  it("writes multi-line text as a literal block that reads back exactly, trailing and leading breaks included", () => {
    expect(yamlDocument({ data: { "a.sh": "#!/bin/bash\necho hi\n" } })).toBe("data:\n  a.sh: |\n    #!/bin/bash\n    echo hi\n");
    expect(yamlDocument({ k: "a\nb" })).toBe("k: |-\n  a\nb".replace("\nb", "\n  b") + "\n");
    expect(yamlDocument({ k: "a\n\n" })).toBe("k: |+\n  a\n\n");
    expect(yamlDocument({ k: "  indented\nx\n" })).toBe("k: |2\n    indented\n  x\n");
    const line = fc.stringMatching(/^[ \tA-Za-z0-9#'"|>:{}\[\]-]{0,12}$/);
    fc.assert(
      fc.property(fc.array(line, { minLength: 2, maxLength: 8 }), fc.constantFrom("", "\n", "\n\n"), (lines, end) => {
        const text = lines.join("\n") + end;
        const doc = { data: { "x.sh": text }, list: [text] };
        expect(yaml.load(yamlDocument(doc))).toEqual(doc);
      }),
      { numRuns: 1000 },
    );
  });

  it("falls back to a quoted string for text a literal block cannot hold", () => {
    for (const s of ["a\r\nb", "a\n\u0085b", "a\n\u2028", "a\n\u0007", "\ufeffa\nb"]) {
      const text = yamlDocument({ k: s });
      expect(text.startsWith('k: "'), JSON.stringify(s)).toBe(true);
      expect(yaml.load(text)).toEqual({ k: s });
    }
  });

  it("escapes in header comments every line break YAML knows, so a header cannot end its comment", () => {
    const header = "rule host:a\rb\nc\u0085d\u2028e\u2029f\\g";
    const text = yamlDocument({ a: 1 }, [header]);
    expect(text).toBe("# rule host:a\\rb\\nc\\u0085d\\u2028e\\u2029f\\\\g\na: 1\n");
    expect(yaml.load(text)).toEqual({ a: 1 });
  });
});
