#!/usr/bin/env node
/** The dbellc executable: the only place that touches process.exit. */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { run } from "./run.js";

// A reader that goes away early (`dbellc compile ... | head`) is not an error of ours: stop quietly, as cat does.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    process.stderr.write(`error: cannot write output: ${e.message}\n`);
    process.exit(2);
  });
}

const code = await run(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  readFile: (p) => readFileSync(p, "utf8"),
  readDir: (p) => (statSync(p, { throwIfNoEntry: false })?.isDirectory() ? readdirSync(p) : undefined),
  readStdin: () => readFileSync(0, "utf8"),
  writeFile: (p, t) => writeFileSync(p, t),
  mkdir: (p) => mkdirSync(p, { recursive: true }),
  removeFile: (p) => rmSync(p),
  env: process.env,
  isTTY: Boolean(process.stderr.isTTY),
});
// Let pending output drain before exiting.
process.exitCode = code;
