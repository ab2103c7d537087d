/** Builds a module's host script: the prelude, the module's .sh functions, then its calls with every argument quoted. */
import type { HostModule, ShellCall } from "../../modules/module.js";
import { shellAsset } from "./assets.js";
import { quote } from "./quote.js";

/** One call as shell text. Every argument goes through quote(); the function name is checked, never quoted. */
export function renderCall(c: ShellCall): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(c.fn)) throw new Error(`internal: bad shell function name ${c.fn}`);
  const line = [c.fn, ...c.args.map(quote)].join(" ");
  // A `$` or backtick in a value is single-quoted on purpose (it must not expand); shellcheck's SC2016 would flag it.
  return c.args.some((a) => /[$`]/.test(a)) ? `# shellcheck disable=SC2016\n${line}` : line;
}

/** The host script for one variant of `mod`, whose settings are `settings`. `variant` names it in the header. */
export function hostScript(mod: HostModule, settings: unknown, variant: string): string {
  const p = hostScriptParts(mod, settings, variant);
  return p.head + p.library + p.calls;
}

/** A host script cut where it varies: `head` and `calls` per variant, `library` (prelude and functions) per module. */
export interface HostScriptParts {
  readonly head: string;
  readonly library: string;
  readonly calls: string;
}

const libraries = new Map<string, string>();

export function hostScriptParts(mod: HostModule, settings: unknown, variant: string): HostScriptParts {
  let library = libraries.get(mod.name);
  if (library === undefined) {
    library = [
      shellAsset("backends/bash/prelude.sh").trimEnd(),
      "",
      `# ---- module ${mod.name} ----`,
      shellAsset(`modules/${mod.name}/${mod.name}.sh`).trimEnd(),
      "",
      "# ---- this node's settings ----",
      "",
    ].join("\n");
    libraries.set(mod.name, library);
  }
  const head = `#!/bin/bash\n# dbellc host script for module ${mod.name}, variant ${variant.replace(/[\r\n]/g, " ")}. Generated; do not edit.\n`;
  const calls = [...mod.bashCalls(settings).map(renderCall), `done_summary ${quote(mod.name)}`, ""].join("\n");
  return { head, library, calls };
}
