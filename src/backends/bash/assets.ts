/**
 * Shell sources shipped with the package (prelude.sh, entry.sh and each module's .sh files, which its `about.ts`
 * declares). They are read from the package's own tree, which exists both when running from source and from dist/;
 * they are assets, not user input.
 * The bundled CLI (scripts/bundle.mjs) carries them instead, so it reads nothing from src/ at run time.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Every `.sh` file below src/ by its path from the package root (`src/...`), replaced by the bundler's `define`; undefined when running from source. */
declare const DBELL_EMBEDDED_ASSETS: Readonly<Record<string, string>> | undefined;
const embedded: Readonly<Record<string, string>> | undefined = typeof DBELL_EMBEDDED_ASSETS === "undefined" ? undefined : DBELL_EMBEDDED_ASSETS;

let root: string | undefined;

function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error("internal: cannot find the dbellc package root");
    dir = up;
  }
  return (root = dir);
}

const cache = new Map<string, string>();

/** The text of a shell asset, by path from the package root (`src/backends/bash/prelude.sh`). */
export function shellAsset(path: string): string {
  if (embedded) {
    const text = embedded[path];
    if (text === undefined) throw new Error(`internal: shell asset ${path} is not in the bundle`);
    return text;
  }
  let text = cache.get(path);
  if (text === undefined) {
    text = readFileSync(join(packageRoot(), path), "utf8");
    cache.set(path, text);
  }
  return text;
}
