/** The TextMate grammar as VS Code runs it (vscode-textmate with Oniguruma), on every example and golden input. */
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import * as oniguruma from "vscode-oniguruma";
import * as textmate from "vscode-textmate";
import { beforeAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");
const require = createRequire(import.meta.url);
let grammar: textmate.IGrammar;

beforeAll(async () => {
  const wasm = readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p) => new oniguruma.OnigScanner(p), createOnigString: (s) => new oniguruma.OnigString(s) }),
    loadGrammar: async () => textmate.parseRawGrammar(readFileSync(join(root, "grammar/dbell.tmLanguage.json"), "utf8"), "dbell.tmLanguage.json"),
  });
  grammar = (await registry.loadGrammar("source.dbell"))!;
});

/** Each token of `text` with its innermost scope (without the `.dbell` suffix). */
function tokenize(text: string): { text: string; scope: string }[] {
  let state = textmate.INITIAL;
  const out: { text: string; scope: string }[] = [];
  for (const line of text.split("\n")) {
    const r = grammar.tokenizeLine(line, state);
    for (const t of r.tokens) {
      const s = line.slice(t.startIndex, t.endIndex);
      if (s.trim() !== "") out.push({ text: s, scope: t.scopes[t.scopes.length - 1]!.replace(/\.dbell$/, "") });
    }
    state = r.ruleStack;
  }
  return out;
}

const scopeOf = (text: string, word: string, nth = 0) => tokenize(text).filter((t) => t.text.trim() === word)[nth]?.scope;

const inputs = [
  ...readdirSync(join(root, "examples")).map((f) => join(root, "examples", f)),
  ...readdirSync(join(root, "test/golden")).map((d) => join(root, "test/golden", d, "input.dbell")),
].filter((p) => p.endsWith(".dbell") && !p.includes("syntax-errors"));

describe("TextMate grammar", () => {
  it("gives every character of every example and golden input a scope", () => {
    for (const p of inputs) {
      let text: string;
      try {
        text = readFileSync(p, "utf8");
      } catch {
        continue;
      }
      for (const t of tokenize(text)) expect(t.scope, `${p}: \`${t.text}\``).not.toBe("source");
    }
  });

  it("scopes targets: on, label, host and in as keywords, the label key, values and host name", () => {
    const text = "on label node-role.kubernetes.io/storage in [true, \"x y\"] {\n}\non host gateway-01 set sysctl vm.a = 1\n";
    expect(scopeOf(text, "on")).toBe("keyword.control");
    expect(scopeOf(text, "label")).toBe("keyword.control");
    expect(scopeOf(text, "in")).toBe("keyword.control");
    expect(scopeOf(text, "node-role.kubernetes.io/storage")).toBe("entity.name.selector");
    expect(scopeOf(text, "true")).toBe("string.unquoted.label-value");
    expect(scopeOf(text, "host")).toBe("keyword.control");
    expect(scopeOf(text, "gateway-01")).toBe("entity.name.selector");
    expect(scopeOf(text, "set")).toBe("keyword.control");
  });

  it("scopes modules, keys and values", () => {
    const text = "set sysctl net.ipv4.ip_forward = 1\nset mounts scratch {\n  target = /var/lib/scratch\n  options = \"size=2G\"\n}\nset limits x { domain = \"*\"  type = soft }\nset apt upgrade = on\n";
    expect(scopeOf(text, "sysctl")).toBe("entity.name.type.module");
    expect(scopeOf(text, "net.ipv4.ip_forward")).toBe("variable.other.key");
    expect(scopeOf(text, "1")).toBe("constant.numeric");
    expect(scopeOf(text, "scratch")).toBe("variable.other.key");
    expect(scopeOf(text, "target")).toBe("variable.other.key");
    expect(scopeOf(text, "/var/lib/scratch")).toBe("string.unquoted");
    expect(scopeOf(text, "type")).toBe("variable.other.key");
    expect(scopeOf(text, "soft")).toBe("string.unquoted");
    expect(scopeOf(text, "on")).toBe("constant.language");
    expect(scopeOf(text, "=")).toBe("keyword.operator.assignment");
  });

  it("scopes comments and strings, including multi-line ones", () => {
    const text = "# note\nset exec x { script = \"\"\"\n  echo on\n  \"\"\" }\nset users user u { password = '$6$x$y' }\n";
    expect(scopeOf(text, "# note")).toBe("comment.line.number-sign");
    expect(scopeOf(text, "echo on")).toBe("string.quoted.triple");
    expect(scopeOf(text, "$6$x$y")).toBe("string.quoted.single");
  });

  it("tokenizes the site example as recorded (review the diff when the grammar changes)", async () => {
    const text = readFileSync(join(root, "examples/site.dbell"), "utf8");
    const lines = tokenize(text).map((t) => `${t.scope.padEnd(32)} ${t.text.split("\n")[0]}`);
    await expect(lines.join("\n") + "\n").toMatchFileSnapshot(join(import.meta.dirname, "site.tokens.txt"));
  });
});
