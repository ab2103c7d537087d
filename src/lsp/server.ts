/**
 * `dbellc lsp`: the language server over stdio. Diagnostics are published per policy (a directory's `*.dbell` files,
 * see workspace.ts) a moment after the last edit, for every file of the policy, with the codes, places and related
 * places of `dbellc check`; hover, completion, definition/references, outline, formatting and quick fixes read the
 * same analysis.
 */
import { createConnection, ProposedFeatures, TextDocumentSyncKind, type Connection, type TextDocumentPositionParams } from "vscode-languageserver/node.js";
import { TextDocument } from "vscode-languageserver-textdocument";
import { complete } from "./completion.js";
import { Spans } from "./convert.js";
import { formatting, hover, quickFixes, relatedRules, symbols } from "./features.js";
import { Workspace } from "./workspace.js";

export interface ServerOptions {
  readonly name: string;
  readonly version: string;
}

/** Editors send a change per keystroke: analysis waits this long after the last one (`initializationOptions.debounceMs`). */
const DEFAULT_DEBOUNCE_MS = 150;

export function startStdioServer(options: ServerOptions): void {
  serve(createConnection(ProposedFeatures.all, process.stdin, process.stdout), options);
}

export function serve(connection: Connection, options: ServerOptions, ws = new Workspace()): void {
  let debounceMs = DEFAULT_DEBOUNCE_MS;
  const timers = new Map<string, NodeJS.Timeout>();
  /** URIs that got diagnostics, per policy, so a file that leaves a policy or gets clean is cleared. */
  const published = new Map<string, Set<string>>();

  connection.onInitialize((params) => {
    const opts = params.initializationOptions as { debounceMs?: unknown } | undefined;
    if (typeof opts?.debounceMs === "number" && opts.debounceMs >= 0) debounceMs = opts.debounceMs;
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
    for (const d of a.diagnostics) byUri.get(spans.uri(d.span.file))?.push(spans.diagnostic(d));
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
    return c.ast ? hover(c.a, c.ast, c.offset, c.spans) : null;
  }, null) ?? null);
  connection.onCompletion((p) => safely(() => {
    const c = at(p);
    return complete(c.a, c.text, c.offset);
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
  });
  connection.listen();
}
