/** Runs the command line in-process against an in-memory file system. */
import { run } from "../../src/cli/run.js";
import type { Io } from "../../src/cli/io.js";

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly files: Map<string, string>;
}

export async function cli(argv: string[], files: Record<string, string> = {}, env: Record<string, string> = {}, stdin?: string): Promise<CliResult> {
  const fs = new Map(Object.entries(files));
  let stdout = "";
  let stderr = "";
  const io: Io = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readFile: (p) => {
      const t = fs.get(p);
      if (t === undefined) throw Object.assign(new Error(`ENOENT: ${p}`), { code: "ENOENT" });
      return t;
    },
    // A directory is any path that some file lies under.
    readDir: (p) => {
      const prefix = p.endsWith("/") ? p : p + "/";
      const names = [...fs.keys()].filter((f) => f.startsWith(prefix)).map((f) => f.slice(prefix.length).split("/")[0]!);
      return names.length ? [...new Set(names)] : undefined;
    },
    ...(stdin === undefined ? {} : { readStdin: () => stdin }),
    writeFile: (p, t) => void fs.set(p, t),
    mkdir: () => undefined,
    removeFile: (p) => void fs.delete(p),
    env,
    isTTY: false,
  };
  const code = await run(argv, io);
  return { code, stdout, stderr, files: fs };
}
