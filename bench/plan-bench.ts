/**
 * `npm run build && node dist/bench/plan-bench.js [NODES...]`: times the whole `dbellc plan` process on the site
 * example against generated `kubectl get nodes -o json` inventories (default 5,000 nodes), without and with
 * `--against`, in human, JSON and HTML formats. The target: under 1 s for 5,000 nodes. Each number is the
 * median of several runs of a fresh process (start-up included); user+system CPU is shown beside wall time because a
 * shared machine inflates wall time.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { inventoryJson } from "./plan-inventory.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
/** The executable users run (package.json `bin`): the bundle `npm run build` makes. */
const bin = join(root, "dist/dbellc.mjs");
const RUNS = 7;

interface Timing {
  readonly wall: number;
  readonly cpu: number;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** One fresh process, timed by bash's `time` (wall, and the child's user+system CPU). */
function timeOnce(args: readonly string[]): Timing {
  const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" ");
  const r = spawnSync("bash", ["-c", `TIMEFORMAT='%R %U %S'; time node ${quoted} >/dev/null 2>&1`], { encoding: "utf8" });
  const [wall, user, sys] = r.stderr.trim().split("\n").pop()!.split(" ").map(Number);
  return { wall: wall! * 1000, cpu: (user! + sys!) * 1000 };
}

function bench(label: string, args: readonly string[]): void {
  const check = spawnSync("node", [bin, ...args], { encoding: "utf8", maxBuffer: 1 << 30 });
  if (check.status !== 0) throw new Error(`${label}: exit ${check.status}\n${check.stderr.slice(0, 2000)}`);
  const samples = Array.from({ length: RUNS }, () => timeOnce([bin, ...args]));
  const out = Buffer.byteLength(check.stdout);
  console.log(
    `${label.padEnd(40)} wall ${median(samples.map((s) => s.wall)).toFixed(0).padStart(5)} ms  cpu ${median(samples.map((s) => s.cpu)).toFixed(0).padStart(5)} ms  output ${(out / 1024).toFixed(0).padStart(6)} KB`,
  );
}

const sizes = process.argv.slice(2).map(Number);
const dir = mkdtempSync(join(tmpdir(), "dbell-plan-bench-"));
try {
  const site = readFileSync(join(root, "examples/site.dbell"), "utf8");
  const policy = join(dir, "site.dbell");
  const old = join(dir, "old.dbell");
  writeFileSync(old, site);
  // The change reviewed in docs/plan.md: swappiness raised everywhere and a new rule for one rack.
  writeFileSync(policy, site.replace("  vm.swappiness = 10\n", "  vm.swappiness = 20\n") + "\non label rack in [r07] set sysctl net.core.somaxconn = 8192\n");
  const base = timeOnce(["-e", "0"]);
  console.log(`${"node -e 0 (start-up)".padEnd(40)} wall ${base.wall.toFixed(0).padStart(5)} ms  cpu ${base.cpu.toFixed(0).padStart(5)} ms`);
  // What every command costs before it reads an inventory: start-up and analysis of the same policy.
  bench("check (the same policy, no inventory)", ["check", policy]);
  for (const n of sizes.length ? sizes : [5000]) {
    const nodes = join(dir, `nodes-${n}.json`);
    writeFileSync(nodes, inventoryJson({ nodes: n }));
    console.log(`\n${n} nodes, inventory ${(statSync(nodes).size / 1024 / 1024).toFixed(1)} MB`);
    bench("plan (human)", ["plan", policy, "--nodes", nodes]);
    bench("plan --format json", ["plan", policy, "--nodes", nodes, "--format", "json"]);
    bench("plan --format html", ["plan", policy, "--nodes", nodes, "--format", "html"]);
    bench("plan --against (human)", ["plan", policy, "--nodes", nodes, "--against", old]);
    bench("plan --against --format html", ["plan", policy, "--nodes", nodes, "--against", old, "--format", "html"]);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
