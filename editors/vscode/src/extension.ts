/** The VS Code client: starts `dbellc lsp --stdio` (the bundled one, or `dbell.server.path`) for .dbell files. */
import * as vscode from "vscode";
import { LanguageClient, TransportKind, type Executable, type LanguageClientOptions, type NodeModule, type ServerOptions } from "vscode-languageclient/node";

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const configured = vscode.workspace.getConfiguration("dbell").get<string>("server.path", "").trim();
  // The bundled server is one file run by the extension host's own Node.js, so nothing else needs installing; the
  // client adds `--stdio` to the arguments.
  const bundled: NodeModule = { module: context.asAbsolutePath("server/dbellc.mjs"), args: ["lsp"], transport: TransportKind.stdio };
  const own: Executable = { command: configured, args: ["lsp"], transport: TransportKind.stdio };
  const server: ServerOptions = configured ? { run: own, debug: own } : { run: bundled, debug: bundled };
  const options: LanguageClientOptions = {
    documentSelector: [{ scheme: "file", language: "dbell" }, { scheme: "untitled", language: "dbell" }],
    // `configurationSection` sends the `dbell` settings (among them `dbell.inventory`) at start and on every change.
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/*.dbell"), configurationSection: "dbell" },
  };
  client = new LanguageClient("dbell", "dbell language server", server, options);
  await client.start();
  context.subscriptions.push({ dispose: () => void client?.stop() });
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
