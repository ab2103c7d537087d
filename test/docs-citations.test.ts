/**
 * Comments and docs cite only pages the repository has: a citation of a design document that is not shipped
 * (`spec §5.6`, a section sign into it) leaves a reader nowhere to go.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const DIRS = ["src", "test", "bench", "scripts", "docs", "editors/vscode/src", "grammar"];
const SKIP = new Set(["node_modules", "golden", "dist", "cases"]);
// Section signs of outside standards (RFC 4880 §6, Debian policy §5.6.1) are fine; bare ones point into missing documents.
const MISSING = /\b(?:spec|PRODUCT\.md|STYLE\.md|divingbell-spec(?:\.md)?)\b[^\n]{0,12}§|(?<!RFC \d+ |policy |RFC\d+ )§\d/;

function files(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(e.name)) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) files(p, out);
    else if (/\.(ts|mjs|sh|md|json)$/.test(e.name) && p !== import.meta.filename) out.push(p);
  }
  return out;
}

describe("citations", () => {
  it("point at pages the repository has", () => {
    const found: string[] = [];
    for (const d of DIRS) {
      for (const f of files(join(root, d))) {
        readFileSync(f, "utf8").split("\n").forEach((line, i) => {
          if (MISSING.test(line) || /\b(?:PRODUCT|STYLE)\.md\b|divingbell-spec\.md/.test(line)) found.push(`${relative(root, f)}:${i + 1}: ${line.trim()}`);
        });
      }
    }
    expect(found).toEqual([]);
  });

  it("would catch one", () => {
    expect(MISSING.test("# exec: runs scripts (spec §5.6).")).toBe(true);
    expect(MISSING.test("a Divingbell bug (§6.5-2)")).toBe(true);
    expect(MISSING.test("OpenPGP's CRC-24 (RFC 4880 §6.1)")).toBe(false);
    expect(MISSING.test("Debian policy §5.6.1: lower case letters")).toBe(false);
  });
});
