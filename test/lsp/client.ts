/** A JSON-RPC client that starts the real `dbellc lsp` over stdio, for tests. */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from "vscode-jsonrpc/node.js";

export interface PublishedDiagnostics {
  readonly uri: string;
  readonly diagnostics: readonly LspDiagnostic[];
}

export interface LspDiagnostic {
  readonly range: { start: { line: number; character: number }; end: { line: number; character: number } };
  readonly severity: number;
  readonly code: string;
  readonly message: string;
  readonly relatedInformation?: readonly { location: { uri: string; range: LspDiagnostic["range"] }; message: string }[];
  readonly data?: unknown;
}

export class LspClient {
  readonly connection: MessageConnection;
  private readonly waiters: { match: (p: PublishedDiagnostics) => boolean; resolve: (p: PublishedDiagnostics) => void }[] = [];
  /** The latest diagnostics published for each URI. */
  readonly latest = new Map<string, PublishedDiagnostics>();

  private constructor(readonly proc: ChildProcess) {
    this.connection = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    this.connection.onNotification("textDocument/publishDiagnostics", (p: PublishedDiagnostics) => {
      this.latest.set(p.uri, p);
      for (const w of [...this.waiters]) {
        if (w.match(p)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(p);
        }
      }
    });
    this.connection.listen();
  }

  /** Runs `src/cli/bin.ts lsp --stdio` through tsx, or the given command (the bundled CLI). */
  static start(command: readonly string[] = [process.execPath, "--import", "tsx", join(import.meta.dirname, "../../src/cli/bin.ts"), "lsp", "--stdio"]): LspClient {
    const proc = spawn(command[0]!, command.slice(1), { stdio: ["pipe", "pipe", "inherit"] });
    return new LspClient(proc);
  }

  /** Resolves with the next diagnostics for `uri` that satisfy `match` (or the latest, if they already do). */
  diagnostics(uri: string, match: (p: PublishedDiagnostics) => boolean = () => true, timeoutMs = 20000): Promise<PublishedDiagnostics> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${uri}; latest: ${JSON.stringify(this.latest.get(uri))}`)), timeoutMs);
      this.waiters.push({
        match: (p) => p.uri === uri && match(p),
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p);
        },
      });
    });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  notify(method: string, params: unknown): void {
    void this.connection.sendNotification(method, params);
  }

  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.proc.once("exit", (code) => resolve(code)));
    await this.request("shutdown", null);
    this.notify("exit", null);
    const code = await exited;
    this.connection.dispose();
    return code;
  }
}
