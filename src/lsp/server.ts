/**
 * `dbellc lsp`: the language server over stdio. Diagnostics are published per policy (a directory's `*.dbell` files,
 * see workspace.ts) a moment after the last edit, for every file of the policy, with the codes, places and related
 * places of `dbellc check`; hover, completion, definition/references, outline, formatting and quick fixes read the
 * same analysis.
 */
import { unwatchFile, watchFile } from "node:fs";
import { pathToFileURL } from "node:url";
import { createConnection, MessageType, ProposedFeatures, TextDocumentSyncKind, type Connection, type TextDocumentPositionParams } from "vscode-languageserver/node.js";
import { TextDocument } from "vscode-languageserver-textdocument";
import { complete } from "./completion.js";
import { Spans } from "./convert.js";
import { sortDiagnostics } from "../diagnostics/diagnostic.js";
import { ruleWarnings } from "../plan/warnings.js";
import { formatting, hover, quickFixes, relatedRules, symbols } from "./features.js";
import { InventoryFile } from "./inventory.js";
import { pathOf, Workspace } from "./workspace.js";

export interface ServerOptions {
  readonly name: string;
  readonly version: string;
}

/** Editors send a change per keystroke: analysis waits this long after the last one (`initializationOptions.debounceMs`). */
const DEFAULT_DEBOUNCE_MS = 150;

/** How often the configured inventory file's modification time is polled, so its warnings follow it (`inventoryPollMs`). */
const DEFAULT_INVENTORY_POLL_MS = 2000;

export function startStdioServer(options: ServerOptions): void {
  serve(createConnection(ProposedFeatures.all, process.stdin, process.stdout), options);
}

