/**
 * `npm run bench`: times `compile` (parse, check, emit) on generated policies of 1k, 10k and 100k host rules with
 * 1k label rules, and `check` of a 1,000-line file; prints the numbers (PRODUCT.md §6 sets the targets: 10k host
 * rules + 1k label rules under 1 s on 2 cores, 10x the rules at most 12x the time, `check` of 1,000 lines under
 * 50 ms warm). Each number is the median of several warm runs; CPU time is shown beside wall time because a shared
 * machine inflates wall time. Pass sizes as arguments (`node dist/bench/compile-bench.js 1000 10000`) to choose.
 */
import { analyze, manifestsByModule } from "../src/compile.js";
import { manifestStreamParts } from "../src/backends/k8s/manifests.js";
import { generatePolicy, policyOfLines, usableModules } from "./generate-policy.js";

const LABEL_RULES = 1000;

interface Sample {
  readonly wall: number;
  readonly cpu: number;
  readonly analyze: number;
  readonly emit: number;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Compiles as `dbellc compile` does, returning the stream's size. */
function compileOnce(text: string): { sample: Sample; bytes: number; excluding: number; objects: number; warnings: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const a = analyze([{ file: "bench.dbell", text }]);
  if (!a.ok) throw new Error(`generated policy has errors: ${a.diagnostics.find((d) => d.severity === "error")!.message}`);
  const t1 = performance.now();
  // As `dbellc compile` does: one module at a time, each document measured (as writing it would) and dropped.
  let bytes = 0;
  let excluding = 0;
  let objects = 0;
  for (const ms of manifestsByModule(a, { image: "docker.io/library/ubuntu:24.04" })) {
    let i = 0;
    for (const part of manifestStreamParts(ms)) {
      const n = Buffer.byteLength(part);
      bytes += n;
      // DaemonSets of label rules and defaults: each lists every host name of its module it must exclude.
      if (ms[i]!.kind === "DaemonSet" && ms[i]!.variants.some((v) => v.target.kind !== "Host")) excluding += n;
      i++;
    }
    objects += ms.length;
  }
  const t2 = performance.now();
  const c = process.cpuUsage(c0);
  return { sample: { wall: t2 - t0, cpu: (c.user + c.system) / 1000, analyze: t1 - t0, emit: t2 - t1 }, bytes, excluding, objects, warnings: a.diagnostics.length };
}

function benchCompile(hosts: number, runs: number): { hosts: number; wall: number; cpu: number; analyze: number; emit: number; bytes: number; excluding: number; objects: number; warnings: number; lines: number } {
  const text = generatePolicy({ hosts, labels: LABEL_RULES });
  const first = compileOnce(text);
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) samples.push(compileOnce(text).sample);
  return {
    hosts,
    wall: median(samples.map((s) => s.wall)),
    cpu: median(samples.map((s) => s.cpu)),
    analyze: median(samples.map((s) => s.analyze)),
    emit: median(samples.map((s) => s.emit)),
    bytes: first.bytes,
    excluding: first.excluding,
    objects: first.objects,
    warnings: first.warnings,
    lines: text.split("\n").length,
  };
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
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);

console.log(`modules: ${usableModules().join(", ")}; ${LABEL_RULES} label rules; node ${process.version}`);
console.log("host rules   lines   objects   output (label/default DaemonSets)   parse+check   emit        total       cpu         warnings");
const results = [];
for (const hosts of sizes.length ? sizes : [1000, 10000, 100000]) {
  const r = benchCompile(hosts, hosts >= 100000 ? 3 : 5);
  results.push(r);
  console.log(
    `${String(r.hosts).padStart(10)} ${String(r.lines).padStart(7)} ${String(r.objects).padStart(9)} ${`${(r.bytes / 1e6).toFixed(1)} MB`.padStart(9)} (${`${(r.excluding / 1e6).toFixed(1)} MB`.padStart(9)})             ${fmt(r.analyze)}    ${fmt(r.emit)}  ${fmt(r.wall)}  ${fmt(r.cpu)}  ${String(r.warnings).padStart(8)}`,
  );
}
for (let i = 1; i < results.length; i++) {
  const a = results[i - 1]!;
  const b = results[i]!;
  console.log(`${b.hosts / a.hosts}x host rules (${a.hosts} → ${b.hosts}): ${(b.wall / a.wall).toFixed(1)}x time, ${(b.cpu / a.cpu).toFixed(1)}x cpu, ${(b.bytes / a.bytes).toFixed(1)}x output`);
}
const check = benchCheck(1000, 20);
console.log(`check of a ${check.lines}-line file (warm, median of 20): ${check.wall.toFixed(1)} ms`);
