/** AST → policy IR: resolves module names, converts values under each module's schema, merges blocks into rules. */
import { DiagnosticBag, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { Span } from "../diagnostics/span.js";
import { didYouMean } from "../diagnostics/suggest.js";
import type * as A from "../syntax/ast.js";
import type { ConfigNode, HostTarget, LabelTarget, MapEntry, MapNode, ModulePart, Policy, Rule, UnsetIR } from "../ir/ir.js";
import { emptyMap } from "../ir/tree.js";
import { moduleNamed, moduleNames } from "../modules/registry.js";
import { childSchema, toNode, type Schema } from "../modules/schema.js";
import { labelKeyProblem, labelValueProblem } from "./names.js";
import { DEPLOY, deploySchema, reportDeployInTarget, resolveDeploy } from "./deploy.js";
import { checkLayeredMixing } from "./layers.js";

export interface LowerResult {
  readonly policy: Policy;
  readonly diagnostics: readonly Diagnostic[];
}

interface PartBuilder {
  /** Made on the first `set`: most parts are one statement, whose tree becomes the part's. */
  sets: MapNode | undefined;
  /** The file of the part's first statement, the place of an empty tree. */
  file: string;
  unsets: UnsetIR[];
  origins: Span[];
}

interface RuleBuilder {
  target: HostTarget | LabelTarget;
  layered: boolean;
  index: number;
  origins: Span[];
  parts: Map<string, PartBuilder>;
}

export function lower(files: readonly A.SourceFile[]): LowerResult {
  const bag = new DiagnosticBag();
  const defaults = new Map<string, PartBuilder>();
  const rules = new Map<string, RuleBuilder>();
  const disabled = new Map<string, Span>();
  const deploy: PartBuilder = { sets: undefined, file: files[0]?.file ?? "", unsets: [], origins: [] };

  for (const f of files) {
    for (const s of f.statements) {
      switch (s.kind) {
        case "Set":
          if (s.module.text === DEPLOY) addSetUnder(deploy, s, deploySchema(moduleNames()), DEPLOY, bag);
          else addSet(part(defaults, s.module.text, f.file), s, bag);
          break;
        case "Unset":
          bag.report("DB2010", s.span, "`unset` outside an `on` target", { help: "the defaults inherit nothing; remove the statement, or put it in an `on host`/`on label` rule" });
          break;
        case "Disable":
          disable(s, disabled, bag);
          break;
        case "On":
          lowerOn(s, rules, bag);
          break;
        default:
          assertNever(s);
      }
    }
  }

  for (const [name, span] of disabled) {
    const users = [defaults.get(name), ...[...rules.values()].map((r) => r.parts.get(name))].filter((p): p is PartBuilder => !!p && p.origins.length > 0);
    if (users.length) bag.report("DB2012", span, `module \`${name}\` is disabled but also configured`, { related: users.map((p) => ({ message: "configured here", span: p.origins[0]! })) });
  }

  const origin0: Span = { file: files[0]?.file ?? "", start: 0, end: 0 };
  const enabled = moduleNames().filter((m) => !disabled.has(m));
  const policy: Policy = {
    modules: enabled,
    deploy: resolveDeploy(setsOf(deploy), enabled, files[0]?.file),
    disabled,
    defaults: new Map(enabled.map((m) => [m, freeze(m, defaults.get(m) ?? { sets: emptyMap(origin0), file: origin0.file, unsets: [], origins: [] })])),
    rules: [...rules.values()].map((r): Rule => ({ target: r.target, index: r.index, layered: r.layered, origins: r.origins, parts: frozenParts(r.parts, disabled) })),
  };
  checkLayeredMixing(policy, bag);
  return { policy, diagnostics: bag.items };
}

function freeze(module: string, p: PartBuilder): ModulePart {
  return { module, sets: setsOf(p), unsets: p.unsets, origins: p.origins };
}

function setsOf(p: PartBuilder): MapNode {
  return p.sets ?? emptyMap({ file: p.file, start: 0, end: 0 });
}

/** A rule's parts without disabled modules and without parts whose every statement was refused. */
function frozenParts(parts: ReadonlyMap<string, PartBuilder>, disabled: ReadonlyMap<string, Span>): Map<string, ModulePart> {
  const out = new Map<string, ModulePart>();
  for (const [m, p] of parts) if (!disabled.has(m) && p.origins.length > 0) out.set(m, freeze(m, p));
  return out;
}

function part(parts: Map<string, PartBuilder>, module: string, file: string): PartBuilder {
  let p = parts.get(module);
  if (!p) {
    p = { sets: undefined, file, unsets: [], origins: [] };
    parts.set(module, p);
  }
  return p;
}

function checkModule(name: A.Name, bag: DiagnosticBag): boolean {
  if (moduleNamed(name.text)) return true;
  const help = didYouMean(name.text, moduleNames()) ?? `modules are ${moduleNames().map((m) => `\`${m}\``).join(", ")}`;
  bag.report("DB2001", name.span, `unknown module \`${name.text}\``, { help });
  return false;
}

function disable(s: A.DisableStatement, disabled: Map<string, Span>, bag: DiagnosticBag): void {
  if (!checkModule(s.module, bag)) return;
  const prev = disabled.get(s.module.text);
  if (prev) bag.report("DB2012", s.span, `module \`${s.module.text}\` is disabled twice`, { related: [{ message: "first disabled here", span: prev }] });
  else disabled.set(s.module.text, s.span);
}

/** `set MODULE k1 .. kn = V`: V converted under the schema at that path, wrapped in maps, merged into the part. */
function addSet(p: PartBuilder, s: A.SetStatement, bag: DiagnosticBag): void {
  if (!checkModule(s.module, bag)) return;
  const mod = moduleNamed(s.module.text)!;
  addSetUnder(p, s, mod.schema, mod.name, bag);
}

