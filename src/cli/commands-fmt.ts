/** `dbellc fmt FILE... [--check] [--write]`: the canonical layout, on stdout, in place, or as a check with a diff. */
import type { Command } from "commander";
import { format } from "../syntax/format.js";
import type { CommandContext } from "./context.js";
import { readSources, UsageError } from "./inputs.js";
import { unifiedDiff } from "./line-diff.js";
import { ExitCode } from "./io.js";

interface FmtFlags {
  check?: boolean;
  write?: boolean;
}

export function registerFmt(program: Command, ctx: CommandContext): void {
  program
    .command("fmt")
    .description("print policy files in the canonical layout (comments kept, values exactly as written)")
    .argument("<files...>", "policy files or directories; `-` reads standard input")
    .option("--check", "print nothing but a diff for each file that is not formatted; exit 1 if any")
    .option("--write", "rewrite the files in place")
    .action((files: string[], opts: FmtFlags) => {
      if (opts.check && opts.write) throw new UsageError("--check and --write cannot be used together");
      const sources = readSources(ctx.io, files);
      if (opts.write && sources.some((s) => s.file === "<stdin>")) throw new UsageError("--write cannot rewrite standard input");
      let unformatted = 0;
      for (const s of sources) {
        const r = format(s.file, s.text);
        if (r.text === undefined) {
          // A file that does not parse is refused: its text is left as it is.
          ctx.printDiagnostics(r.diagnostics, new Map([[s.file, s.text]]));
          ctx.fail(ExitCode.Failed);
          continue;
        }
        if (opts.check) {
          if (r.text !== s.text) {
            unformatted++;
            ctx.io.stdout(unifiedDiff(s.text, r.text, s.file));
          }
        } else if (opts.write) {
          if (r.text !== s.text) ctx.io.writeFile(s.file, r.text);
        } else ctx.io.stdout(r.text);
      }
      if (unformatted > 0) {
        ctx.io.stderr(`${unformatted} file${unformatted === 1 ? " is" : "s are"} not formatted; run \`dbellc fmt --write\`\n`);
        ctx.fail(ExitCode.Failed);
      }
    });
}
