/** Options shared by several commands. */
import { Option } from "commander";

export function formatOption(): Option {
  return new Option("--format <format>", "output format").choices(["human", "json"]).default("human");
}
