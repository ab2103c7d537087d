/** Generated from DbellParser by `npm run generate`; do not edit. */
import type { CstNode, ICstVisitor, IToken } from "chevrotain";

export interface FileCstNode extends CstNode {
  name: "file";
  children: FileCstChildren;
}

export type FileCstChildren = {
  statement?: StatementCstNode[];
};

export interface StatementCstNode extends CstNode {
  name: "statement";
  children: StatementCstChildren;
}

export type StatementCstChildren = {
  setStatement?: SetStatementCstNode[];
  unsetStatement?: UnsetStatementCstNode[];
  disableStatement?: DisableStatementCstNode[];
  onStatement?: OnStatementCstNode[];
  Semicolon?: IToken[];
};

export interface SetStatementCstNode extends CstNode {
  name: "setStatement";
  children: SetStatementCstChildren;
}

export type SetStatementCstChildren = {
  Set: IToken[];
  module: IToken[];
  key?: KeyCstNode[];
  Equals?: IToken[];
  value?: ValueCstNode[];
  block?: BlockCstNode[];
};

export interface UnsetStatementCstNode extends CstNode {
  name: "unsetStatement";
  children: UnsetStatementCstChildren;
}

export type UnsetStatementCstChildren = {
  Unset: IToken[];
  module: IToken[];
  key?: KeyCstNode[];
};

export interface DisableStatementCstNode extends CstNode {
  name: "disableStatement";
  children: DisableStatementCstChildren;
}

export type DisableStatementCstChildren = {
  Disable: IToken[];
  module: IToken[];
};

export interface OnStatementCstNode extends CstNode {
  name: "onStatement";
  children: OnStatementCstChildren;
}

export type OnStatementCstChildren = {
  Layer?: IToken[];
  On: IToken[];
  target: TargetCstNode[];
  LBrace?: IToken[];
  statement?: StatementCstNode[];
  RBrace?: IToken[];
  setStatement?: SetStatementCstNode[];
  unsetStatement?: UnsetStatementCstNode[];
};

export interface TargetCstNode extends CstNode {
  name: "target";
  children: TargetCstChildren;
}

export type TargetCstChildren = {
  Label?: IToken[];
  labelKey?: KeyCstNode[];
  In?: IToken[];
  list?: ListCstNode[];
  Host?: IToken[];
  hostName?: KeyCstNode[];
};

export interface BlockCstNode extends CstNode {
  name: "block";
  children: BlockCstChildren;
}

export type BlockCstChildren = {
  LBrace: IToken[];
  field?: FieldCstNode[];
  RBrace: IToken[];
};

export interface FieldCstNode extends CstNode {
  name: "field";
  children: FieldCstChildren;
}

export type FieldCstChildren = {
  key: KeyCstNode[];
  Equals?: IToken[];
  value?: ValueCstNode[];
  block?: BlockCstNode[];
  Semicolon?: IToken[];
  Comma?: IToken[];
};

export interface ValueCstNode extends CstNode {
  name: "value";
  children: ValueCstChildren;
}

export type ValueCstChildren = {
  scalar?: ScalarCstNode[];
  list?: ListCstNode[];
  block?: BlockCstNode[];
};

export interface ListCstNode extends CstNode {
  name: "list";
  children: ListCstChildren;
}

export type ListCstChildren = {
  LBracket: IToken[];
  key?: KeyCstNode[];
  Comma?: IToken[];
  RBracket: IToken[];
};

export interface KeyCstNode extends CstNode {
  name: "key";
  children: KeyCstChildren;
}

export type KeyCstChildren = {
  KeyName?: IToken[];
  QuotedString?: IToken[];
  RawString?: IToken[];
  UnclosedString?: IToken[];
};

export interface ScalarCstNode extends CstNode {
  name: "scalar";
  children: ScalarCstChildren;
}

export type ScalarCstChildren = {
  Name?: IToken[];
  QuotedString?: IToken[];
  RawString?: IToken[];
  TripleString?: IToken[];
  UnclosedString?: IToken[];
  UnclosedTriple?: IToken[];
};

export interface ICstNodeVisitor<IN, OUT> extends ICstVisitor<IN, OUT> {
  file(children: FileCstChildren, param?: IN): OUT;
  statement(children: StatementCstChildren, param?: IN): OUT;
  setStatement(children: SetStatementCstChildren, param?: IN): OUT;
  unsetStatement(children: UnsetStatementCstChildren, param?: IN): OUT;
  disableStatement(children: DisableStatementCstChildren, param?: IN): OUT;
  onStatement(children: OnStatementCstChildren, param?: IN): OUT;
  target(children: TargetCstChildren, param?: IN): OUT;
  block(children: BlockCstChildren, param?: IN): OUT;
  field(children: FieldCstChildren, param?: IN): OUT;
  value(children: ValueCstChildren, param?: IN): OUT;
  list(children: ListCstChildren, param?: IN): OUT;
  key(children: KeyCstChildren, param?: IN): OUT;
  scalar(children: ScalarCstChildren, param?: IN): OUT;
}
