// `npm run package:vscode`: builds the VS Code extension in editors/vscode and packages it as a .vsix, offline:
// the bundled dbellc as its server, the client bundled with vscode-languageclient, and the grammar files from
// grammar/ (the one copy editors read).
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { bundleCli } from "./bundle.mjs";

const root = join(import.meta.dirname, "..");
const ext = join(root, "editors/vscode");
const require = createRequire(import.meta.url);

await bundleCli(join(ext, "server/dbellc.mjs"));
await build({
  entryPoints: [join(ext, "src/extension.ts")],
  outfile: join(ext, "dist/extension.js"),
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  external: ["vscode"],
  minify: true,
  legalComments: "none",
  logLevel: "warning",
});
mkdirSync(join(ext, "syntaxes"), { recursive: true });
copyFileSync(join(root, "grammar/dbell.tmLanguage.json"), join(ext, "syntaxes/dbell.tmLanguage.json"));
copyFileSync(join(root, "grammar/language-configuration.json"), join(ext, "language-configuration.json"));

const { version } = JSON.parse(readFileSync(join(ext, "package.json"), "utf8"));
const out = process.argv[2] ?? join(ext, "dist", `dbell-${version}.vsix`);
// --no-dependencies: everything the extension runs is bundled above, so vsce need not ask npm about node_modules.
execFileSync(process.execPath, [require.resolve("@vscode/vsce/vsce"), "package", "--no-dependencies", "--skip-license", "--allow-missing-repository", "--out", out], {
  cwd: ext,
  stdio: ["ignore", "inherit", "inherit"],
});
