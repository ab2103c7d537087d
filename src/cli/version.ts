/** The version dbellc reports (`--version`, SARIF, the language server). */
export const VERSION = "0.1.0";
