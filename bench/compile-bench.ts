/**
 * `npm run bench`: times `dbellc compile` as a whole process (node start-up, reading, parsing, checking, emitting,
 * writing) on generated policies, and prints time, output size and object count (bench/README.md gives the targets):
 *
 * - the fleet shape: 10k host rules sharing about 100 distinct configurations, plus 20 label rules, over sysctl,
 *   limits and mounts: under 1 s and under 25 MB;
 * - the all-modules shapes: 1k, 10k and 100k host rules with 1k label rules over every module, growing at most 12x
 *   in time for 10x the rules;
 * - `check` of a 1,000-line file, in-process and warm: under 50 ms.
 *
 * Each time is the median of several runs; a shared machine inflates wall time, so CPU time is shown beside it. Pass
 * sizes as arguments (`node dist/bench/compile-bench.js 1000 10000`) to choose the all-modules shapes.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { analyze } from "../src/compile.js";
import { generateFleetPolicy, generatePolicy, policyOfLines, usableModules } from "./generate-policy.js";

const LABEL_RULES = 1000;
/** The executable users run (package.json `bin`): the bundle `npm run build` makes. */
const BIN = join(import.meta.dirname, "../dbellc.mjs");
const work = mkdtempSync(join(tmpdir(), "dbell-bench-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

interface Run {
  readonly wall: number;
  readonly cpu: number;
  readonly bytes: number;
  readonly objects: number;
}

/** `dbellc compile FILE >OUT` as its own process: wall time, its CPU time (from bash's `times`), output size. */
function compileProcess(policy: string): Run {
  const out = join(work, "out.yaml");
  const t0 = performance.now();
  const r = spawnSync("bash", ["-c", 'node "$1" compile "$2" >"$3" 2>/dev/null; s=$?; times; exit $s', "bash", BIN, policy, out], { encoding: "utf8" });
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(`dbellc compile ${policy} failed with ${r.status}`);
  // `times` prints the shell's and then its children's user and system time: `0m1.234s 0m0.100s`.
  const child = r.stdout.trim().split("\n").pop()!.match(/(\d+)m([\d.]+)s (\d+)m([\d.]+)s/)!;
  const cpu = (Number(child[1]) * 60 + Number(child[2]) + Number(child[3]) * 60 + Number(child[4])) * 1000;
  // The output can be larger than one string may be: count the documents with grep.
  const objects = Number(spawnSync("grep", ["-c", "^---$", out], { encoding: "utf8" }).stdout.trim());
  return { wall, cpu, bytes: statSync(out).size, objects };
}

function bench(name: string, text: string, runs: number): Run & { lines: number } {
  const file = join(work, `${name}.dbell`);
  writeFileSync(file, text);
  const all = Array.from({ length: runs }, () => compileProcess(file));
  return { wall: median(all.map((r) => r.wall)), cpu: median(all.map((r) => r.cpu)), bytes: all[0]!.bytes, objects: all[0]!.objects, lines: text.split("\n").length };
}

function benchCheck(lines: number, runs: number): { lines: number; wall: number } {
  const text = policyOfLines(lines);
  for (let i = 0; i < 5; i++) analyze([{ file: "bench.dbell", text }]);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    analyze([{ file: "bench.dbell", text }]);
    times.push(performance.now() - t0);
  }
  return { lines: text.split("\n").length, wall: median(times) };
}

const fmt = (ms: number) => `${ms.toFixed(0)} ms`.padStart(9);
const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`.padStart(9);
const row = (label: string, r: Run & { lines: number }) => `${label.padEnd(34)} ${String(r.lines).padStart(7)} ${String(r.objects).padStart(8)} ${mb(r.bytes)} ${fmt(r.wall)} ${fmt(r.cpu)}`;
const header = `${"shape".padEnd(34)} ${"lines".padStart(7)} ${"objects".padStart(8)} ${"output".padStart(9)} ${"wall".padStart(9)} ${"cpu".padStart(9)}`;
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const startup = bench("empty", "", 5);

console.log(`whole-process \`dbellc compile FILE >OUT\`, median of runs; node ${process.version}; bare start-up + empty policy: ${startup.wall.toFixed(0)} ms`);
console.log(header);
const fleet = bench("fleet", generateFleetPolicy({ hosts: 10000, configs: 100, labels: 20 }), 5);
console.log(row("fleet: 10k hosts, 100 configs, 20 labels", fleet));
console.log(`all modules (${usableModules().join(", ")}), ${LABEL_RULES} label rules:`);
const results: (Run & { hosts: number; lines: number })[] = [];
for (const hosts of sizes.length ? sizes : [1000, 10000, 100000]) {
  const r = { ...bench(`all-${hosts}`, generatePolicy({ hosts, labels: LABEL_RULES }), hosts >= 100000 ? 3 : 5), hosts };
  results.push(r);
  console.log(row(`  ${hosts} host rules`, r));
}
for (let i = 1; i < results.length; i++) {
  const a = results[i - 1]!;
  const b = results[i]!;
  console.log(`${b.hosts / a.hosts}x host rules (${a.hosts} → ${b.hosts}): ${(b.wall / a.wall).toFixed(1)}x time, ${(b.cpu / a.cpu).toFixed(1)}x cpu, ${(b.bytes / a.bytes).toFixed(1)}x output`);
}
const check = benchCheck(1000, 20);
console.log(`check of a ${check.lines}-line file (in-process, warm, median of 20): ${check.wall.toFixed(1)} ms`);