function addSetUnder(p: PartBuilder, s: A.SetStatement, top: Schema, name: string, bag: DiagnosticBag): void {
  let schema: Schema | undefined = top;
  let where = name;
  for (const k of s.path) {
    schema = childSchema(schema, k, where, bag);
    if (!schema) return;
    where += ` ${k.text}`;
  }
  const value = toNode(s.value, schema, where, bag);
  if (!value) return;
  let node: ConfigNode = value;
  for (let i = s.path.length - 1; i >= 0; i--) {
    const k = s.path[i]!;
    node = { kind: "Map", entries: new Map([[k.text, { key: k.text, keyOrigin: k.span, value: node }]]), origin: s.span };
  }
  if (node.kind !== "Map") {
    bag.report("DB2004", s.value.span, `\`${where}\` expects a block \`{ ... }\``);
    return;
  }
  p.sets = p.sets ? mergeStrict(p.sets, node, name, bag) : node;
  p.origins.push(s.span);
}

/**
 * Merges a statement's tree into the rule's tree built so far: maps merge, and a leaf written in both is an error
 * naming both places. The rule's tree belongs to this builder alone (every node in it was made for this policy), so
 * it is extended in place: copying it per statement would make a file of n top-level settings cost n².
 */
function mergeStrict(base: MapNode, over: MapNode, where: string, bag: DiagnosticBag): MapNode {
  if (base.entries.size === 0) return over;
  const entries = base.entries as Map<string, MapEntry>;
  for (const [k, e] of over.entries) {
    const old = entries.get(k);
    if (!old) entries.set(k, e);
    else if (old.value.kind === "Map" && e.value.kind === "Map") entries.set(k, { ...old, value: mergeStrict(old.value, e.value, `${where} ${k}`, bag) });
    else {
      bag.report("DB2009", e.keyOrigin, `\`${where} ${k}\` is set twice in one rule`, {
        related: [{ message: "first set here", span: old.keyOrigin }],
        help: "blocks naming the same target form one rule; keep one of the two settings",
      });
    }
  }
  return base;
}

function lowerOn(s: A.OnStatement, rules: Map<string, RuleBuilder>, bag: DiagnosticBag): void {
  const target = lowerTarget(s.target, bag);
  if (!target) return;
  const layered = s.layer !== undefined;
  // A plain host rule's id is its name (a valid host name has no NUL, which every other id has): no text to build for
  // the most numerous kind of rule.
  const id = !layered && target.kind === "Host" ? target.name : (layered ? "layer\0" : "") + (target.kind === "Host" ? `host\0${target.name}` : `label\0${target.key}\0${target.values.join("\0")}`);
  let rule = rules.get(id);
  if (!rule) {
    rule = { target, layered, index: rules.size, origins: [], parts: new Map() };
    rules.set(id, rule);
  }
  rule.origins.push(s.target.span);
  for (const inner of s.body) {
    if ((inner.kind === "Set" || inner.kind === "Unset") && inner.module.text === DEPLOY) {
      reportDeployInTarget(inner.module.span, bag);
      continue;
    }
    switch (inner.kind) {
      case "Set":
        addSet(part(rule.parts, inner.module.text, s.span.file), inner, bag);
        break;
      case "Unset":
        if (checkModule(inner.module, bag)) addUnset(part(rule.parts, inner.module.text, s.span.file), inner, bag);
        break;
      case "Disable":
        bag.report("DB2013", inner.span, "`disable` inside an `on` target", { help: "a module is on or off for the whole fleet; to clear its settings on these nodes use `unset MODULE`" });
        break;
      case "On":
        break; // reported by the parser (DB1007)
      default:
        assertNever(inner);
    }
  }
}

function addUnset(p: PartBuilder, s: A.UnsetStatement, bag: DiagnosticBag): void {
  let schema: Schema | undefined = moduleNamed(s.module.text)!.schema;
  let where = s.module.text;
  for (const k of s.path) {
    schema = childSchema(schema, k, where, bag);
    if (!schema) return;
    where += ` ${k.text}`;
  }
  p.unsets.push({ path: s.path.map((k) => k.text), origin: s.span });
  p.origins.push(s.span);
}

function lowerTarget(t: A.Target, bag: DiagnosticBag): HostTarget | LabelTarget | undefined {
  if (t.kind === "HostTarget") {
    const problem = labelValueProblem(t.name.text) ?? (t.name.text === "" ? "it is empty" : undefined);
    if (problem) {
      bag.report("DB2014", t.name.span, `\`${t.name.text}\` is not a valid host name`, { help: `host names are matched against the \`kubernetes.io/hostname\` label: ${problem}` });
      return undefined;
    }
    return { kind: "Host", name: t.name.text, origin: t.span };
  }
  let ok = true;
  const keyProblem = labelKeyProblem(t.key.text);
  if (keyProblem) {
    bag.report("DB2014", t.key.span, `\`${t.key.text}\` is not a valid label key`, { help: keyProblem });
    ok = false;
  }
  for (const v of t.values) {
    const p = labelValueProblem(v.text);
    if (p) {
      bag.report("DB2014", v.span, `\`${v.text}\` is not a valid label value`, { help: p });
      ok = false;
    }
  }
  if (t.values.length === 0) {
    bag.report("DB3005", t.span, "label selector with no values matches no node", { help: "list at least one value: `in [value]`" });
    ok = false;
  }
  if (!ok) return undefined;
  const values = [...new Set(t.values.map((v) => v.text))].sort();
  return { kind: "Label", key: t.key.text, values, origin: t.span };
}

function assertNever(x: never): never {
  throw new Error(`unexpected node ${JSON.stringify(x)}`);
}

