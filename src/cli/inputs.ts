/** Reading the policy files named on the command line; a directory stands for its `*.dbell` files in name order. */
import { join } from "node:path";
import { policyFileNames, type SourceText } from "../api.js";
import type { Io } from "./io.js";

export class UsageError extends Error {}


/** The command line's file arguments with each directory replaced by its policy files. */
export function expandInputs(io: Io, args: readonly string[]): string[] {
  const out: string[] = [];
  for (const a of args) {
    const entries = a === "-" ? undefined : io.readDir?.(a);
    if (entries === undefined) out.push(a);
    else {
      const files = policyFileNames(entries);
      if (files.length === 0) throw new UsageError(`${a} is a directory without .dbell files`);
      out.push(...files.map((f) => join(a, f)));
    }
  }
  return out;
}

export function readSources(io: Io, args: readonly string[]): SourceText[] {
  if (args.length === 0) throw new UsageError("no input files");
  return expandInputs(io, args).map((file) => {
    try {
      if (file === "-") {
        if (!io.readStdin) throw new UsageError("reading standard input is not supported here");
        return { file: "<stdin>", text: io.readStdin() };
      }
      return { file, text: io.readFile(file) };
    } catch (e) {
      if (e instanceof UsageError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : code === "EACCES" ? "permission denied" : String((e as Error).message);
      throw new UsageError(`cannot read ${file}: ${why}`);
    }
  });
}

/** `--label KEY=VALUE`, repeatable. */
export function parseLabels(pairs: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of pairs) {
    const eq = p.indexOf("=");
    if (eq <= 0) throw new UsageError(`--label expects KEY=VALUE, got \`${p}\``);
    out.set(p.slice(0, eq), p.slice(eq + 1));
  }
  return out;
}
