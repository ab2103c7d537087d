/**
 * Language-server diagnostics latency on a 1,000-line policy: from `didOpen` or `didChange` to the
 * `publishDiagnostics` that answers it, through the bundled `dbellc lsp` over stdio, with the debounce set to 0
 * (an editor adds the debounce, 150 ms by default, on top). Run after `npm run build`: `npx tsx bench/lsp-latency.ts`.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from "vscode-jsonrpc/node.js";
import { policyOfLines } from "./generate-policy.js";

const root = join(import.meta.dirname, "..");
const dir = mkdtempSync(join(tmpdir(), "dbell-lsp-bench-"));
const uri = pathToFileURL(join(dir, "policy.dbell")).href;
const text = policyOfLines(1000);
const proc = spawn(process.execPath, [join(root, "dist/dbellc.mjs"), "lsp", "--stdio"], { stdio: ["pipe", "pipe", "inherit"] });
const conn = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
let waiting: ((n: number) => void) | undefined;
conn.onNotification("textDocument/publishDiagnostics", (p: { uri: string; diagnostics: unknown[] }) => {
  if (p.uri === uri) waiting?.(p.diagnostics.length);
});
conn.listen();
const next = () => new Promise<number>((resolve) => (waiting = resolve));

await conn.sendRequest("initialize", { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { debounceMs: 0 } });
await conn.sendNotification("initialized", {});
let t = performance.now();
let got = next();
await conn.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "dbell", version: 1, text } });
const count = await got;
const open = performance.now() - t;
const times: number[] = [];
for (let v = 2; v < 32; v++) {
  got = next();
  t = performance.now();
  // Each edit changes one value on the first line, so every run analyses the whole file again.
  const edited = text.replace(/= \d+/, `= ${v}`);
  await conn.sendNotification("textDocument/didChange", { textDocument: { uri, version: v }, contentChanges: [{ text: edited }] });
  await got;
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
console.log(`${text.split("\n").length}-line file, ${count} diagnostics`);
console.log(`didOpen → diagnostics (cold): ${open.toFixed(0)} ms`);
console.log(`didChange → diagnostics: median ${times[times.length >> 1]!.toFixed(1)} ms, p90 ${times[Math.floor(times.length * 0.9)]!.toFixed(1)} ms (${times.length} edits)`);
await conn.sendRequest("shutdown");
await conn.sendNotification("exit");
conn.dispose();
rmSync(dir, { recursive: true, force: true });
