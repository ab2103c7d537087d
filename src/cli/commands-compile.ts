/**
 * `dbellc compile FILE... [-o DIR] [--namespace NS] [--image IMAGE] [--secret-key-file FILE]`: the Kubernetes objects,
 * to stdout or a directory. With -o, files it wrote earlier that are no longer output are removed, and nothing else.
 */
import { join } from "node:path";
import type { Command } from "commander";
import { GENERATED_MARK, manifestFiles, manifestStreamParts, DNS_LABEL, MAX_NAME, analyze, compileChecked } from "../api.js";
import type { CommandContext } from "./context.js";
import { readSources, UsageError } from "./inputs.js";
import { ExitCode, type Io } from "./io.js";

interface CompileFlags {
  denyWarnings?: boolean;
  output?: string;
  namespace?: string;
  image?: string;
  secretKeyFile?: string;
}

// The names compile gives its files (manifests.ts): other files in the directory are never candidates for removal.
const OWN_FILE = /^(configmap|secret|daemonset)-[a-z0-9][-a-z0-9.]*\.yaml$/;

export function registerCompile(program: Command, ctx: CommandContext): void {
  program
    .command("compile")
    .description("compile policy files into ConfigMaps, Secrets and DaemonSets (a YAML stream on stdout, or files with -o)")
    .argument("<files...>", "policy files, read in order as one policy")
    .option("-o, --output <dir>", "write one file per object into this directory, removing files it wrote before that are no longer output")
    .option("--namespace <ns>", "namespace of the objects (overrides the policy's `set deploy`; default: kubectl's current one)")
    .option("--image <image>", "container image with bash, coreutils, chroot and nsenter (overrides the policy's `set deploy`)")
    .option("--secret-key-file <file>", "key of the hashes in Secret names (default: derived from the policy text; see docs/security.md)")
    .option("--deny-warnings", "treat warnings as errors: print them and write nothing (acknowledged warnings do not count)")
    .action((files: string[], opts: CompileFlags) => {
      if (opts.namespace !== undefined && (opts.namespace.length > MAX_NAME || !DNS_LABEL.test(opts.namespace))) {
        throw new UsageError(`--namespace \`${opts.namespace}\` is not a valid namespace (lower-case letters, digits and '-', at most ${MAX_NAME} characters)`);
      }
      if (opts.image !== undefined && (opts.image === "" || /[\s\u0000-\u001f\u007f]/.test(opts.image))) throw new UsageError("--image must be a non-empty image reference without spaces");
      const secretKey = opts.secretKeyFile === undefined ? undefined : readKey(ctx.io, opts.secretKeyFile);
      const a = analyze(readSources(ctx.io, files));
      ctx.printDiagnostics(a.diagnostics, a.sources);
      if (!a.ok || (opts.denyWarnings && a.diagnostics.length > 0)) {
        ctx.fail(ExitCode.Failed);
        return;
      }
      const c = compileChecked(a, { image: opts.image, namespace: opts.namespace, secretKey });
      if (c.diagnostics.length) {
        ctx.printDiagnostics(c.diagnostics, a.sources);
        ctx.fail(ExitCode.Failed);
        return;
      }
      if (opts.output === undefined) {
        for (const part of manifestStreamParts(c.manifests)) ctx.io.stdout(part);
        return;
      }
      writeDir(ctx.io, opts.output, c.manifests);
    });
}

function readKey(io: Io, file: string): string {
  let key: string;
  try {
    key = io.readFile(file);
  } catch (e) {
    throw new UsageError(`cannot read --secret-key-file ${file}: ${(e as Error).message}`);
  }
  // A trailing newline is an editor's, not part of the key.
  key = key.replace(/\r?\n$/, "");
  if (key.length < 16) throw new UsageError(`--secret-key-file ${file} holds ${key.length} characters; use a random key of at least 16`);
  return key;
}

function writeDir(io: Io, dir: string, manifests: Parameters<typeof manifestFiles>[0]): void {
  const attempt = <T>(f: () => T): T => {
    try {
      return f();
    } catch (e) {
      throw new UsageError(`cannot write to ${dir}: ${(e as Error).message}`);
    }
  };
  attempt(() => io.mkdir(dir));
  const files = manifestFiles(manifests);
  const keep = new Set(files.map((f) => f.path));
  let removed = 0;
  // Only files named as compile names them whose first line is its generated header: a file someone else put here,
  // or edited to drop the header, stays.
  for (const name of attempt(() => io.readDir?.(dir) ?? [])) {
    if (keep.has(name) || !OWN_FILE.test(name)) continue;
    const path = join(dir, name);
    let first: string;
    try {
      first = io.readFile(path).split("\n", 1)[0]!;
    } catch {
      continue;
    }
    if (!first.startsWith("# ") || !first.endsWith(GENERATED_MARK)) continue;
    attempt(() => io.removeFile?.(path));
    removed++;
  }
  for (const f of files) attempt(() => io.writeFile(join(dir, f.path), f.text));
  io.stderr(`wrote ${files.length} files to ${dir}${removed ? `, removed ${removed} stale ${removed === 1 ? "file" : "files"}` : ""}\n`);
}
