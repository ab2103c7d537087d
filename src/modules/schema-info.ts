/** Reading module schemas as data: the schema at a path and its description, for hover and completion in editors. */
import { moduleNamed } from "./registry.js";
import type { FieldSpec, Schema } from "./schema.js";

/** The schema that `set MODULE KEY...` leads to, or undefined where the path leaves the schema. */
export function schemaAt(module: string, path: readonly string[]): Schema | undefined {
  let s: Schema | undefined = moduleNamed(module)?.schema;
  for (const key of path) {
    if (!s) return undefined;
    if (s.kind === "Record") s = s.fields[key]?.schema ?? (s.rest?.matches(key) ? s.rest.value : undefined);
    else if (s.kind === "Dict") s = s.value;
    else return undefined;
  }
  return s;
}

/** The field spec of the last key of `path` where its parent is a record (it carries the field's own doc and `required`). */
export function fieldAt(module: string, path: readonly string[]): FieldSpec | undefined {
  if (path.length === 0) return undefined;
  const parent = schemaAt(module, path.slice(0, -1));
  return parent?.kind === "Record" ? parent.fields[path[path.length - 1]!] : undefined;
}

/** The named fields a record offers; a dictionary's keys are the user's own. */
export function fieldsOf(s: Schema | undefined): readonly (readonly [string, FieldSpec])[] {
  return s?.kind === "Record" ? Object.entries(s.fields) : [];
}

/** The words a value may be, where it is a choice (`true`/`false`, `soft`/`hard`/`-`, ...). */
export function valuesOf(s: Schema | undefined): readonly string[] {
  if (s?.kind === "Scalar") return s.values ?? [];
  if (s?.kind === "List") return s.item.values ?? [];
  return [];
}

/** Markdown for a schema: its doc, what it takes, its allowed values or range, and a record's fields. */
export function describeSchema(s: Schema, field?: FieldSpec): string {
  const lines: string[] = [];
  if (field?.doc && field.doc !== s.doc) lines.push(field.doc);
  lines.push(s.doc);
  if (field?.required) lines.push("Required.");
  if (s.kind === "Scalar" || s.kind === "List") {
    const scalar = s.kind === "Scalar" ? s : s.item;
    if (s.kind === "List") lines.push(`A list \`[...]\` of: ${s.item.doc}`);
    if (scalar.values?.length) lines.push(`Allowed: ${scalar.values.map((v) => `\`${v}\``).join(", ")}`);
    if (scalar.range) lines.push(`A whole number${scalar.range.min !== undefined ? ` from ${scalar.range.min}` : ""}${scalar.range.max !== undefined ? ` to ${scalar.range.max}` : ""}`);
  } else if (s.kind === "Record") {
    const fs = Object.entries(s.fields);
    if (fs.length) lines.push(`Fields: ${fs.map(([k, f]) => `\`${k}\`${f.required ? " (required)" : ""}`).join(", ")}`);
    if (s.rest) lines.push(`Other keys: ${s.rest.doc}`);
  } else lines.push(`Keys: ${s.keyDoc}`);
  return lines.join("\n\n");
}
