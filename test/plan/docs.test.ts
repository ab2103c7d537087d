/** docs/plan.md shows real output: its examples are run again here and must match what the doc prints. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cli } from "../support/cli.js";
import { inventoryJson } from "../../bench/plan-inventory.js";

const doc = readFileSync("docs/plan.md", "utf8");
const site = readFileSync("examples/site.dbell", "utf8");
const nodes = inventoryJson({ nodes: 120, windows: 1 });

/** The text of the code block that follows `$ COMMAND`, up to the next prompt or the end of the block. */
function shown(command: string): string {
  const at = doc.indexOf(`$ ${command}\n`);
  expect(at, command).toBeGreaterThanOrEqual(0);
  const start = at + command.length + 3;
  return doc.slice(start, doc.indexOf("```", start));
}

describe("docs/plan.md", () => {
  it("shows the plan of the site example as dbellc prints it (with lines left out marked ...)", async () => {
    const r = await cli(["plan", "site.dbell", "--nodes", "nodes.json"], { "site.dbell": site, "nodes.json": nodes });
    const parts = shown("dbellc plan site.dbell --nodes nodes.json").split("...\n");
    expect(parts.length).toBeGreaterThan(1);
    let from = 0;
    for (const p of parts) {
      const at = r.stdout.indexOf(p.replace(/^\n/, ""), from);
      expect(at, p).toBeGreaterThanOrEqual(from);
      from = at;
    }
  });

  it("shows the reviewed change exactly as dbellc prints it", async () => {
    const added = [...doc.matchAll(/^\+(.*)$/gm)].map((m) => m[1]).filter((l) => !l!.startsWith("++"));
    const changed = `${site}\n${added.join("\n")}\n`;
    const r = await cli(["plan", "site.dbell", "--nodes", "nodes.json", "--against", "site.old.dbell"], { "site.dbell": changed, "site.old.dbell": site, "nodes.json": nodes });
    expect(shown("dbellc plan site.dbell --nodes nodes.json --against site.old.dbell")).toBe(r.stderr + r.stdout);
  });
});
