/** `dbellc lsp [--stdio]`: the language server, loaded only for this command so the others start fast. */
import type { Command } from "commander";
import { VERSION } from "./version.js";

export function registerLsp(program: Command): void {
  program
    .command("lsp")
    .description("run the language server on stdin/stdout (for editors)")
    .option("--stdio", "talk over stdin/stdout (the default and only transport)")
    .action(async () => {
      const { startStdioServer } = await import("../lsp/server.js");
      startStdioServer({ name: "dbellc", version: VERSION });
      // The server runs until the client ends it (`exit`), which exits the process itself.
      await new Promise<never>(() => undefined);
    });
}