export function serve(connection: Connection, options: ServerOptions, ws = new Workspace()): void {
  let debounceMs = DEFAULT_DEBOUNCE_MS;
  const timers = new Map<string, NodeJS.Timeout>();
  /** URIs that got diagnostics, per policy, so a file that leaves a policy or gets clean is cleared. */
  const published = new Map<string, Set<string>>();
  const inventoryFile = new InventoryFile();
  let root: string | undefined;
  let pollMs = DEFAULT_INVENTORY_POLL_MS;
  let watched: string | undefined;
  /** The last problem shown for the inventory, so each is shown once rather than at every keystroke. */
  let shownProblem: string | undefined;

  /** The configured inventory as it is on disk now; a new problem with it is shown to the user once. */
  const inventory = () => {
    const s = inventoryFile.current();
    if (s.problem !== undefined && s.problem !== shownProblem) void connection.sendNotification("window/showMessage", { type: MessageType.Warning, message: s.problem });
    shownProblem = s.problem;
    return s.inventory;
  };

  const recheckAll = (): void => {
    for (const uri of ws.openUris()) schedule(uri);
  };

  /** Points the server at another inventory file (or none), watches it, and rechecks the open policies. */
  const configureInventory = (setting: unknown): void => {
    if (setting !== undefined && setting !== null && typeof setting !== "string") {
      void connection.sendNotification("window/showMessage", { type: MessageType.Warning, message: "dbellc: the inventory setting must be a path (a string)" });
      return;
    }
    if (!inventoryFile.configure(setting || undefined, root)) return;
    if (watched) unwatchFile(watched);
    watched = inventoryFile.path;
    shownProblem = undefined;
    // Not persistent: the watch alone does not keep the server running after `exit`.
    if (watched) watchFile(watched, { persistent: false, interval: pollMs }, recheckAll);
    recheckAll();
  };

  connection.onInitialize((params) => {
    const opts = params.initializationOptions as { debounceMs?: unknown; inventory?: unknown; inventoryPollMs?: unknown } | undefined;
    if (typeof opts?.debounceMs === "number" && opts.debounceMs >= 0) debounceMs = opts.debounceMs;
    if (typeof opts?.inventoryPollMs === "number" && opts.inventoryPollMs > 0) pollMs = opts.inventoryPollMs;
    const rootUri = params.workspaceFolders?.[0]?.uri ?? params.rootUri;
    root = (rootUri ? pathOf(rootUri) : undefined) ?? params.rootPath ?? undefined;
    safely(() => configureInventory(opts?.inventory));
    return {
      serverInfo: { name: options.name, version: options.version },
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        completionProvider: { triggerCharacters: [" ", "=", "[", ","] },
        definitionProvider: true,
        referencesProvider: true,
        documentSymbolProvider: true,
        documentFormattingProvider: true,
        codeActionProvider: { codeActionKinds: ["quickfix"] },
      },
    };
  });

  const publish = (uri: string): void => {
    const policy = ws.policyOf(uri);
    const a = ws.analysis(policy);
    const spans = new Spans(ws, policy);
    const byUri = new Map<string, ReturnType<Spans["diagnostic"]>[]>(policy.files.map((f) => [f.uri, []]));
    const inv = inventory();
    const all = inv ? sortDiagnostics([...a.diagnostics, ...ruleWarnings(a, inv)]) : a.diagnostics;
    for (const d of all) byUri.get(spans.uri(d.span.file))?.push(spans.diagnostic(d));
    const before = published.get(policy.key) ?? new Set();
    for (const old of before) if (!byUri.has(old)) void connection.sendDiagnostics({ uri: old, diagnostics: [] });
    for (const [u, diagnostics] of byUri) void connection.sendDiagnostics({ uri: u, diagnostics });
    published.set(policy.key, new Set(byUri.keys()));
  };

  const schedule = (uri: string): void => {
    const key = ws.policyOf(uri).key;
    clearTimeout(timers.get(key));
    timers.set(key, setTimeout(() => {
      timers.delete(key);
      safely(() => publish(uri));
    }, debounceMs));
  };

  const safely = <T>(f: () => T, fallback?: T): T | undefined => {
    try {
      return f();
    } catch (e) {
      connection.console.error(`dbellc: internal error [DB9001]: ${(e as Error)?.stack ?? String(e)}`);
      return fallback;
    }
  };

  connection.onDidOpenTextDocument((p) => {
    ws.setDocument(TextDocument.create(p.textDocument.uri, p.textDocument.languageId, p.textDocument.version, p.textDocument.text));
    schedule(p.textDocument.uri);
  });
  connection.onDidChangeTextDocument((p) => {
    const doc = ws.document(p.textDocument.uri);
    if (!doc) return;
    ws.setDocument(TextDocument.update(doc, p.contentChanges, p.textDocument.version));
    schedule(p.textDocument.uri);
  });
  connection.onDidSaveTextDocument((p) => schedule(p.textDocument.uri));
  // A policy file changed, appeared or went away on disk (the client watches `**/*.dbell`): recheck open policies.
  connection.onDidChangeWatchedFiles((p) => {
    const inv = inventoryFile.path;
    if (inv && p.changes.some((c) => c.uri === pathToFileURL(inv).href)) return recheckAll();
    const keys = new Set(p.changes.map((c) => ws.policyOf(c.uri).key));
    const seen = new Set<string>();
    for (const uri of ws.openUris()) {
      const key = ws.policyOf(uri).key;
      if (keys.has(key) && !seen.has(key)) {
        seen.add(key);
        schedule(uri);
      }
    }
  });
  // `dbell.inventory` in the client's settings; a client without the setting leaves the initialization option.
  connection.onDidChangeConfiguration((p) => {
    const settings = p.settings as { dbell?: { inventory?: unknown } } | null | undefined;
    if (settings?.dbell && "inventory" in settings.dbell) safely(() => configureInventory(settings.dbell?.inventory));
  });
  connection.onDidCloseTextDocument((p) => {
    ws.closeDocument(p.textDocument.uri);
    // Its text on disk may differ from the editor's last version: the rest of the policy is checked against the disk.
    for (const other of ws.openUris()) if (ws.policyOf(other).key === ws.policyOf(p.textDocument.uri).key) return schedule(other);
  });

  /** The analysis, syntax tree, text and offset for a request at a position. */
  const at = (p: TextDocumentPositionParams) => {
    const { policy, file } = ws.fileOf(p.textDocument.uri);
    const a = ws.analysis(policy);
    const doc = ws.textDocument(file);
    const ast = a.files.find((f) => f.file === file.name);
    return { a, ast, text: doc.getText(), offset: doc.offsetAt(p.position), spans: new Spans(ws, policy) };
  };

  connection.onHover((p) => safely(() => {
    const c = at(p);
    return c.ast ? hover(c.a, c.ast, c.offset, c.spans, inventory()) : null;
  }, null) ?? null);
  connection.onCompletion((p) => safely(() => {
    const c = at(p);
    return complete(c.a, c.text, c.offset, inventory());
  }, []) ?? []);
  connection.onDefinition((p) => safely(() => {
    const c = at(p);
    return c.ast ? relatedRules(c.a, c.ast, c.offset, c.spans) : [];
  }, []) ?? []);
  connection.onReferences((p) => safely(() => {
    const c = at(p);
    return c.ast ? relatedRules(c.a, c.ast, c.offset, c.spans) : [];
  }, []) ?? []);
  connection.onDocumentSymbol((p) => safely(() => {
    const { policy, file } = ws.fileOf(p.textDocument.uri);
    const ast = ws.analysis(policy).files.find((f) => f.file === file.name);
    return ast ? symbols(ast, new Spans(ws, policy)) : [];
  }, []) ?? []);
  connection.onDocumentFormatting((p) => safely(() => {
    const { policy, file } = ws.fileOf(p.textDocument.uri);
    return formatting(file.name, ws.text(file), new Spans(ws, policy));
  }, []) ?? []);
  connection.onCodeAction((p) => safely(() => quickFixes(p), []) ?? []);

  connection.onShutdown(() => {
    for (const t of timers.values()) clearTimeout(t);
    timers.clear();
    if (watched) unwatchFile(watched);
  });
  connection.listen();
}
