// Bundles the CLI into one file, dist/dbellc.mjs, with every shell asset below src/ embedded: Node then loads one
// module instead of hundreds (start-up), and the installed package reads nothing from src/ at run time.
import { build } from "esbuild";
import { chmodSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(import.meta.dirname, "..");
const src = join(root, "src");

/** `.sh` files below src/ by their path from the package root (`src/...`), in a stable order. */
function shellAssets(dir = src, out = {}) {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) shellAssets(p, out);
    else if (e.name.endsWith(".sh")) out[relative(root, p).split("\\").join("/")] = readFileSync(p, "utf8");
  }
  return out;
}

/** Writes the bundled CLI to `outfile`, executable. */
export async function bundleCli(outfile) {
  await build({
    entryPoints: [join(src, "cli/bin.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    minify: true,
    legalComments: "none",
    define: { DBELL_EMBEDDED_ASSETS: JSON.stringify(shellAssets()) },
    // CommonJS dependencies (vscode-languageserver) call require(); an ES module has none of its own. (The shebang of
    // bin.ts is kept by esbuild, above the banner.)
    banner: { js: "import { createRequire as __dbellcRequire } from 'node:module'; const require = __dbellcRequire(import.meta.url);" },
    logLevel: "warning",
  });
  chmodSync(outfile, 0o755);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundleCli(process.argv[2] ?? join(root, "dist/dbellc.mjs"));
