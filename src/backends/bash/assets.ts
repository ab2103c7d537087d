/**
 * Shell sources shipped with the package (prelude.sh and each module's .sh). They are read from the package's own
 * src/ tree, which exists both when running from source and from dist/; they are assets, not user input.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

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

/** The text of a shell asset, by path below src/ (`backends/bash/prelude.sh`, `modules/sysctl/sysctl.sh`). */
export function shellAsset(path: string): string {
  let text = cache.get(path);
  if (text === undefined) {
    text = readFileSync(join(packageRoot(), "src", path), "utf8");
    cache.set(path, text);
  }
  return text;
}
