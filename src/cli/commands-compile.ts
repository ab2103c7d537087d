/** `dbellc compile FILE... [-o DIR] [--namespace NS] [--image IMAGE]`: the Kubernetes objects, to stdout or a directory. */
import { join } from "node:path";
import type { Command } from "commander";
import { DEFAULT_IMAGE } from "../backends/k8s/daemonset.js";
import { manifestFiles, manifestStreamParts } from "../backends/k8s/manifests.js";
import { DNS_LABEL, MAX_NAME } from "../backends/k8s/names.js";
import { analyze, manifestsByModule } from "../compile.js";
import type { CommandContext } from "./context.js";
import { readSources, UsageError } from "./inputs.js";
import { ExitCode } from "./io.js";

interface CompileFlags {
  denyWarnings?: boolean;
  output?: string;
  namespace?: string;
  image: string;
}

export function registerCompile(program: Command, ctx: CommandContext): void {
  program
    .command("compile")
    .description("compile policy files into Secrets and DaemonSets (a YAML stream on stdout, or files with -o)")
    .argument("<files...>", "policy files, read in order as one policy")
    .option("-o, --output <dir>", "write one file per object into this directory")
    .option("--namespace <ns>", "namespace of the objects (default: none, so kubectl's current one)")
    .option("--image <image>", "container image with bash, coreutils, chroot and nsenter", DEFAULT_IMAGE)
    .option("--deny-warnings", "treat warnings as errors: print them and write nothing (acknowledged warnings do not count)")
    .action((files: string[], opts: CompileFlags) => {
      if (opts.namespace !== undefined && (opts.namespace.length > MAX_NAME || !DNS_LABEL.test(opts.namespace))) {
        throw new UsageError(`--namespace \`${opts.namespace}\` is not a valid namespace (lower-case letters, digits and '-', at most ${MAX_NAME} characters)`);
      }
      if (opts.image === "" || /[\s\u0000-\u001f\u007f]/.test(opts.image)) throw new UsageError("--image must be a non-empty image reference without spaces");
      const a = analyze(readSources(ctx.io, files));
      ctx.printDiagnostics(a.diagnostics, a.sources);
      if (!a.ok || (opts.denyWarnings && a.diagnostics.length > 0)) {
        ctx.fail(ExitCode.Failed);
        return;
      }
      // Written one module at a time: a large policy makes more text than is worth holding at once.
      const modules = manifestsByModule(a, { image: opts.image, namespace: opts.namespace });
      if (opts.output === undefined) {
        for (const ms of modules) for (const part of manifestStreamParts(ms)) ctx.io.stdout(part);
        return;
      }
      const dir = opts.output;
      const write = (f: () => void): void => {
        try {
          f();
        } catch (e) {
          throw new UsageError(`cannot write to ${dir}: ${(e as Error).message}`);
        }
      };
      write(() => ctx.io.mkdir(dir));
      let count = 0;
      for (const ms of modules) {
        for (const f of manifestFiles(ms)) write(() => ctx.io.writeFile(join(dir, f.path), f.text));
        count += ms.length;
      }
      ctx.io.stderr(`wrote ${count} files to ${dir}\n`);
    });
}
