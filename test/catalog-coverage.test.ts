/**
 * Every code of the catalog is reported by at least one golden case (its expected diagnostics.txt), so each has an
 * input that shows it and a rendering that a review sees change. The few a policy alone cannot produce are listed
 * below with the reason, and the list is checked: no stale entries, and each is still tested where it can be.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CODES, type Code } from "../src/diagnostics/codes.js";
import { MODULES } from "../src/modules/registry.js";

const root = join(import.meta.dirname, "..");

type Why = "import" | "output" | "plan" | "limit" | "bug" | "retired";
/** Codes no golden case (policy files in, diagnostics out) can report, and why. */
const NOT_FROM_A_POLICY: Partial<Record<Code, Why>> = {
  DB4001: "import", // the input is a Divingbell values file: test/import/
  DB4002: "import",
  DB4003: "import",
  DB4004: "import",
  DB4005: "import",
  DB1012: "limit", // needs over 90 syntax errors, a golden of hundreds of lines: test/syntax/hostile.test.ts
  DB5001: "output", // needs more than 1 MiB of objects: test/k8s/limits.test.ts
  DB6001: "plan", // the input is a node inventory besides the policy: test/plan/
  DB6002: "plan",
  DB6101: "plan",
  DB6102: "plan",
  DB6103: "plan",
  DB6104: "plan",
  DB6105: "plan",
  DB6106: "bug", // reports a bug in dbellc: no input should produce it
  DB9001: "bug",
  DB9002: "retired",
};

/** Every expected/diagnostics.txt of the golden cases (test/golden/ and each module's cases/). */
function goldenDiagnostics(): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === "diagnostics.txt" && dir.endsWith("expected")) files.push(p);
    }
  };
  walk(join(root, "test/golden"));
  for (const m of MODULES) if (existsSync(join(root, "src/modules", m.name, "cases"))) walk(join(root, "src/modules", m.name, "cases"));
  return files;
}

/** The text of every test file, to check that an excepted code is still tested somewhere. */
function testSources(): string {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory() && e.name !== "golden" && e.name !== "node_modules") walk(p);
      else if (e.name.endsWith(".test.ts") && !p.endsWith("catalog-coverage.test.ts")) out.push(readFileSync(p, "utf8"));
    }
  };
  walk(join(root, "test"));
  walk(join(root, "src"));
  return out.join("\n");
}

describe("the code catalog", () => {
  const reported = new Set(goldenDiagnostics().flatMap((f) => [...readFileSync(f, "utf8").matchAll(/^(?:error|warning)\[(DB\d{4})\]/gm)].map((m) => m[1]!)));
  const all = Object.keys(CODES) as Code[];

  it("has every code reported by a golden case, or listed with the reason it cannot be", () => {
    expect(all.filter((c) => !reported.has(c) && NOT_FROM_A_POLICY[c] === undefined)).toEqual([]);
  });

  it("lists no code that a golden case reports, or that the catalog lacks", () => {
    expect(Object.keys(NOT_FROM_A_POLICY).filter((c) => reported.has(c) || !(c in CODES))).toEqual([]);
  });

  it("still tests each listed code elsewhere, except codes of dbellc's own bugs and retired codes", () => {
    const tests = testSources();
    for (const [code, why] of Object.entries(NOT_FROM_A_POLICY) as [Code, Why][]) {
      if (why === "bug") expect(CODES[code].doc, code).toMatch(/bug in dbellc|dbellc itself fails/);
      else if (why === "retired") expect(CODES[code].doc, code).toContain("Retired:");
      else expect(tests.includes(`"${code}"`) || tests.includes(`[${code}]`) || tests.includes(code), code).toBe(true);
    }
  });
});
