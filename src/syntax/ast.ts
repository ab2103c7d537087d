/** The syntax tree of a .dbell file: readonly data, a `span` on every node, discriminated on `kind`. */
import type { Span } from "../diagnostics/span.js";

/** A word or a quoted key: `net.ipv4.ip_forward`, `"/etc/*.conf"`. */
export interface Name {
  readonly kind: "Name";
  readonly text: string;
  readonly quoted: boolean;
  readonly span: Span;
}

/** A single value. `form` records how it was written; `text` is its exact content (escapes decoded). */
export interface Scalar {
  readonly kind: "Scalar";
  readonly text: string;
  readonly form: "word" | "string" | "multiline";
  readonly span: Span;
}

export interface List {
  readonly kind: "List";
  readonly items: readonly Scalar[];
  readonly span: Span;
}

export interface Field {
  readonly kind: "Field";
  readonly key: Name;
  readonly value: Value;
  readonly span: Span;
}

/** `{ key = value ... }` */
export interface Block {
  readonly kind: "Block";
  readonly fields: readonly Field[];
  readonly span: Span;
}

export type Value = Scalar | List | Block;

/** `set MODULE KEY... = VALUE` or `set MODULE KEY... { ... }` */
export interface SetStatement {
  readonly kind: "Set";
  readonly module: Name;
  readonly path: readonly Name[];
  readonly value: Value;
  readonly span: Span;
}

/** `unset MODULE KEY...` (no keys: everything the module inherits) */
export interface UnsetStatement {
  readonly kind: "Unset";
  readonly module: Name;
  readonly path: readonly Name[];
  readonly span: Span;
}

/** `disable MODULE` */
export interface DisableStatement {
  readonly kind: "Disable";
  readonly module: Name;
  readonly span: Span;
}

export interface HostTarget {
  readonly kind: "HostTarget";
  readonly name: Name;
  readonly span: Span;
}

export interface LabelTarget {
  readonly kind: "LabelTarget";
  readonly key: Name;
  readonly values: readonly Scalar[];
  readonly span: Span;
}

export type Target = HostTarget | LabelTarget;

/** `on TARGET { ... }` or `on TARGET set ...`, optionally preceded by `layer` */
export interface OnStatement {
  readonly kind: "On";
  /** The `layer` keyword, when the rule layers over the others instead of replacing them. */
  readonly layer?: Span;
  readonly target: Target;
  readonly body: readonly Statement[];
  readonly span: Span;
}

export type Statement = SetStatement | UnsetStatement | DisableStatement | OnStatement;

export interface SourceFile {
  readonly kind: "SourceFile";
  readonly file: string;
  readonly statements: readonly Statement[];
  readonly span: Span;
}
