/** Running host commands for the end-to-end harness: spawn, feed stdin, collect output, time it. */
import { spawn, spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  /** The exit status; 128 + signal number when the process was killed by a signal. */
  readonly code: number;
  /** Wall time in milliseconds. */
  readonly ms: number;
}

export interface RunOptions {
  /** Bytes written to the command's stdin (which is otherwise empty). */
  readonly input?: string | Buffer;
  readonly env?: NodeJS.ProcessEnv;
  /** Kill the command (SIGKILL) after this long; the result then has code 137. */
  readonly timeoutMs?: number;
}

const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

/** Runs `cmd args...` to completion; never rejects for a non-zero exit (check `code`). */
export function run(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, [...args], { stdio: ["pipe", "pipe", "pipe"], env: opts.env ?? process.env });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    const timer = opts.timeoutMs === undefined ? undefined : setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${cmd}: ${e.message}`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        code: code ?? 128 + (SIGNALS[signal ?? ""] ?? 0),
        ms: performance.now() - started,
      });
    });
    // A command that exits without reading its stdin closes the pipe; that is not an error here.
    child.stdin.on("error", () => undefined);
    child.stdin.end(opts.input ?? "");
  });
}

/** Like `run`, but rejects with the command's output when it exits non-zero. */
export async function runOk(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) throw new Error(`${describe(cmd, args)} exited ${r.code}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`);
  return r;
}

/** Synchronous best-effort command, for cleanup from a process `exit` handler. */
export function runSyncQuiet(cmd: string, args: readonly string[]): void {
  spawnSync(cmd, [...args], { stdio: "ignore", timeout: 10_000 });
}

export function describe(cmd: string, args: readonly string[]): string {
  const shown = [cmd, ...args].map((a) => (a.length > 80 ? `${a.slice(0, 77)}...` : a));
  return `\`${shown.join(" ")}\``;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Whether `cmd` is an executable on PATH (or in /usr/sbin, /sbin, where root's tools live). */
export function onPath(cmd: string): boolean {
  const path = [process.env["PATH"] ?? "", "/usr/sbin", "/sbin"].join(delimiter);
  return path.split(delimiter).some((d) => {
    try {
      accessSync(join(d, cmd), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
