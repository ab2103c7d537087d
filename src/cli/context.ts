/** Shared plumbing for command handlers: diagnostics output and the exit code. */
import { renderHuman, renderJson, type Sources } from "../diagnostics/render.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { ExitCode, type Io } from "./io.js";

export class CommandContext {
  exit: ExitCode = ExitCode.Ok;
  constructor(readonly io: Io) {}

  get color(): boolean {
    return this.io.isTTY && !this.io.env["NO_COLOR"];
  }

  /** Prints diagnostics to stderr in human form (JSON goes to stdout through `printJson`). */
  printDiagnostics(ds: readonly Diagnostic[], sources: Sources): void {
    if (ds.length) this.io.stderr(renderHuman(ds, sources, { color: this.color }));
  }

  printJson(ds: readonly Diagnostic[], sources: Sources): void {
    this.io.stdout(renderJson(ds, sources));
  }

  fail(code: ExitCode): void {
    if (code > this.exit) this.exit = code;
  }
}
