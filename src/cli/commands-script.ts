/** `dbellc script FILE... --module M --host NAME [--label KEY=VALUE]...`: the host script one node runs for one module. */
import type { Command } from "commander";
import { scriptFor, moduleNames } from "../api.js";
import { collect } from "./commands-check.js";
import type { CommandContext } from "./context.js";
import { parseLabels } from "./inputs.js";

export function registerScript(program: Command, ctx: CommandContext): void {
  program
    .command("script")
    .description("print the host script a node runs for a module: what its DaemonSet's pod assembles from program and settings")
    .argument("<files...>", "policy files, read in order as one policy")
    .requiredOption("--module <module>", `the module (${moduleNames().join(", ")})`)
    .requiredOption("--host <name>", "the node's kubernetes.io/hostname")
    .option("--label <key=value>", "a node label (repeatable)", collect, [])
    .action((files: string[], opts: { module: string; host: string; label: string[] }) => {
      ctx.requireModule(opts.module);
      const node = { hostname: opts.host, labels: parseLabels(opts.label) };
      const a = ctx.analyzeWithoutErrors(files);
      if (!a) return;
      // A disabled module emits no DaemonSet, so no node runs a script for it.
      ctx.requireModule(opts.module, a);
      ctx.io.stdout(scriptFor(a, opts.module, node));
    });
}
