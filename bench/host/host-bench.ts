/**
 * Host-script benchmark: for each shape (shapes.ts), boots fresh nodes with the end-to-end harness and reports the
 * wall-clock time and the processes spawned by the module's host script on a first run and on a no-op re-run.
 *
 *   npm run bench:host -- [SHAPE...] [--json FILE]   (root, as the e2e tests; DBELL_E2E_DIR and DBELL_SKIP_E2E honoured)
 *
 * Times come from plain runs (node.apply); counts from a second node whose runs go under strace (tracedApply), since
 * strace slows every system call. The no-op target (issue: "host scripts at the speed of the kernel") is at most
 * 10 + settings/10 processes and under 1 s.
 */
import { writeFileSync } from "node:fs";
import { bootNode, showRun, type Node } from "../../test/e2e/support/node.js";
import { E2E_SKIPPED, preflight } from "../../test/e2e/support/preflight.js";
import { tracedApply, type TracedResult } from "../../test/e2e/support/trace.js";
import { SHAPES, type Shape } from "./shapes.js";

interface Row {
  readonly shape: string;
  readonly settings: number;
  readonly first: { ms: number; processes: number; execs: number };
  readonly noop: { ms: number; processes: number; execs: number; programs: readonly (readonly [string, number])[] };
  readonly target: number;
}

function ok(r: { code: number; stdout: string; stderr: string; ms: number }, what: string): void {
  if (r.code !== 0) throw new Error(`${what} failed\n${showRun(r)}`);
}

async function onNode<T>(shape: Shape, fn: (node: Node, policy: string) => Promise<T>): Promise<T> {
  const node = await bootNode({ mirror: shape.mirror ?? false });
  try {
    return await fn(node, await shape.prepare(node));
  } finally {
    await node.stop();
  }
}

async function measure(shape: Shape): Promise<Row> {
  const timeout = { timeoutMs: 600_000 };
  const [firstMs, noopMs] = await onNode(shape, async (node, policy) => {
    const a = await node.apply(policy, shape.module, timeout);
    ok(a, `${shape.name}: first run`);
    const b = await node.apply(policy, shape.module, timeout);
    ok(b, `${shape.name}: no-op run`);
    return [a.ms, b.ms];
  });
  const [first, noop] = await onNode(shape, async (node, policy): Promise<[TracedResult, TracedResult]> => {
    const a = await tracedApply(node, policy, shape.module);
    ok(a, `${shape.name}: first run (traced)`);
    const b = await tracedApply(node, policy, shape.module);
    ok(b, `${shape.name}: no-op run (traced)`);
    return [a, b];
  });
  return {
    shape: shape.name,
    settings: shape.settings,
    first: { ms: firstMs, processes: first.processes, execs: first.execs },
    noop: { ms: noopMs, processes: noop.processes, execs: noop.execs, programs: noop.programs },
    target: 10 + Math.floor(shape.settings / 10),
  };
}

/** What running an empty script through the pod emulation costs: part of every time below. */
async function overhead(): Promise<number> {
  const node = await bootNode();
  try {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) times.push((await node.runHostScript("exit 0\n")).ms);
    return times.sort((a, b) => a - b)[2]!;
  } finally {
    await node.stop();
  }
}

async function main(argv: readonly string[]): Promise<void> {
  const jsonAt = argv.indexOf("--json");
  const json = jsonAt >= 0 ? argv[jsonAt + 1] : undefined;
  const names = argv.filter((_, i) => jsonAt < 0 || (i !== jsonAt && i !== jsonAt + 1));
  const unknown = names.filter((n) => !SHAPES.some((s) => s.name === n));
  if (unknown.length > 0) throw new Error(`unknown shape ${unknown.join(", ")}; shapes: ${SHAPES.map((s) => s.name).join(", ")}`);
  const shapes = names.length > 0 ? SHAPES.filter((s) => names.includes(s.name)) : SHAPES;
  if (E2E_SKIPPED) {
    console.log("host-script benchmark skipped (DBELL_SKIP_E2E=1): it boots nodes as the end-to-end tests do");
    return;
  }
  preflight();
  const base = await overhead();
  console.log(`pod emulation overhead (empty script): ${(base / 1000).toFixed(3)} s, included in every time below`);
  const rows: Row[] = [];
  for (const shape of shapes) {
    const row = await measure(shape);
    rows.push(row);
    const s = (ms: number): string => (ms / 1000).toFixed(2);
    const met = row.noop.processes <= row.target && row.noop.ms < 1000 ? "met" : "MISSED";
    console.log(
      `${row.shape} (${row.settings}): first ${s(row.first.ms)} s, ${row.first.processes} processes (${row.first.execs} execs); ` +
        `no-op ${s(row.noop.ms)} s, ${row.noop.processes} processes (${row.noop.execs} execs); target <= ${row.target} processes, < 1 s: ${met}` +
        `\n  no-op programs: ${row.noop.programs.map(([p, n]) => `${p} ${n}`).join(", ") || "none"}`,
    );
  }
  console.log("\n| shape | first run s | first run processes | no-op s | no-op processes | target |\n|---|---:|---:|---:|---:|---:|");
  for (const r of rows) {
    console.log(`| ${r.shape} ${r.settings} | ${(r.first.ms / 1000).toFixed(2)} | ${r.first.processes} | ${(r.noop.ms / 1000).toFixed(2)} | ${r.noop.processes} | ${r.target} |`);
  }
  if (json) writeFileSync(json, JSON.stringify({ overheadMs: base, rows }, null, 2) + "\n");
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  },
);
