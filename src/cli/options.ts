/** Options shared by several commands. */
import { Option } from "commander";

export function formatOption(): Option {
  return new Option("--format <format>", "output format").choices(["human", "json"]).default("human");
}

/** `check` also speaks the formats of CI systems: SARIF for code scanning, GitHub workflow commands for annotations. */
export function checkFormatOption(): Option {
  return new Option("--format <format>", "output format").choices(["human", "json", "sarif", "github"]).default("human");
}
