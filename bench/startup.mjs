// Whole-process start-up of the bundled CLI against bare Node (the target: at most 3x `node -e 0`), as the
// median of several runs: `node bench/startup.mjs [runs]` after `npm run build`.
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const runs = Number(process.argv[2] ?? 15);

function median(cmd, args) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { cwd: root, stdio: "ignore" });
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}`);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

const bare = median(process.execPath, ["-e", "0"]);
const rows = [
  ["node -e 0", bare],
  ["dbellc --version", median(process.execPath, ["dist/dbellc.mjs", "--version"])],
  ["dbellc check examples/sysctl.dbell", median(process.execPath, ["dist/dbellc.mjs", "check", "examples/sysctl.dbell"])],
  ["dbellc check examples/site.dbell", median(process.execPath, ["dist/dbellc.mjs", "check", "examples/site.dbell"])],
  ["dbellc fmt --check examples/sysctl.dbell", median(process.execPath, ["dist/dbellc.mjs", "fmt", "--check", "examples/sysctl.dbell"])],
];
for (const [name, ms] of rows) console.log(`${name.padEnd(42)} ${ms.toFixed(0).padStart(6)} ms  ${(ms / bare).toFixed(2)}x`);
