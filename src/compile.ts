/** The pipeline: the only file that knows the order of the stages. Pure: texts in, results and diagnostics out. */
import { dedupe, hasErrors, sortDiagnostics, type Diagnostic } from "./diagnostics/diagnostic.js";
import { parse } from "./syntax/parse.js";
import type { SourceFile } from "./syntax/ast.js";
import type { NodeFacts, Policy } from "./ir/ir.js";
import { moduleNamed } from "./modules/registry.js";
import { hostScript } from "./backends/bash/script.js";
import { lower } from "./lower/lower.js";
import { Resolution, type Variant } from "./lower/variants.js";
import { checkVariantSettings } from "./checks/check-variant-settings.js";
import { checkOverlappingTargets } from "./checks/check-overlapping-targets.js";

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
    diagnostics.push(...r.diagnostics);
  }
  const lowered = lower(files);
  diagnostics.push(...lowered.diagnostics);
  const resolution = new Resolution(lowered.policy);
  diagnostics.push(...checkVariantSettings(resolution).diagnostics);
  diagnostics.push(...checkOverlappingTargets(resolution));
  const sorted = sortDiagnostics(dedupe(diagnostics));
  return {
    sources: new Map(inputs.map((s) => [s.file, s.text])),
    files,
    policy: lowered.policy,
    resolution,
    diagnostics: sorted,
    ok: !hasErrors(sorted),
  };
}

/** The typed settings of a variant that passed its checks. */
export function settingsOf(v: Variant): unknown {
  return moduleNamed(v.module)!.settings(v.config);
}

/** The host script a node runs for `module`: the same text the module's Secret carries for that node's variant. */
export function scriptFor(a: Analysis, module: string, node: NodeFacts): string {
  const v = a.resolution.variantFor(module, node);
  return hostScript(moduleNamed(module)!, settingsOf(v), v.id);
}
