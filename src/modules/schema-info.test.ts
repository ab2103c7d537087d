/** Module schemas read as data (hover and completion): enum words, ranges, fields and docs, with no second copy. */
import { describe, expect, it } from "vitest";
import { describeSchema, fieldAt, fieldsOf, schemaAt, valuesOf } from "./schema-info.js";

describe("schema introspection", () => {
  it("walks records, dictionaries and rest keys by path", () => {
    expect(schemaAt("sysctl", ["net.ipv4.ip_forward"])?.kind).toBe("Scalar");
    expect(schemaAt("limits", ["nofile", "type"])?.kind).toBe("Scalar");
    expect(schemaAt("perm", ["/etc/x", "mode"])?.kind).toBe("Scalar");
    expect(schemaAt("limits", ["nofile", "nope"])).toBeUndefined();
    expect(schemaAt("sysctll", [])).toBeUndefined();
  });

  it("exposes the words a value may be and the range of a number", () => {
    expect(valuesOf(schemaAt("limits", ["nofile", "type"]))).toEqual(["soft", "hard", "-"]);
    expect(valuesOf(schemaAt("users", ["user", "ops", "sudo"]))).toEqual(["true", "false"]);
    const max = schemaAt("exec", ["x", "rerun_max_count"]);
    expect(max?.kind === "Scalar" && max.range).toEqual({ min: 0, max: expect.any(Number) });
  });

  it("lists a record's fields with required marks, and describes them", () => {
    const fields = fieldsOf(schemaAt("limits", ["nofile"])).map(([n, f]) => `${n}${f.required ? "!" : ""}`);
    expect(fields).toEqual(expect.arrayContaining(["domain!", "type!", "item!", "value!"]));
    const type = schemaAt("limits", ["nofile", "type"])!;
    expect(describeSchema(type, fieldAt("limits", ["nofile", "type"]))).toContain("Required.");
    expect(describeSchema(type)).toContain("Allowed: `soft`, `hard`, `-`");
  });
});
