/**
 * Builds a module's host script: a prefix every variant of the module shares (header, prelude, the module's .sh
 * files), then the variant's own suffix (its name and its calls, every argument quoted).
 */
import type { HostModule, ShellCall } from "../../modules/module.js";
import { moduleShellFiles, shellAsset } from "./assets.js";
import { quote } from "./quote.js";

/** One call as shell text. Every argument goes through quote(); the function name is checked, never quoted. */
export function renderCall(c: ShellCall): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(c.fn)) throw new Error(`internal: bad shell function name ${c.fn}`);
  const line = [c.fn, ...c.args.map(quote)].join(" ");
  // A `$` or backtick in a value is single-quoted on purpose (it must not expand); shellcheck's SC2016 would flag it.
  return c.args.some((a) => /[$`]/.test(a)) ? `# shellcheck disable=SC2016\n${line}` : line;
}

/** The host script for one variant of `mod`, whose settings are `settings`. `variant` names it in the script. */
export function hostScript(mod: HostModule, settings: unknown, variant: string): string {
  const p = hostScriptParts(mod, settings, variant);
  return p.prefix + p.suffix;
}

/**
 * A host script cut where it starts to vary: `prefix` is the same string for every variant of a module, `suffix`
 * the variant's own. The prefix's UTF-8 length is a multiple of 3, so the base64 of the script is the base64 of the
 * prefix followed by that of the suffix: a module's Secrets share one encoding of the prefix (k8s/daemonset.ts).
 */
export interface HostScriptParts {
  readonly prefix: string;
  readonly suffix: string;
}

const SETTINGS_LINE = "# ---- this node's settings ----";
const prefixes = new WeakMap<HostModule, string>();

/** The part of every host script of `mod` that does not depend on the variant. */
export function scriptPrefix(mod: HostModule): string {
  let prefix = prefixes.get(mod);
  if (prefix !== undefined) return prefix;
  const [main, ...others] = moduleShellFiles(mod.name);
  const body = [
    "#!/bin/bash",
    `# dbellc host script for module ${mod.name}. Generated; do not edit.`,
    shellAsset("backends/bash/prelude.sh").trimEnd(),
    "",
    `# ---- module ${mod.name} ----`,
    shellAsset(main!).trimEnd(),
    ...others.flatMap((f) => ["", `# ---- module ${mod.name}: ${f.slice(f.lastIndexOf("/") + 1)} ----`, shellAsset(f).trimEnd()]),
    "",
    // Before anything of the node is read or changed: two runs of one module must not interleave (prelude.sh).
    `module_lock ${quote(mod.name)}`,
    "",
    "",
  ].join("\n");
  // The dashes that pad the last comment line bring the prefix to a whole number of base64 groups (3 bytes each).
  const pad = (3 - ((Buffer.byteLength(body) + SETTINGS_LINE.length + 1) % 3)) % 3;
  prefix = `${body}${SETTINGS_LINE}${"-".repeat(pad)}\n`;
  prefixes.set(mod, prefix);
  return prefix;
}

export function hostScriptParts(mod: HostModule, settings: unknown, variant: string): HostScriptParts {
  const suffix = [`# variant ${variant.replace(/[\r\n]/g, " ")}`, ...mod.bashCalls(settings).map(renderCall), `done_summary ${quote(mod.name)}`, ""].join("\n");
  return { prefix: scriptPrefix(mod), suffix };
}
