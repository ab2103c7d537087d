/** The pipeline: the only file that knows the order of the stages. Pure: texts in, results and diagnostics out. */
import { dedupe, hasErrors, sortDiagnostics, type Diagnostic } from "./diagnostics/diagnostic.js";
import { parse } from "./syntax/parse.js";
import type { SourceFile } from "./syntax/ast.js";
import type { NodeFacts, Policy } from "./ir/ir.js";
import { moduleNamed } from "./modules/registry.js";
import { hostScript, hostScriptParts, type HostScriptParts } from "./backends/bash/script.js";
import { lower } from "./lower/lower.js";
import { Resolution } from "./lower/variants.js";
import type { Variant } from "./ir/variant.js";
import { checkVariantSettings } from "./checks/check-variant-settings.js";
import { checkOverlappingTargets } from "./checks/check-overlapping-targets.js";
import { checkEmptyPolicy } from "./checks/check-empty-policy.js";
import { checkSysctlNames } from "./checks/check-sysctl-names.js";
import { checkLayeredRules } from "./checks/check-layered-rules.js";
import { moduleManifests, type K8sOptions, type Manifest } from "./backends/k8s/daemonset.js";
import { whereLine } from "./diagnostics/render.js";
import { applyAcknowledgements, type Acknowledgement } from "./diagnostics/acknowledge.js";
import { allowComments } from "./syntax/allow-comments.js";
import { checkSizes } from "./backends/k8s/limits.js";
import { createHash } from "node:crypto";
import { byCodeUnit } from "./ir/order.js";
import { structuralKey } from "./ir/tree.js";

export interface SourceText {
  readonly file: string;
  readonly text: string;
}

export interface Analysis {
  readonly sources: ReadonlyMap<string, string>;
  readonly files: readonly SourceFile[];
  readonly policy: Policy;
  readonly resolution: Resolution;
  /** Sorted by file, place, then code; without the acknowledged warnings. */
  readonly diagnostics: readonly Diagnostic[];
  /** Warnings a `# allow` comment accepts, each with its reason (sorted the same way). */
  readonly acknowledged: readonly Diagnostic[];
  readonly ok: boolean;
}

/**
 * The files of a policy kept in a directory, given its entry names: its `*.dbell` files sorted by name (code-point
 * order, as sysctl.d and systemd sort theirs), so `10-base.dbell` comes before `20-site.dbell`. The CLI and the
 * language server both group files this way.
 */
export function policyFileNames(entries: readonly string[]): string[] {
  return entries.filter((e) => e.endsWith(".dbell") && !e.startsWith(".")).sort(byCodeUnit);
}

/** Parses, lowers and checks several files as one policy, in the order given. */
export function analyze(inputs: readonly SourceText[]): Analysis {
  const diagnostics: Diagnostic[] = [];
  const files: SourceFile[] = [];
  const acks: Acknowledgement[] = [];
  for (const s of inputs) {
    const r = parse(s.file, s.text);
    files.push(r.ast);
    // Error recovery can report one problem twice.
    pushAll(diagnostics, dedupe(r.diagnostics));
    const allowed = allowComments(s.text, r.comments, r.ast.statements);
    pushAll(acks, allowed.acknowledgements);
    pushAll(diagnostics, allowed.diagnostics);
  }
  const lowered = lower(files);
  pushAll(diagnostics, lowered.diagnostics);
  const resolution = new Resolution(lowered.policy);
  // A value inherited from the defaults is checked in every variant: report it once.
  pushAll(diagnostics, dedupe(checkVariantSettings(resolution).diagnostics));
  pushAll(diagnostics, checkOverlappingTargets(resolution));
  pushAll(diagnostics, checkLayeredRules(resolution));
  pushAll(diagnostics, checkSysctlNames(lowered.policy));
  if (!hasErrors(diagnostics)) pushAll(diagnostics, checkEmptyPolicy(lowered.policy, inputs[0]?.file));
  const { open, acknowledged } = applyAcknowledgements(diagnostics, acks);
  const sorted = sortDiagnostics(open);
  return {
    sources: new Map(inputs.map((s) => [s.file, s.text])),
    files,
    policy: lowered.policy,
    resolution,
    diagnostics: sorted,
    acknowledged: sortDiagnostics(acknowledged),
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

/** The host script a node runs for `module`: program + settings of the DaemonSet that schedules onto that node. */
export function scriptFor(a: Analysis, module: string, node: NodeFacts): string {
  return variantScript(a.resolution.variantFor(module, node));
}

/** The host script of one variant. */
export function variantScript(v: Variant): string {
  return hostScript(moduleNamed(v.module)!, settingsOf(v));
}

/** The same script cut into the program all variants of its module share and the variant's settings. */
export function variantScriptParts(v: Variant): HostScriptParts {
  return hostScriptParts(moduleNamed(v.module)!, settingsOf(v));
}

/** The key of Secret names' hashes when none is given: the policy's own text (docs/security.md). */
export function defaultSecretKey(a: Analysis): string {
  const h = createHash("sha256");
  for (const [file, text] of a.sources) h.update(`${file.length}:${file}${text.length}:${text}`);
  return h.digest("hex");
}

export interface CompileOptions {
  readonly image?: string;
  readonly namespace?: string;
  /** Default: `defaultSecretKey`. */
  readonly secretKey?: string;
}

export interface CompiledManifests {
  readonly manifests: readonly Manifest[];
  /** Objects over Kubernetes' size limits (DB5001), at the rules behind them. */
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * The Kubernetes objects of every enabled module, in registry order: its program ConfigMap, then per distinct
 * configuration a settings object and a DaemonSet. Call it only on an analysis without errors (`ok`).
 */
export function compileManifests(a: Analysis, options: CompileOptions = {}): Manifest[] {
  return [...manifestsByModule(a, options)].flat();
}

/** The same objects with the size checks: an object Kubernetes would refuse is an error, not output. */
export function compileChecked(a: Analysis, options: CompileOptions = {}): CompiledManifests {
  const manifests = compileManifests(a, options);
  return { manifests, diagnostics: sortDiagnostics(checkSizes(manifests, a.policy)) };
}

/** The same objects, one module at a time. */
export function* manifestsByModule(a: Analysis, options: CompileOptions = {}): Generator<Manifest[]> {
  const origin = (v: Variant): string | undefined => {
    const span = v.part?.origins[0];
    return span ? whereLine(span, a.sources) : undefined;
  };
  const k8s: K8sOptions = { image: options.image, namespace: options.namespace, secretKey: options.secretKey ?? defaultSecretKey(a) };
  for (const m of a.policy.modules) {
    yield moduleManifests(moduleNamed(m)!, a.resolution.variants(m), a.policy.deploy.get(m)!, { scriptParts: sharedScriptParts(), origin }, k8s);
  }
}

/**
 * `variantScriptParts` for the variants of one module, built once per distinct rule content. A plain rule's
 * configuration is the module's defaults with the rule's unsets and sets applied, and a module's settings depend on
 * its configuration's keys, texts and forms, never on where they are written (HostModule.settings); so rules that
 * write the same values (10,000 hosts in 100 configurations) share one build. Cells of layered rules are built each.
 */
function sharedScriptParts(): (v: Variant) => HostScriptParts {
  const byContent = new Map<string, HostScriptParts>();
  return (v) => {
    if (!v.part || v.cell) return variantScriptParts(v);
    const key = `${v.part.unsets.map((u) => JSON.stringify(u.path)).join(";")}|${structuralKey(v.part.sets)}`;
    let parts = byContent.get(key);
    if (!parts) byContent.set(key, (parts = variantScriptParts(v)));
    return parts;
  };
}
