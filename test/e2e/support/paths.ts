/** Where the end-to-end harness keeps its files: the rootfs cache and node logs under `<repo>/.e2e/` (gitignored). */
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

function findRepoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error("cannot find the repository root (package.json) above the e2e harness");
    dir = up;
  }
  return dir;
}

export const REPO_ROOT = findRepoRoot();

/** `DBELL_E2E_DIR` moves the cache (e.g. to a CI cache volume); the default is `<repo>/.e2e`. */
export function e2eDir(): string {
  const dir = resolve(process.env["DBELL_E2E_DIR"] ?? join(REPO_ROOT, ".e2e"));
  mkdirSync(join(dir, "logs"), { recursive: true });
  return dir;
}
