/** Reading the policy files named on the command line. */
import type { SourceText } from "../compile.js";
import type { Io } from "./io.js";

export class UsageError extends Error {}

export function readSources(io: Io, files: readonly string[]): SourceText[] {
  if (files.length === 0) throw new UsageError("no input files");
  return files.map((file) => {
    try {
      return { file, text: io.readFile(file) };
    } catch (e) {
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
