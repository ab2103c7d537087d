/**
 * Builds a module's host script: the program every configuration of the module shares (header, prelude, the
 * module's .sh files), then the configuration's settings (its calls, every argument quoted).
 */
import type { HostModule, ShellCall } from "../../modules/module.js";
import { shellAsset } from "./assets.js";
import { quote } from "./quote.js";

/** Function names already checked (a few per module, called once per setting of every variant). */
const checkedNames = new Set<string>();

/** One call as shell text. Every argument goes through quote(); the function name is checked, never quoted. */
export function renderCall(c: ShellCall): string {
  if (!checkedNames.has(c.fn)) {
    if (!/^[a-z_][a-z0-9_]*$/.test(c.fn)) throw new Error(`internal: bad shell function name ${c.fn}`);
    checkedNames.add(c.fn);
  }
  const line = [c.fn, ...c.args.map(quote)].join(" ");
  // A `$` or backtick in a value is single-quoted on purpose (it must not expand); shellcheck's SC2016 would flag it.
  return c.args.some((a) => /[$`]/.test(a)) ? `# shellcheck disable=SC2016\n${line}` : line;
}

/** The host script for one configuration of `mod`, whose settings are `settings`: program then settings. */
export function hostScript(mod: HostModule, settings: unknown): string {
  const p = hostScriptParts(mod, settings);
  return p.program + p.settings;
}

/**
 * A host script cut where it starts to vary: `program` is the same string for every configuration of a module (the
 * module's ConfigMap carries it once), `settings` the configuration's own calls (its settings object carries them).
 * The pod joins the two with `cat` (k8s/entry.sh), so their concatenation is the host script.
 */
export interface HostScriptParts {
  readonly program: string;
  readonly settings: string;
}

const programs = new WeakMap<HostModule, string>();

/** The part of every host script of `mod` that does not depend on its settings. */
export function scriptProgram(mod: HostModule): string {
  let program = programs.get(mod);
  if (program !== undefined) return program;
  const [main, ...others] = mod.about.shellFiles;
  program = [
    "#!/bin/bash",
    `# dbellc host script for module ${mod.name}. Generated; do not edit.`,
    shellAsset("src/backends/bash/prelude.sh").trimEnd(),
    "",
    `# ---- module ${mod.name} ----`,
    shellAsset(main!).trimEnd(),
    ...others.flatMap((f) => ["", `# ---- module ${mod.name}: ${f.slice(f.lastIndexOf("/") + 1)} ----`, shellAsset(f).trimEnd()]),
    "",
    // Before anything of the node is read or changed: two runs of one module must not interleave (prelude.sh).
    `module_lock ${quote(mod.name)}`,
    "",
  ].join("\n");
  programs.set(mod, program);
  return program;
}

/** The settings part: a marker line, the calls (every argument quoted) and the closing summary. */
export function hostScriptParts(mod: HostModule, settings: unknown): HostScriptParts {
  const calls = ["# ---- this node's settings ----", ...mod.bashCalls(settings).map(renderCall), `done_summary ${quote(mod.name)}`, ""].join("\n");
  return { program: scriptProgram(mod), settings: calls };
}
