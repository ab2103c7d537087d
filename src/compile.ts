/** The pipeline: the only file that knows the order of the stages. Pure: texts in, results and diagnostics out. */
import { dedupe, hasErrors, sortDiagnostics, type Diagnostic } from "./diagnostics/diagnostic.js";
import { parse } from "./syntax/parse.js";
import type { SourceFile } from "./syntax/ast.js";
import type { NodeFacts, Policy } from "./ir/ir.js";
import { moduleNamed } from "./modules/registry.js";
import { hostScript, hostScriptParts, type HostScriptParts } from "./backends/bash/script.js";
import { lower } from "./lower/lower.js";
import { Resolution, type Variant } from "./lower/variants.js";
import { checkVariantSettings } from "./checks/check-variant-settings.js";
import { checkOverlappingTargets } from "./checks/check-overlapping-targets.js";
import { checkEmptyPolicy } from "./checks/check-empty-policy.js";
import { checkSysctlNames } from "./checks/check-sysctl-names.js";
import { moduleManifests, type K8sOptions, type Manifest } from "./backends/k8s/daemonset.js";
import { lineCol, lineStarts } from "./diagnostics/span.js";

export interface SourceText {
  readonly file: string;
  readonly text: string;
}

export interface Analysis {
  readonly sources: ReadonlyMap<string, string>;
  readonly files: readonly SourceFile[];
  readonly policy: Policy;
  readonly resolution: Resolution;
  /** Sorted by file, place, then code. */
  readonly diagnostics: readonly Diagnostic[];
  readonly ok: boolean;
}

/** Parses, lowers and checks several files as one policy, in the order given. */
export function analyze(inputs: readonly SourceText[]): Analysis {
  const diagnostics: Diagnostic[] = [];
  const files: SourceFile[] = [];
  for (const s of inputs) {
    const r = parse(s.file, s.text);
    files.push(r.ast);
    // Error recovery can report one problem twice.
    pushAll(diagnostics, dedupe(r.diagnostics));
  }
  const lowered = lower(files);
  pushAll(diagnostics, lowered.diagnostics);
  const resolution = new Resolution(lowered.policy);
  // A value inherited from the defaults is checked in every variant: report it once.
  pushAll(diagnostics, dedupe(checkVariantSettings(resolution).diagnostics));
  pushAll(diagnostics, checkOverlappingTargets(resolution));
  pushAll(diagnostics, checkSysctlNames(lowered.policy));
  if (!hasErrors(diagnostics)) pushAll(diagnostics, checkEmptyPolicy(lowered.policy, inputs[0]?.file));
  const sorted = sortDiagnostics(diagnostics);
  return {
    sources: new Map(inputs.map((s) => [s.file, s.text])),
    files,
    policy: lowered.policy,
    resolution,
    diagnostics: sorted,
    ok: !hasErrors(sorted),
  };
}

/** `push(...items)` overflows the call stack for very large arrays (a policy with 100k rules has that many warnings). */
function pushAll<T>(into: T[], items: readonly T[]): void {
  for (const x of items) into.push(x);
}

/** The typed settings of a variant that passed its checks. */
export function settingsOf(v: Variant): unknown {
  return moduleNamed(v.module)!.settings(v.config);
}

/** The host script a node runs for `module`: the same text the module's Secret carries for that node's variant. */
export function scriptFor(a: Analysis, module: string, node: NodeFacts): string {
  return variantScript(a.resolution.variantFor(module, node));
}

/** The host script of one variant. */
export function variantScript(v: Variant): string {
  return hostScript(moduleNamed(v.module)!, settingsOf(v), v.id);
}

/** The same script cut into the prefix all variants of its module share and the variant's suffix (concatenated: `variantScript`). */
export function variantScriptParts(v: Variant): HostScriptParts {
  return hostScriptParts(moduleNamed(v.module)!, settingsOf(v), v.id);
}

/**
 * The Kubernetes objects of every enabled module: per variant a Secret (its entry and host scripts) and a
 * DaemonSet, in registry order. Call it only on an analysis without errors in the variants' settings (`ok`).
 */
export function compileManifests(a: Analysis, options: K8sOptions): Manifest[] {
  return [...manifestsByModule(a, options)].flat();
}

/** The same objects, one module at a time, so a caller can write them out without holding all of them. */
export function* manifestsByModule(a: Analysis, options: K8sOptions): Generator<Manifest[]> {
  const starts = new Map<string, number[]>();
  const origin = (v: Variant): string | undefined => {
    const span = v.part?.origins[0];
    if (!span) return undefined;
    let s = starts.get(span.file);
    if (!s) starts.set(span.file, (s = lineStarts(a.sources.get(span.file) ?? "")));
    return `${span.file}:${lineCol(s, span.start).line}`;
  };
  for (const m of a.policy.modules) yield moduleManifests(moduleNamed(m)!, a.resolution.variants(m), { scriptParts: variantScriptParts, origin }, options);
}
