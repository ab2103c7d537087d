/** `run(argv, io)`: the whole command line, testable in-process. Never exits the process and never throws. */
import { Command, CommanderError } from "commander";
import { CommandContext } from "./context.js";
import { registerCheck } from "./commands-check.js";
import { registerCompile } from "./commands-compile.js";
import { registerScript } from "./commands-script.js";
import { registerImport } from "./commands-import.js";
import { registerFmt } from "./commands-fmt.js";
import { registerLsp } from "./commands-lsp.js";
import { registerPlan } from "./commands-plan.js";
import { UsageError } from "./inputs.js";
import { ExitCode, type Io } from "./io.js";
import { VERSION } from "./version.js";

export { VERSION };

export async function run(argv: readonly string[], io: Io): Promise<ExitCode> {
  const ctx = new CommandContext(io);
  const program = new Command("dbellc")
    .description("compile .dbell node-configuration policies into Kubernetes DaemonSets and host scripts")
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError("(run `dbellc --help` for usage)");
  registerCheck(program, ctx);
  registerCompile(program, ctx);
  registerScript(program, ctx);
  registerImport(program, ctx);
  registerFmt(program, ctx);
  registerLsp(program);
  registerPlan(program, ctx);
  for (const c of program.commands) c.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  try {
    await program.parseAsync([...argv], { from: "user" });
    return ctx.exit;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return ExitCode.Ok;
      return ExitCode.Usage;
    }
    if (e instanceof UsageError) {
      io.stderr(`error: ${e.message}\n`);
      return ExitCode.Usage;
    }
    io.stderr(`internal error [DB9001]: ${(e as Error)?.stack ?? String(e)}\nplease report this with the input that caused it\n`);
    return ExitCode.Usage;
  }
}
