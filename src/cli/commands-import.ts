/** `dbellc import VALUES.yaml [-o FILE]`: a Divingbell Helm values file turned into an equivalent .dbell policy. */
import type { Command } from "commander";
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
      ctx.printDiagnostics(result.diagnostics, new Map([[source!.file, source!.text]]));
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
      if (result.dbell === undefined || hasErrors(result.diagnostics)) ctx.fail(ExitCode.Failed);
    });
}
