/**
 * Runs each stress case through the whole command line in this process (`node --import tsx`), printing one JSON
 * line per case: exit code, time, whether the output holds a stack trace, and the process's peak memory so far.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../../../src/cli/run.js";
import { STRESS_CASES } from "./stress-cases.js";

const size = Number(process.argv[2] ?? 262144);
const only = process.argv[3];
const dir = mkdtempSync(join(tmpdir(), "dbell-stress-"));
try {
  for (const c of STRESS_CASES) {
    if (only && c.name !== only) continue;
    const path = join(dir, c.file);
    writeFileSync(path, c.bytes(size));
    let out = 0;
    let stack = false;
    const sink = (t: string) => {
      out += t.length;
      if (/\n\s+at |DB9001/.test(t)) stack = true;
    };
    (globalThis as { gc?: () => void }).gc?.();
    const started = performance.now();
    const code = await run([c.command, path], {
      stdout: sink,
      stderr: sink,
      readFile: (p) => readFileSync(p, "utf8"),
      writeFile: () => undefined,
      mkdir: () => undefined,
      env: {},
      isTTY: false,
    });
    const ms = performance.now() - started;
    const rssMB = process.resourceUsage().maxRSS / 1024;
    process.stdout.write(JSON.stringify({ name: c.name, bytes: c.bytes(size).length, code, ms: Math.round(ms), rssMB: Math.round(rssMB), out, stack }) + "\n");
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
