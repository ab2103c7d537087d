// Lint rules, including the one-way layering of src/ (README.md, Development): each stage imports only from stages to its left.
import tseslint from "typescript-eslint";

// plan after compile (it reads compiled objects); lsp before cli: the executable's `dbellc lsp` command starts the
// server, and the server never reaches into the CLI.
const order = ["diagnostics", "syntax", "ir", "modules", "lower", "checks", "import", "backends", "compile", "api", "plan", "lsp", "cli"];
// The CLI reaches the compiler through src/api.ts only, not into these stages.
const behindApi = ["ir", "modules", "lower", "checks", "backends", "compile"];
const single = { compile: "src/compile.ts", api: "src/api.ts" };

/** Every folder later than `stage` in the pipeline order is off-limits to `stage`. */
function layering(stage) {
  const later = order.slice(order.indexOf(stage) + 1);
  return {
    files: [single[stage] ?? `src/${stage}/**/*.ts`],
    // Tests beside the code they test may drive the whole pipeline.
    ignores: ["src/**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: later.map((s) => ({
          group: [`**/${s in single ? s + ".js" : s + "/**"}`, `../${s}/*`, `../../${s}/*`, `../../../${s}/*`],
          message: `${stage} may not import from ${s} (imports point one way: ${order.join(" → ")})`,
        })),
      }],
    },
  };
}

export default tseslint.config(
  { ignores: ["dist/**", "editors/vscode/dist/**", "editors/vscode/server/**", "node_modules/**", "coverage/**", ".scratch/**", ".e2e/**", "src/syntax/cst.generated.d.ts"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "error",
    },
  },
  { files: ["src/cli/**/*.ts", "bench/**/*.{ts,mjs}", "scripts/**/*.mjs", "test/**/*.ts"], rules: { "no-console": "off" } },
  ...order.filter((s) => s !== "cli").map(layering),
  {
    files: ["src/cli/**/*.ts"],
    ignores: ["src/**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: behindApi.map((s) => ({
          group: [`**/${s in single ? s + ".js" : s + "/**"}`, `../${s}/*`, `../../${s}/*`],
          message: `the CLI reaches ${s} through src/api.ts`,
        })),
      }],
    },
  },
);
