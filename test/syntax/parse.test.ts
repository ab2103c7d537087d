/** The front end: what parses, what it becomes, and where errors land. */
import { describe, expect, it } from "vitest";
import { parse } from "../../src/syntax/parse.js";
import type { SetStatement, OnStatement, Block, Scalar } from "../../src/syntax/ast.js";

function ok(text: string) {
  const r = parse("t.dbell", text);
  expect(r.diagnostics.map((d) => `${d.code} ${text.slice(d.span.start, d.span.end)}`)).toEqual([]);
  return r.ast.statements;
}

function codes(text: string): [string, string][] {
  return parse("t.dbell", text).diagnostics.map((d) => [d.code, text.slice(d.span.start, d.span.end)]);
}

describe("parse", () => {
  it("parses the design card's line as written", () => {
    const [s] = ok("on label compute_type in [dpdk,sriov] set sysctl net.ipv4.ip_forward = 0");
    const on = s as OnStatement;
    expect(on.kind).toBe("On");
    expect(on.target).toMatchObject({ kind: "LabelTarget", key: { text: "compute_type" }, values: [{ text: "dpdk" }, { text: "sriov" }] });
    const set = on.body[0] as SetStatement;
    expect(set.module.text).toBe("sysctl");
    expect(set.path.map((p) => p.text)).toEqual(["net.ipv4.ip_forward"]);
    expect(set.value).toMatchObject({ kind: "Scalar", text: "0", form: "word" });
  });

  it("keeps numbers and modes exactly as written", () => {
    const ss = ok("set a b = 1000000\nset a c = 0640\nset a d = 1e6\nset a e = 0x10\nset a f = -1");
    expect(ss.map((s) => ((s as SetStatement).value as Scalar).text)).toEqual(["1000000", "0640", "1e6", "0x10", "-1"]);
  });

  it("decodes the three string forms exactly", () => {
    const text = [
      `set a b = "tab\\tq\\"uote\\\\ \\u{1F600} \\$HOME"`,
      `set a c = '$6$salt$hash\\n'`,
      `set a d = """`,
      `    #!/bin/sh`,
      `      echo "indented"`,
      ``,
      `    """`,
      `set a e = """`,
      `  no final newline"""`,
    ].join("\n");
    const vals = ok(text).map((s) => ((s as SetStatement).value as Scalar).text);
    expect(vals).toEqual(['tab\tq"uote\\ \u{1F600} $HOME', "$6$salt$hash\\n", '#!/bin/sh\n  echo "indented"\n\n', "  no final newline"]);
  });

  it("parses blocks, nested blocks, lists and comments", () => {
    const [s] = ok(`# comment\nset exec run { # trailing\n  args = [a, "b c", 'd',]\n  env { X = 1; Y = 2 }\n}`);
    const block = (s as SetStatement).value as Block;
    expect(block.fields.map((f) => f.key.text)).toEqual(["args", "env"]);
    expect(block.fields[0]!.value).toMatchObject({ kind: "List", items: [{ text: "a" }, { text: "b c" }, { text: "d" }] });
    expect((block.fields[1]!.value as Block).fields.map((f) => f.key.text)).toEqual(["X", "Y"]);
  });

  it("parses host targets with blocks, unset and keywords used as values", () => {
    const [s] = ok("on host node-1.example.com {\n  set ethtool ens3 gro = on\n  unset sysctl vm.swappiness\n  unset apt package\n}");
    const on = s as OnStatement;
    expect(on.target).toMatchObject({ kind: "HostTarget", name: { text: "node-1.example.com" } });
    expect(on.body.map((b) => b.kind)).toEqual(["Set", "Unset", "Unset"]);
    expect(((on.body[0] as SetStatement).value as Scalar).text).toBe("on");
  });

  it("reports every syntax error of a file in one run", () => {
    const got = codes("set sysctl a 1\nset sysctl b = 2\nset sysctl c {\non lable x in [y] set sysctl d = 1\nset sysctl e = \"x\\q\"\n");
    expect(got.map((g) => g[0])).toEqual(expect.arrayContaining(["DB1004", "DB1006", "DB1003"]));
    expect(got).toContainEqual(["DB1006", "lable"]);
    expect(got).toContainEqual(["DB1003", "\\q"]);
  });

  it("suggests the keyword for a misspelt statement", () => {
    const r = parse("t.dbell", "sett sysctl a = 1");
    expect(r.diagnostics[0]).toMatchObject({ code: "DB1005", help: "did you mean `set`?" });
  });

  it("reports unterminated strings at the quote", () => {
    expect(codes('set a b = "open\nset a c = 1')).toContainEqual(["DB1002", '"open']);
    expect(codes('set a b = """\nnever closed')[0]).toEqual(["DB1002", '"""']);
  });

  it("rejects text after an opening triple quote and under-indented lines", () => {
    expect(codes('set a b = """x\n"""')).toContainEqual(["DB1008", '"""x']);
    expect(codes('set a b = """\n  ok\n bad\n  """')).toContainEqual(["DB1008", " bad"]);
  });

  it("rejects `on` nested in a target", () => {
    expect(codes("on host a { on host b set x y = 1 }")).toEqual([["DB1007", "host b"]]);
  });

  it("spans are half-open UTF-16 ranges", () => {
    const text = "set sysctl k = \"é\u{1F600}\"";
    const [s] = ok(text);
    const v = (s as SetStatement).value;
    expect(text.slice(v.span.start, v.span.end)).toBe('"é\u{1F600}"');
  });
});

describe("error recovery", () => {
  const kept = (text: string) => parse("t.dbell", text).ast.statements.map((s) => text.slice(s.span.start, s.span.end).split("\n")[0]);

  it("reports a missing key where it is missing, without taking the next word for it", () => {
    const text = "on label = 1\non label role in [x] set sysctl vm.swappiness = 1\n";
    expect(codes(text)).toEqual([["DB1004", "="]]);
    expect(kept(text)).toEqual(["on label role in [x] set sysctl vm.swappiness = 1"]);
  });

  it("drops a rule whose target is broken and keeps reading after its block", () => {
    const text = "on label =role in [x] {\n  set sysctl vm.swappiness = 1\n}\nset sysctl vm.swappiness = 2\n";
    expect(codes(text)).toEqual([["DB1004", "="]]);
    expect(kept(text)).toEqual(["set sysctl vm.swappiness = 2"]);
  });

  it("keeps what a rule cut off by the end of the file holds", () => {
    const text = "on host n1 {\n  set sysctl vm.swappiness = 1\n  set sysctl fs.file-max = 2\n";
    const r = parse("t.dbell", text);
    expect(r.diagnostics.map((d) => d.message)).toEqual(["expected `}`, found end of file"]);
    expect((r.ast.statements[0] as OnStatement).body.map((s) => (s as SetStatement).path[0]!.text)).toEqual(["vm.swappiness", "fs.file-max"]);
  });

  it("keeps the complete fields of a block whose last value is cut off", () => {
    const text = 'set limits a { domain = "*" type = soft item = nofile value = [\n';
    expect(codes(text)).toEqual([["DB1004", ""]]);
    const block = (parse("t.dbell", text).ast.statements[0] as SetStatement).value as Block;
    expect(block.fields.map((f) => f.key.text)).toEqual(["domain", "type", "item"]);
  });
});
