#!/usr/bin/env node
/** The dbellc executable: the only place that touches process.exit. */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { run } from "./run.js";

const code = await run(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  readFile: (p) => readFileSync(p, "utf8"),
  writeFile: (p, t) => writeFileSync(p, t),
  mkdir: (p) => mkdirSync(p, { recursive: true }),
  env: process.env,
  isTTY: Boolean(process.stderr.isTTY),
});
// Let pending output drain before exiting.
process.exitCode = code;
