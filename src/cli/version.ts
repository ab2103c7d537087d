/** The version dbellc reports (`--version`, SARIF, the language server); test/cli/bin.test.ts checks it is package.json's. */
export const VERSION = "0.1.0";
