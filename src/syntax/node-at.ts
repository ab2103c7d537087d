/** "Node at offset": the chain of syntax nodes around a place in a file, outermost first, for editor features. */
import type * as A from "./ast.js";

export type AnyNode = A.Statement | A.Target | A.Name | A.Value | A.Field;

/** Every node whose span contains `offset` (end inclusive, so a cursor just after a word is on it), outermost first. */
export function nodesAt(file: A.SourceFile, offset: number): AnyNode[] {
  const out: AnyNode[] = [];
  const inside = (n: { span: { start: number; end: number } }) => n.span.start <= offset && offset <= n.span.end;
  const visitValue = (v: A.Value): void => {
    if (!inside(v)) return;
    out.push(v);
    if (v.kind === "List") for (const i of v.items) if (inside(i)) out.push(i);
    if (v.kind === "Block") {
      for (const f of v.fields) {
        if (!inside(f)) continue;
        out.push(f);
        if (inside(f.key)) out.push(f.key);
        visitValue(f.value);
      }
    }
  };
  const visit = (s: A.Statement): void => {
    if (!inside(s)) return;
    out.push(s);
    if (s.kind === "On") {
      if (inside(s.target)) {
        out.push(s.target);
        if (s.target.kind === "HostTarget") {
          if (inside(s.target.name)) out.push(s.target.name);
        } else {
          if (inside(s.target.key)) out.push(s.target.key);
          for (const v of s.target.values) if (inside(v)) out.push(v);
        }
      }
      for (const b of s.body) visit(b);
      return;
    }
    if (inside(s.module)) out.push(s.module);
    if (s.kind === "Disable") return;
    for (const k of s.path) if (inside(k)) out.push(k);
    if (s.kind === "Set") visitValue(s.value);
  };
  for (const s of file.statements) visit(s);
  return out;
}
