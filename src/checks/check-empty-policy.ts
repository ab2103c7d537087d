/**
 * Warns about a policy that sets nothing. Such a policy is valid, and its scripts do what it says: every enabled
 * module reverts what earlier runs applied (sysctls restored, mounts unmounted, packages purged, users expired).
 * That is rarely meant, so it is a warning with a code: `--deny-warnings` stops it in CI.
 */
import { diag, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { Policy } from "../ir/ir.js";

export function checkEmptyPolicy(policy: Policy, firstFile: string | undefined): Diagnostic[] {
  if (firstFile === undefined || policy.modules.length === 0) return [];
  const setsSomething = (m: string): boolean =>
    (policy.defaults.get(m)?.sets.entries.size ?? 0) > 0 || policy.rules.some((r) => (r.parts.get(m)?.sets.entries.size ?? 0) > 0);
  if (policy.modules.some(setsSomething)) return [];
  return [
    diag("DB2016", { file: firstFile, start: 0, end: 0 }, "this policy sets nothing: its scripts revert every setting earlier runs applied on every node", {
      help: `if that is the intent, turn off the modules you do not manage with \`disable MODULE\`; modules: ${policy.modules.join(", ")}`,
    }),
  ];
}
