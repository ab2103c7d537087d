/** `dbellc check FILE... [--format human|json|sarif|github] [--deny-warnings] [--show-secrets]` and `dbellc explain`. */
import type { Command } from "commander";
import { analyze, explainNode } from "../api.js";
import type { CommandContext } from "./context.js";
import { explainJson, renderExplainHuman } from "./explain-render.js";
import { parseLabels, readSources } from "./inputs.js";
import { ExitCode } from "./io.js";
import { checkFormatOption, formatOption } from "./options.js";
import { maskSources, redactExplanation, secretSpans } from "./redact.js";
import { renderSarif } from "../diagnostics/render-sarif.js";
import { renderGithub } from "../diagnostics/render-github.js";
import { VERSION } from "./version.js";

export function registerCheck(program: Command, ctx: CommandContext): void {
  program
    .command("check")
    .description("parse and check policy files; exit 1 on errors")
    .argument("<files...>", "policy files or directories, read in order as one policy")
    .addOption(checkFormatOption())
    .option("--deny-warnings", "treat warnings as errors (warnings acknowledged with `# allow` do not count)")
    .option("--show-secrets", "show password hashes and debconf password answers in source excerpts")
    .action((files: string[], opts: { format: "human" | "json" | "sarif" | "github"; denyWarnings?: boolean; showSecrets?: boolean }) => {
      const a = analyze(readSources(ctx.io, files));
      const sources = opts.showSecrets ? a.sources : maskSources(a.sources, secretSpans(a));
      if (opts.format === "json") ctx.printJson(a.diagnostics, sources, a.acknowledged);
      else if (opts.format === "sarif") ctx.io.stdout(renderSarif(a.diagnostics, a.acknowledged, sources, { name: "dbellc", version: VERSION }));
      else if (opts.format === "github") ctx.io.stdout(renderGithub(a.diagnostics, sources));
      else {
        ctx.printDiagnostics(a.diagnostics, sources);
        const n = a.sources.size;
        const acked = a.acknowledged.length ? ` (${a.acknowledged.length} acknowledged warning${a.acknowledged.length === 1 ? "" : "s"})` : "";
        if (a.diagnostics.length === 0) ctx.io.stderr(`ok: ${n} file${n === 1 ? "" : "s"}, no problems${acked}\n`);
      }
      if (!a.ok || (opts.denyWarnings && a.diagnostics.length > 0)) ctx.fail(ExitCode.Failed);
    });

  program
    .command("explain")
    .description("show, per module, which rule a node gets, its effective settings and where each comes from")
    .argument("<files...>", "policy files")
    .requiredOption("--host <name>", "the node's kubernetes.io/hostname")
    .option("--label <key=value>", "a node label (repeatable)", collect, [])
    .option("--module <module>", "only this module")
    .addOption(formatOption())
    .option("--show-secrets", "show password hashes and debconf password answers instead of <redacted>")
    .action((files: string[], opts: { host: string; label: string[]; module?: string; format: "human" | "json"; showSecrets?: boolean }) => {
      if (opts.module !== undefined) ctx.requireModule(opts.module);
      const a = ctx.analyzeWithoutErrors(files, opts.showSecrets);
      if (!a) return;
      if (opts.module !== undefined) ctx.requireModule(opts.module, a);
      const node = { hostname: opts.host, labels: parseLabels(opts.label) };
      const explained = explainNode(a.resolution, node, opts.module);
      const ms = opts.showSecrets ? explained : redactExplanation(explained, secretSpans(a));
      if (opts.format === "json") ctx.io.stdout(JSON.stringify(explainJson(node, ms, a.sources), null, 2) + "\n");
      else ctx.io.stdout(renderExplainHuman(node, ms, a.sources));
    });
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
