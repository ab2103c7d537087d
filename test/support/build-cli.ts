/**
 * Vitest global setup: bundles the CLI once per test run (scripts/bundle.mjs, as `npm run build` does for
 * dist/dbellc.mjs) into a temporary folder, and gives its path to the tests that spawn it (`inject("dbellcBin")`).
 * The tests so never run a stale dist/, and never write it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** The bundled CLI, built from the working tree for this test run. */
    dbellcBin: string;
  }
}

export default async function buildCli(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), "dbellc-bin-"));
  const bin = join(dir, "dbellc.mjs");
  const { bundleCli } = (await import(join(import.meta.dirname, "../../scripts/bundle.mjs"))) as { bundleCli: (outfile: string) => Promise<void> };
  await bundleCli(bin);
  project.provide("dbellcBin", bin);
  return () => rmSync(dir, { recursive: true, force: true });
}
