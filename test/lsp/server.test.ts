/**
 * The language server driven over stdio by a JSON-RPC client, on a multi-file policy: a directory with
 * 10-base.dbell (on disk only) and 20-site.dbell (open in the "editor").
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { format } from "../../src/syntax/format.js";
import { LspClient, type LspDiagnostic } from "./client.js";

const base = "set sysctl vm.swappiness = 10\non label role in [db] set sysctl vm.swappiness = 1\n";
const site = [
  "set sysctll net.ipv4.ip_forward = 1", // 0: unknown module, did you mean `sysctl`
  "set limits nofile { domain = \"*\"  type = soft  item = nofile  value = 1024 }", // 1
  "on label zone in [eu] set sysctl vm.swappiness = 2", // 2: overlaps base's `role in [db]` rule (reported there)
  "",
].join("\n");

let dir: string;
let baseUri: string;
let siteUri: string;
let client: LspClient;

const pos = (line: number, character: number) => ({ line, character });
const at = (uri: string, line: number, character: number) => ({ textDocument: { uri }, position: pos(line, character) });
const codes = (ds: readonly LspDiagnostic[]) => ds.map((d) => d.code);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "dbell-lsp-"));
  writeFileSync(join(dir, "10-base.dbell"), base);
  writeFileSync(join(dir, "20-site.dbell"), site);
  writeFileSync(join(dir, "notes.txt"), "not a policy file");
  baseUri = pathToFileURL(join(dir, "10-base.dbell")).href;
  siteUri = pathToFileURL(join(dir, "20-site.dbell")).href;
  client = LspClient.start();
  const init = await client.request<{ capabilities: Record<string, unknown> }>("initialize", {
    processId: process.pid,
    rootUri: pathToFileURL(dir).href,
    capabilities: {},
    initializationOptions: { debounceMs: 20 },
  });
  expect(init.capabilities).toMatchObject({ hoverProvider: true, documentFormattingProvider: true, documentSymbolProvider: true, definitionProvider: true });
  client.notify("initialized", {});
}, 60000);

afterAll(async () => {
  expect(await client.stop()).toBe(0);
  rmSync(dir, { recursive: true, force: true });
});

describe("dbellc lsp", () => {
  let siteDiagnostics: readonly LspDiagnostic[];

  it("publishes diagnostics for every file of the policy when one is opened", async () => {
    const forSite = client.diagnostics(siteUri);
    const forBase = client.diagnostics(baseUri);
    client.notify("textDocument/didOpen", { textDocument: { uri: siteUri, languageId: "dbell", version: 1, text: site } });
    siteDiagnostics = (await forSite).diagnostics;
    expect(codes(siteDiagnostics)).toEqual(["DB2001"]);
    const unknown = siteDiagnostics.find((d) => d.code === "DB2001")!;
    expect(unknown.severity).toBe(1);
    expect(unknown.range).toEqual({ start: pos(0, 4), end: pos(0, 11) });
    // The overlap is reported in base (the earlier rule) and relates the rule in site: warnings across files.
    const baseDs = (await forBase).diagnostics;
    expect(codes(baseDs)).toEqual(["DB3002"]);
    expect(baseDs[0]!.severity).toBe(2);
    expect(baseDs[0]!.relatedInformation?.[0]?.location.uri).toBe(siteUri);
  });

  it("updates diagnostics after an edit", async () => {
    const fixed = client.diagnostics(siteUri, (p) => !codes(p.diagnostics).includes("DB2001"));
    client.notify("textDocument/didChange", {
      textDocument: { uri: siteUri, version: 2 },
      contentChanges: [{ range: { start: pos(0, 4), end: pos(0, 11) }, text: "sysctl" }],
    });
    expect(codes((await fixed).diagnostics)).toEqual([]);
    const broken = client.diagnostics(siteUri, (p) => codes(p.diagnostics).includes("DB2001"));
    client.notify("textDocument/didChange", {
      textDocument: { uri: siteUri, version: 3 },
      contentChanges: [{ range: { start: pos(0, 4), end: pos(0, 10) }, text: "sysctll" }],
    });
    siteDiagnostics = (await broken).diagnostics;
  });

  it("offers the did-you-mean as a quick fix", async () => {
    const d = siteDiagnostics.find((x) => x.code === "DB2001")!;
    const actions = await client.request<{ title: string; kind: string; edit: { changes: Record<string, { range: unknown; newText: string }[]> } }[]>(
      "textDocument/codeAction",
      { textDocument: { uri: siteUri }, range: d.range, context: { diagnostics: [d] } },
    );
    expect(actions).toHaveLength(1);
    expect(actions[0]!.kind).toBe("quickfix");
    expect(actions[0]!.edit.changes[siteUri]).toEqual([{ range: d.range, newText: "sysctl" }]);
  });

  it("hovers: module docs, a field's allowed values, and the rules a selector overlaps", async () => {
    type H = { contents: { value: string } } | null;
    const mod = await client.request<H>("textDocument/hover", at(siteUri, 1, 6));
    expect(mod?.contents.value).toContain("**limits**: pam_limits entries");
    const field = await client.request<H>("textDocument/hover", at(siteUri, 1, 35));
    expect(field?.contents.value).toMatch(/limits nofile type[\s\S]*Allowed: `soft`, `hard`, `-`/);
    const target = await client.request<H>("textDocument/hover", at(siteUri, 2, 10));
    expect(target?.contents.value).toContain("Overlapping rules");
    expect(target?.contents.value).toContain("DB3002");
    expect(target?.contents.value).toContain("10-base.dbell:2");
  });

  it("completes modules, fields, enum words and label keys used in the other file", async () => {
    type C = { label: string }[];
    const labels = (items: C) => items.map((i) => i.label);
    const edit = (version: number, text: string) =>
      client.notify("textDocument/didChange", { textDocument: { uri: siteUri, version }, contentChanges: [{ text }] });
    edit(4, site + "set \n");
    expect(labels(await client.request<C>("textDocument/completion", at(siteUri, 3, 4)))).toEqual(expect.arrayContaining(["sysctl", "mounts", "limits", "apparmor"]));
    edit(5, site + "set limits x { type = \n");
    expect(labels(await client.request<C>("textDocument/completion", at(siteUri, 3, 22)))).toEqual(["soft", "hard", "-"]);
    edit(6, site + "set limits x { \n");
    expect(labels(await client.request<C>("textDocument/completion", at(siteUri, 3, 15)))).toEqual(expect.arrayContaining(["domain", "type", "item", "value"]));
    edit(7, site + "on label \n");
    expect(labels(await client.request<C>("textDocument/completion", at(siteUri, 3, 9)))).toEqual(["role", "zone"]);
    edit(8, site + "on label role in [\n");
    expect(labels(await client.request<C>("textDocument/completion", at(siteUri, 3, 18)))).toEqual(["db"]);
    edit(9, site);
  });

  it("goes from a rule to the rules the overlap checks relate it to", async () => {
    type L = { uri: string; range: { start: { line: number } } }[];
    const defs = await client.request<L>("textDocument/definition", at(siteUri, 2, 10));
    expect(defs.map((l) => [l.uri, l.range.start.line])).toEqual([[baseUri, 1]]);
    const refs = await client.request<L>("textDocument/references", { ...at(baseUri, 1, 5), context: { includeDeclaration: false } });
    expect(refs.map((l) => [l.uri, l.range.start.line])).toEqual([[siteUri, 2]]);
  });

  it("lists the outline", async () => {
    const syms = await client.request<{ name: string; children?: { name: string }[] }[]>("textDocument/documentSymbol", { textDocument: { uri: siteUri } });
    expect(syms.map((s) => s.name)).toEqual(["set sysctll net.ipv4.ip_forward", "set limits nofile", "on label zone in [eu]"]);
    expect(syms[1]!.children?.map((c) => c.name)).toEqual(["domain", "type", "item", "value"]);
    expect(syms[2]!.children?.map((c) => c.name)).toEqual(["set sysctl vm.swappiness"]);
  });

  it("rechecks the policy when a file of it changes on disk", async () => {
    const moreUri = pathToFileURL(join(dir, "30-more.dbell")).href;
    const published = client.diagnostics(moreUri, (p) => codes(p.diagnostics).includes("DB2009"));
    writeFileSync(join(dir, "30-more.dbell"), "set sysctl vm.swappiness = 30\n");
    client.notify("workspace/didChangeWatchedFiles", { changes: [{ uri: moreUri, type: 1 }] });
    // The defaults already set vm.swappiness in 10-base.dbell: the new file is part of the same policy.
    const d = (await published).diagnostics.find((x) => x.code === "DB2009")!;
    expect(d.relatedInformation?.[0]?.location.uri).toBe(baseUri);
  });

  it("formats exactly as dbellc fmt", async () => {
    const messy = "set sysctl   vm.a=1 ; # note\non label zone in [eu,us] {set sysctl vm.b = 0644}\n";
    client.notify("textDocument/didChange", { textDocument: { uri: siteUri, version: 10 }, contentChanges: [{ text: messy }] });
    const edits = await client.request<{ newText: string }[]>("textDocument/formatting", { textDocument: { uri: siteUri }, options: { tabSize: 2, insertSpaces: true } });
    expect(edits).toHaveLength(1);
    expect(edits[0]!.newText).toBe(format("x.dbell", messy).text);
    client.notify("textDocument/didChange", { textDocument: { uri: siteUri, version: 11 }, contentChanges: [{ text: "set sysctl {\n" }] });
    expect(await client.request("textDocument/formatting", { textDocument: { uri: siteUri }, options: { tabSize: 2, insertSpaces: true } })).toEqual([]);
  });
});
