/**
 * Every host script the compiler can emit is lint-clean: for each example policy and an inline policy that uses every
 * registered module, each module's script for each of its variants passes `shellcheck -s bash` and `bash -n`.
 * Generic over the registry: a module added later is covered by the sample its `about.ts` declares.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { analyze, settingsOf, type SourceText } from "../src/compile.js";
import { hostScript } from "../src/backends/bash/script.js";
import { renderHuman } from "../src/diagnostics/render.js";
import { MODULES, moduleNamed } from "../src/modules/registry.js";

const EXAMPLES = join(import.meta.dirname, "..", "examples");
const dir = mkdtempSync(join(tmpdir(), "dbell-shellcheck-"));
const seen = new Map<string, string>();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function inlinePolicy(): SourceText {
  const parts = MODULES.map((m) => m.about.checkSample);
  // A label rule that drops everything gives every module a second, revert-only variant.
  const unsets = MODULES.map((m) => `  unset ${m.name}\n`).join("");
  return { file: "inline.dbell", text: parts.join("") + `on label role in [bare] {\n${unsets}}\n` };
}

interface Generated {
  readonly label: string;
  readonly path: string;
}

/**
 * Every module × variant host script of one policy (fails on error diagnostics); `fresh` are the ones whose text was
 * not linted before: shellcheck takes ~0.1 s per script, and a module without settings gives the same text everywhere.
 */
function generate(source: SourceText): { all: Generated[]; fresh: Generated[] } {
  const a = analyze([source]);
  if (!a.ok) throw new Error(`${source.file} does not compile:\n${renderHuman(a.diagnostics, a.sources)}`);
  const all: Generated[] = [];
  const fresh: Generated[] = [];
  for (const module of a.policy.modules) {
    for (const v of a.resolution.all(module)) {
      const label = `${source.file} ${module} ${v.id}`;
      const text = hostScript(moduleNamed(module)!, settingsOf(v));
      const key = createHash("sha256").update(text.replace(/^# dbellc host script .*$/m, "")).digest("hex");
      let path = seen.get(key);
      if (path === undefined) {
        path = join(dir, `${seen.size}-${source.file}-${module}.sh`.replace(/[^A-Za-z0-9_.-]/g, "_"));
        writeFileSync(path, text);
        seen.set(key, path);
        fresh.push({ label, path });
      }
      all.push({ label, path });
    }
  }
  return { all, fresh };
}

function lint(scripts: readonly Generated[]): void {
  if (scripts.length === 0) return;
  const sc = spawnSync("shellcheck", ["-s", "bash", "-f", "gcc", ...scripts.map((s) => s.path)], { encoding: "utf8" });
  if (sc.error) throw new Error(`cannot run shellcheck (${sc.error.message}); install the host packages with .ci/install-host-deps.sh`);
  const named = (text: string): string => scripts.reduce((t, s) => t.replaceAll(s.path, s.label), text);
  expect(sc.status, `shellcheck found problems:\n${named(sc.stdout + sc.stderr)}`).toBe(0);
  for (const s of scripts) {
    const n = spawnSync("bash", ["-n", s.path], { encoding: "utf8" });
    expect(n.status, `bash -n ${s.label}:\n${named(n.stderr)}`).toBe(0);
  }
}

const examples = readdirSync(EXAMPLES).filter((f) => f.endsWith(".dbell")).sort();

describe("generated host scripts pass shellcheck and bash -n", () => {
  it.each(examples)("examples/%s", (file) => {
    lint(generate({ file, text: readFileSync(join(EXAMPLES, file), "utf8") }).fresh);
  }, 120_000);

  it("an inline policy using every registered module, and the revert-only variant of each", () => {
    const { all, fresh } = generate(inlinePolicy());
    const covered = new Set(all.map((s) => s.label.split(" ")[1]));
    expect([...covered].sort()).toEqual(MODULES.map((m) => m.name).sort());
    lint(fresh);
  }, 120_000);
});
