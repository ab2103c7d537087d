/** parse() keeps what tools need (tokens, comments), and nodesAt finds the syntax around an offset. */
import { describe, expect, it } from "vitest";
import { parse } from "../../src/syntax/parse.js";
import { nodesAt } from "../../src/syntax/node-at.js";

const text = "# c\nset mounts m { options { a = 1 } }\non label role in [db, web] set sysctl vm.a = 2\n";
const r = parse("p.dbell", text);
const kindsAt = (needle: string, delta = 0) => nodesAt(r.ast, text.indexOf(needle) + delta).map((n) => `${n.kind}:${text.slice(n.span.start, n.span.end).split(" ")[0]}`);

describe("parse() for tools", () => {
  it("returns the tokens, the comments and the statements", () => {
    expect(r.tokens.map((t) => t.image).slice(0, 4)).toEqual(["set", "mounts", "m", "{"]);
    expect(r.comments.map((c) => text.slice(c.start, c.end))).toEqual(["# c"]);
    expect(r.ast.statements.map((s) => s.kind)).toEqual(["Set", "On"]);
  });
});

describe("nodesAt", () => {
  it("lists the nodes around an offset, outermost first, down to a nested field's value", () => {
    expect(kindsAt("1")).toEqual(["Set:set", "Block:{", "Field:options", "Block:{", "Field:a", "Scalar:1"]);
    expect(kindsAt("mounts", 2)).toEqual(["Set:set", "Name:mounts"]);
  });

  it("finds target keys and values, and the statement inside a rule", () => {
    expect(kindsAt("role")).toEqual(["On:on", "LabelTarget:label", "Name:role"]);
    expect(kindsAt("web")).toEqual(["On:on", "LabelTarget:label", "Scalar:web"]);
    expect(kindsAt("vm.a")).toEqual(["On:on", "Set:set", "Name:vm.a"]);
  });

  it("finds nothing in a comment", () => {
    expect(nodesAt(r.ast, 1)).toEqual([]);
  });
});
