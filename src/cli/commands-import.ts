/** `dbellc import VALUES.yaml [-o FILE]`: a Divingbell Helm values file turned into an equivalent .dbell policy. */
import type { Command } from "commander";
import { analyze } from "../api.js";
import { hasErrors } from "../diagnostics/diagnostic.js";
import { importValues } from "../import/import-values.js";
import type { CommandContext } from "./context.js";
import { readSources, UsageError } from "./inputs.js";
import { ExitCode } from "./io.js";

export function registerImport(program: Command, ctx: CommandContext): void {
  program
    .command("import")
    .description("turn a Divingbell Helm values file (with conf.overrides) into an equivalent .dbell policy")
    .argument("<values>", "the Divingbell values file (YAML)")
    .option("-o, --output <file>", "write the policy to this file instead of stdout")
    .action((values: string, opts: { output?: string }) => {
      const [source] = readSources(ctx.io, [values]);
      const result = importValues(source!.file, source!.text);
      // The policy must pass `check` itself: a problem found there is one Divingbell would have met on the node.
      const checked = result.dbell === undefined ? undefined : analyze([{ file: opts.output ?? "imported.dbell", text: result.dbell }]);
      const sources = new Map([[source!.file, source!.text], ...(checked?.sources ?? [])]);
      // Overlap warnings (DB3xxx) restate Divingbell's own precedence, which the imported rules keep on purpose.
      const fromCheck = (checked?.diagnostics ?? []).filter((d) => d.severity === "error" || !d.code.startsWith("DB3"));
      ctx.printDiagnostics([...result.diagnostics, ...fromCheck], sources);
      // The policy is written even with errors: they name the values that were left out of it.
      if (result.dbell !== undefined) {
        if (opts.output === undefined) ctx.io.stdout(result.dbell);
        else {
          try {
            ctx.io.writeFile(opts.output, result.dbell);
          } catch (e) {
            throw new UsageError(`cannot write ${opts.output}: ${(e as Error).message}`);
          }
        }
      }
      if (result.dbell === undefined || hasErrors(result.diagnostics) || (checked && !checked.ok)) ctx.fail(ExitCode.Failed);
    });
}
