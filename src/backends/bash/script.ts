/** Builds a module's host script: the prelude, the module's .sh functions, then its calls with every argument quoted. */
import type { HostModule, ShellCall } from "../../modules/module.js";
import { shellAsset } from "./assets.js";
import { quote } from "./quote.js";

export function renderCall(c: ShellCall): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(c.fn)) throw new Error(`internal: bad shell function name ${c.fn}`);
  return [c.fn, ...c.args.map(quote)].join(" ");
}

/** The host script for one variant of `mod`, whose settings are `settings`. `variant` names it in the header. */
export function hostScript(mod: HostModule, settings: unknown, variant: string): string {
  const calls = mod.bashCalls(settings).map(renderCall);
  return [
    "#!/bin/bash",
    `# dbellc host script for module ${mod.name}, variant ${variant.replace(/[\r\n]/g, " ")}. Generated; do not edit.`,
    shellAsset("backends/bash/prelude.sh").trimEnd(),
    "",
    `# ---- module ${mod.name} ----`,
    shellAsset(`modules/${mod.name}/${mod.name}.sh`).trimEnd(),
    "",
    "# ---- this node's settings ----",
    ...calls,
    `done_summary ${quote(mod.name)}`,
    "",
  ].join("\n");
}
