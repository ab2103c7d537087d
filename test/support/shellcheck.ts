/** Lints host scripts: every module × variant script of a policy through `shellcheck -s bash` and `bash -n`. */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { analyze, settingsOf, type SourceText } from "../../src/compile.js";
import { hostScript } from "../../src/backends/bash/script.js";
import { renderHuman } from "../../src/diagnostics/render.js";
import { moduleNamed } from "../../src/modules/registry.js";

export interface Generated {
  readonly label: string;
  readonly path: string;
}

export interface ScriptLinter {
  /**
   * Every module × variant host script of one policy (fails on error diagnostics); `fresh` are the ones whose text
   * was not linted before: shellcheck takes ~0.1 s per script, and a module without settings gives the same text
   * everywhere.
   */
  generate(source: SourceText): { all: Generated[]; fresh: Generated[] };
  /** Fails the test with shellcheck's or bash's report when a script has a problem. */
  lint(scripts: readonly Generated[]): void;
  cleanup(): void;
}

export function scriptLinter(): ScriptLinter {
  const dir = mkdtempSync(join(tmpdir(), "dbell-shellcheck-"));
  const seen = new Map<string, string>();
  return {
    generate(source) {
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
    },
    lint(scripts) {
      if (scripts.length === 0) return;
      const sc = spawnSync("shellcheck", ["-s", "bash", "-f", "gcc", ...scripts.map((s) => s.path)], { encoding: "utf8" });
      if (sc.error) throw new Error(`cannot run shellcheck (${sc.error.message}); install the host packages with .ci/install-host-deps.sh`);
      const named = (text: string): string => scripts.reduce((t, s) => t.replaceAll(s.path, s.label), text);
      expect(sc.status, `shellcheck found problems:\n${named(sc.stdout + sc.stderr)}`).toBe(0);
      for (const s of scripts) {
        const n = spawnSync("bash", ["-n", s.path], { encoding: "utf8" });
        expect(n.status, `bash -n ${s.label}:\n${named(n.stderr)}`).toBe(0);
      }
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
