/**
 * Shell sources shipped with the package (prelude.sh, entry.sh and each module's .sh files). They are read from the
 * package's own src/ tree, which exists both when running from source and from dist/; they are assets, not user input.
 * The bundled CLI (scripts/bundle.mjs) carries them instead, so it reads nothing from src/ at run time.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Every `.sh` file below src/ by path, replaced by the bundler's `define`; undefined when running from source. */
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

/** The text of a shell asset, by path below src/ (`backends/bash/prelude.sh`, `modules/sysctl/sysctl.sh`). */
export function shellAsset(path: string): string {
  if (embedded) {
    const text = embedded[path];
    if (text === undefined) throw new Error(`internal: shell asset ${path} is not in the bundle`);
    return text;
  }
  let text = cache.get(path);
  if (text === undefined) {
    text = readFileSync(join(packageRoot(), "src", path), "utf8");
    cache.set(path, text);
  }
  return text;
}

const moduleFiles = new Map<string, readonly string[]>();

/**
 * The shell files of module `name`, as paths for shellAsset: `modules/<name>/<name>.sh` first, then every other
 * `.sh` file of the module's folder in byte order of their names. The main file must exist.
 */
export function moduleShellFiles(name: string): readonly string[] {
  let files = moduleFiles.get(name);
  if (files === undefined && embedded) {
    const prefix = `modules/${name}/`;
    const names = Object.keys(embedded).filter((p) => p.startsWith(prefix) && !p.slice(prefix.length).includes("/")).map((p) => p.slice(prefix.length));
    if (!names.includes(`${name}.sh`)) throw new Error(`internal: module ${name} has no ${name}.sh`);
    files = shellFileOrder(`${name}.sh`, names).map((f) => prefix + f);
    moduleFiles.set(name, files);
  }
  if (files === undefined) {
    const main = `${name}.sh`;
    const dir = join(packageRoot(), "src", "modules", name);
    if (!existsSync(join(dir, main))) throw new Error(`internal: module ${name} has no ${main}`);
    const names = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
    files = shellFileOrder(main, names).map((f) => `modules/${name}/${f}`);
    moduleFiles.set(name, files);
  }
  return files;
}

/** Of a folder's file `names`, the `.sh` files in the order a host script includes them: `main` first, then by bytes. */
export function shellFileOrder(main: string, names: readonly string[]): string[] {
  const others = names.filter((n) => n.endsWith(".sh") && n !== main).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return [main, ...others];
}
