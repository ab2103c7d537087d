/** .pre-commit-hooks.yaml: each hook's entry is a dbellc command line that does what its description says. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { cli } from "../support/cli.js";

interface Hook {
  id: string;
  entry: string;
  language: string;
  files: string;
  pass_filenames?: boolean;
}

const hooks = yaml.load(readFileSync(join(import.meta.dirname, "../../.pre-commit-hooks.yaml"), "utf8")) as Hook[];
const hook = (id: string) => hooks.find((h) => h.id === id)!;
const argv = (h: Hook) => h.entry.split(" ").slice(1);

describe("pre-commit hooks", () => {
  it("run dbellc on .dbell files", () => {
    expect(hooks.map((h) => h.id)).toEqual(["dbellc-fmt", "dbellc-check"]);
    for (const h of hooks) {
      expect(h.entry.startsWith("dbellc ")).toBe(true);
      expect(h.language).toBe("node");
      expect(new RegExp(h.files).test("policy/10-base.dbell")).toBe(true);
    }
  });

  it("dbellc-fmt fails on an unformatted file and passes a formatted one", async () => {
    expect((await cli([...argv(hook("dbellc-fmt")), "a.dbell"], { "a.dbell": "set sysctl vm.swappiness=1\n" })).code).toBe(1);
    expect((await cli([...argv(hook("dbellc-fmt")), "a.dbell"], { "a.dbell": "set sysctl vm.swappiness = 1\n" })).code).toBe(0);
  });

  it("dbellc-check checks the policy named in args, failing on open warnings", async () => {
    const h = hook("dbellc-check");
    expect(h.pass_filenames).toBe(false);
    const warns = { "p/a.dbell": "on label a in [x] set sysctl vm.swappiness = 1\non label b in [y] set sysctl vm.swappiness = 2\n" };
    expect((await cli([...argv(h), "p/"], warns)).code).toBe(1);
    expect((await cli([...argv(h), "p/"], { "p/a.dbell": "set sysctl vm.swappiness = 1\n" })).code).toBe(0);
  });
});
