/** Diagnostics as the language server sends them: quick-fix data only where the underline is the misspelt word. */
import { TextDocument } from "vscode-languageserver-textdocument";
import { describe, expect, it } from "vitest";
import { Spans } from "../../src/lsp/convert.js";
import { Workspace } from "../../src/lsp/workspace.js";

function converted(text: string) {
  const ws = new Workspace({ list: () => ["p.dbell"], read: () => undefined });
  const uri = "file:///policy/p.dbell";
  ws.setDocument(TextDocument.create(uri, "dbell", 1, text));
  const policy = ws.policyOf(uri);
  const spans = new Spans(ws, policy);
  return ws.analysis(policy).diagnostics.map((d) => ({ code: d.code, data: spans.diagnostic(d).data, message: spans.diagnostic(d).message }));
}

describe("LSP diagnostics", () => {
  it("carry the replacement for a misspelt word, keeping its quotes", () => {
    expect(converted("set sysctll vm.a = 1\n")).toMatchObject([{ code: "DB2001", data: { replacement: "sysctl" } }]);
    expect(converted('set users user ops { ssh_keys = ["unmanaged"] }\n')).toMatchObject([{ code: "DB2803", data: { replacement: '"Unmanaged"' } }]);
  });

  it("carry none where the underline is more than the word (a whole ssh key line)", () => {
    const r = converted('set users user ops { ssh_keys = ["ssh-ed2551 AAAAC3NzaC1lZDI1NTE5AAAAIOWfNIEgVBmR3R6EM10RwVjXXxRG3iKE2oxOxMHfEzqr ops"] }\n');
    expect(r.map((x) => x.code)).toEqual(["DB2803"]);
    expect(r[0]!.message).toContain("did you mean `ssh-ed25519`?");
    expect(r[0]!.data).toBeUndefined();
  });
});
