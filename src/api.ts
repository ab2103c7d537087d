/**
 * The compiler as the CLI sees it: the pipeline (compile.ts) and the few pieces of later stages a command prints or
 * names. The CLI imports the compiler only through this file (ESLint enforces it), so a stage can change its insides
 * without the CLI noticing.
 */
export { analyze, compileChecked, policyFileNames, scriptFor, type Analysis, type SourceText } from "./compile.js";
export { explainNode, type ModuleExplanation } from "./lower/explain.js";
export { describeTarget } from "./checks/check-overlapping-targets.js";
export { GENERATED_MARK, manifestFiles, manifestStreamParts } from "./backends/k8s/manifests.js";
export { DNS_LABEL, MAX_NAME } from "./backends/k8s/names.js";
export { moduleNames } from "./modules/registry.js";
export { leaves } from "./ir/tree.js";
export type { NodeFacts } from "./ir/ir.js";
export type { Variant } from "./ir/variant.js";
