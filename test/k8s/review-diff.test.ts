/**
 * What a reviewer sees: a one-value edit of a policy changes a few lines of the compiled YAML, and those lines show
 * the old and the new value as text (GitOps pull requests, `kubectl diff`). Compiled with a fixed Secret key, as
 * docs/deploy.md recommends for GitOps.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyze, compileManifests } from "../../src/compile.js";
import { manifestStream } from "../../src/backends/k8s/manifests.js";

const root = join(import.meta.dirname, "../..");

function compile(text: string, secretKey?: string): string {
  const a = analyze([{ file: "examples/site.dbell", text }]);
  expect(a.ok).toBe(true);
  return manifestStream(compileManifests(a, { secretKey }));
}

/** The changed lines of `diff -u`, without its file headers. */
function changedLines(before: string, after: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), "dbell-diff-"));
  try {
    writeFileSync(join(dir, "a.yaml"), before);
    writeFileSync(join(dir, "b.yaml"), after);
    const r = spawnSync("diff", ["-u", join(dir, "a.yaml"), join(dir, "b.yaml")], { encoding: "utf8" });
    return r.stdout.split("\n").filter((l) => /^[-+]/.test(l) && !/^(---|\+\+\+) /.test(l));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("a one-value edit, reviewed as a YAML diff", () => {
  const site = readFileSync(join(root, "examples/site.dbell"), "utf8");
  const key = "a-fixed-gitops-key-0123456789";

  it("changes the value's line, the settings object's name and the DaemonSet's reference to it, and nothing else", () => {
    expect(site).toContain("  set sysctl vm.nr_hugepages = 1024\n");
    const lines = changedLines(compile(site, key), compile(site.replace("  set sysctl vm.nr_hugepages = 1024\n", "  set sysctl vm.nr_hugepages = 2048\n"), key));
    expect(lines.length).toBeLessThanOrEqual(6);
    expect(lines).toContain("-    sysctl_want vm.nr_hugepages 1024");
    expect(lines).toContain("+    sysctl_want vm.nr_hugepages 2048");
    // The other changes are names: the settings ConfigMap's, and the reference that rolls its DaemonSet.
    for (const l of lines.filter((x) => !x.includes("sysctl_want"))) expect(l).toMatch(/^[-+] +name: dbell-sysctl-label-[-a-z0-9]+-[0-9a-f]{10}$/);
  });

  it("shows a changed exec script line by line", () => {
    const before = compile(site, key);
    const after = compile(site.replace('echo "hugepages:', 'echo "huge pages:'), key);
    const lines = changedLines(before, after);
    expect(lines.length).toBeLessThanOrEqual(6);
    // exec's settings are a Secret (they can hold credentials): base64, and its name changes with them.
    expect(lines.filter((l) => l.includes("settings.sh:"))).toHaveLength(2);
  });
});
