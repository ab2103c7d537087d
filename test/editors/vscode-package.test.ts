/**
 * `npm run package:vscode` builds a .vsix offline, and what it holds works: the manifest's files are inside, the
 * grammar is grammar/'s, and the bundled server inside answers over stdio as an editor would start it.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LspClient } from "../lsp/client.js";

const root = join(import.meta.dirname, "../..");
let dir: string;
let unpacked: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "dbell-vsix-"));
  const vsix = join(dir, "dbell.vsix");
  execFileSync(process.execPath, [join(root, "scripts/package-vscode.mjs"), vsix], { stdio: ["ignore", "ignore", "inherit"] });
  unpacked = join(dir, "unpacked");
  execFileSync("unzip", ["-q", vsix, "-d", unpacked]);
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("VS Code extension package", () => {
  it("holds the files its manifest names, with grammar/'s grammar and language configuration", () => {
    const ext = join(unpacked, "extension");
    const manifest = JSON.parse(readFileSync(join(ext, "package.json"), "utf8"));
    expect(manifest.main).toBe("./dist/extension.js");
    readFileSync(join(ext, manifest.main));
    expect(readFileSync(join(ext, manifest.contributes.grammars[0].path), "utf8")).toBe(readFileSync(join(root, "grammar/dbell.tmLanguage.json"), "utf8"));
    expect(readFileSync(join(ext, manifest.contributes.languages[0].configuration), "utf8")).toBe(readFileSync(join(root, "grammar/language-configuration.json"), "utf8"));
    expect(manifest.contributes.languages[0].extensions).toEqual([".dbell"]);
    // The client is bundled: it needs nothing but VS Code's own `vscode` module.
    const client = readFileSync(join(ext, manifest.main), "utf8");
    const required = new Set([...client.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]));
    expect([...required].filter((r) => !/^(node:)?[a-z_]+$/.test(r!))).toEqual([]);
    expect(required.has("vscode")).toBe(true);
  });

  it("carries a server that answers an editor over stdio", async () => {
    const file = join(dir, "p.dbell");
    writeFileSync(file, "set sysctll vm.a = 1\n");
    const uri = pathToFileURL(file).href;
    const client = LspClient.start([process.execPath, join(unpacked, "extension/server/dbellc.mjs"), "lsp", "--stdio"]);
    await client.request("initialize", { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { debounceMs: 0 } });
    client.notify("initialized", {});
    const published = client.diagnostics(uri);
    client.notify("textDocument/didOpen", { textDocument: { uri, languageId: "dbell", version: 1, text: "set sysctll vm.a = 1\n" } });
    expect((await published).diagnostics.map((d) => d.code)).toEqual(["DB2001"]);
    expect(await client.stop()).toBe(0);
  });
});
