/** Shared plumbing for command handlers: diagnostics output and the exit code. */
import { renderHuman, renderJson, type Sources } from "../diagnostics/render.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { ExitCode, type Io } from "./io.js";
import { analyze, type Analysis, moduleNames } from "../api.js";
import { readSources, UsageError } from "./inputs.js";
import { maskSources, secretSpans } from "./redact.js";

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

  printJson(ds: readonly Diagnostic[], sources: Sources, acknowledged: readonly Diagnostic[] = []): void {
    this.io.stdout(renderJson(ds, sources, acknowledged));
  }

  /**
   * Analyses the files as one policy; prints its errors and returns undefined if there are any (exit 1). Secrets in
   * the excerpts are masked unless `showSecrets`.
   */
  analyzeWithoutErrors(files: readonly string[], showSecrets = false): Analysis | undefined {
    const a = analyze(readSources(this.io, files));
    const errors = a.diagnostics.filter((d) => d.severity === "error");
    if (errors.length === 0) return a;
    this.printDiagnostics(errors, showSecrets ? a.sources : maskSources(a.sources, secretSpans(a)));
    this.fail(ExitCode.Failed);
    return undefined;
  }

  /** A `--module` value: a usage error unless it names a module, and (given a policy) one it does not disable. */
  requireModule(name: string, a?: Analysis): void {
    if (!moduleNames().includes(name)) throw new UsageError(`unknown module \`${name}\` (modules: ${moduleNames().join(", ")})`);
    if (a && !a.policy.modules.includes(name)) throw new UsageError(`module \`${name}\` is disabled in this policy`);
  }

  fail(code: ExitCode): void {
    if (code > this.exit) this.exit = code;
  }
}
