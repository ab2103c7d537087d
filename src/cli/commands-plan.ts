/** `dbellc plan FILE... --nodes NODES [--against OLD...] [--module M] [--format human|json|html] [--exit-code]`. */
import { Option, type Command } from "commander";
import { hasErrors } from "../diagnostics/diagnostic.js";
import { readInventory } from "../plan/inventory.js";
import { hasChanges, plan } from "../plan/plan.js";
import { renderPlanHtml } from "../plan/render-html.js";
import { renderPlanHuman } from "../plan/render-human.js";
import { planJson } from "../plan/render-json.js";
import type { CommandContext } from "./context.js";
import { UsageError } from "./inputs.js";
import { ExitCode } from "./io.js";

interface PlanFlags {
  nodes: string;
  against?: string[];
  module?: string;
  format: "human" | "json" | "html";
  exitCode?: boolean;
}

export function registerPlan(program: Command, ctx: CommandContext): void {
  program
    .command("plan")
    .description("show what a policy, or a change to it, does to each node of a real inventory (kubectl get nodes -o json)")
    .argument("<files...>", "policy files, read in order as one policy")
    .requiredOption("--nodes <file>", "the inventory: the output of `kubectl get nodes -o json` or `-o yaml`")
    .option("--against <old...>", "the policy before the change: show what changes on each node")
    .option("--module <module>", "only this module")
    .addOption(new Option("--format <format>", "output format").choices(["human", "json", "html"]).default("human"))
    .option("--exit-code", "with --against: exit 1 when anything changes, 0 when nothing does")
    .action((files: string[], opts: PlanFlags) => {
      if (opts.module !== undefined) ctx.requireModule(opts.module);
      if (opts.exitCode && !opts.against) throw new UsageError("--exit-code needs --against (it reports whether anything changes)");
      const nodesText = readInventoryFile(ctx, opts.nodes);
      const a = ctx.analyzeWithoutErrors(files);
      const old = opts.against ? ctx.analyzeWithoutErrors(opts.against) : undefined;
      if (!a || (opts.against && !old)) return;
      if (opts.module !== undefined) ctx.requireModule(opts.module, a);
      const inv = readInventory(opts.nodes, nodesText);
      const sources = new Map([...a.sources, [opts.nodes, nodesText]]);
      if (!inv.inventory) {
        ctx.printDiagnostics(inv.diagnostics, sources);
        ctx.fail(ExitCode.Failed);
        return;
      }
      const p = plan({ policy: a, inventory: inv.inventory, ...(old ? { against: old } : {}), ...(opts.module !== undefined ? { module: opts.module } : {}) });
      if (opts.format === "json") ctx.io.stdout(JSON.stringify(planJson(p, sources, p.diagnostics), null, 2) + "\n");
      else {
        ctx.printDiagnostics(p.diagnostics, sources);
        const context = { sources, files, ...(opts.against ? { against: opts.against } : {}) };
        ctx.io.stdout(opts.format === "html" ? renderPlanHtml(p, context) : renderPlanHuman(p, context));
      }
      if (hasErrors(p.diagnostics) || (opts.exitCode && hasChanges(p))) ctx.fail(ExitCode.Failed);
    });
}

function readInventoryFile(ctx: CommandContext, file: string): string {
  try {
    return ctx.io.readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${file}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : (e as Error).message}`);
  }
}
