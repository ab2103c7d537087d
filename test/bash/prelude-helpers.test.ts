/**
 * The prelude's shared helpers, run with real bash: list membership, files written whole, unit names, states and
 * removal, and Divingbell's run records. `systemctl` is a stand-in on PATH that logs its arguments and prints given
 * states (the helpers against a real systemd are covered by the module end-to-end tests on booted nodes).
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "dbell-prelude-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A stand-in systemctl: logs its arguments to $dir/systemctl.log; is-active and is-enabled print the lines of
// $dir/active and $dir/enabled.
const bin = join(dir, "bin");
mkdirSync(bin);
writeFileSync(join(bin, "systemctl"), `#!/bin/bash
printf '%s\\n' "$*" >>"${dir}/systemctl.log"
case $1 in
  is-active) cat "${dir}/active" ;;
  is-enabled) cat "${dir}/enabled" ;;
esac
exit 0
`);
chmodSync(join(bin, "systemctl"), 0o755);

/** Runs `script` after the prelude in a fresh bash; args are $1...; throws with stderr on failure. */
function bash(script: string, ...args: string[]): string {
  const r = spawnSync("bash", ["-c", `source ${root}/src/backends/bash/prelude.sh; PATH=${bin}:$PATH\n${script}`, "test", ...args], { encoding: "utf8", env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin" } });
  if (r.status !== 0) throw new Error(`bash failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

const TEXT = fc.string({ unit: fc.constantFrom("a", " ", "\t", "\n", "\\", "*", "$", "'", "é", "\r", "%"), maxLength: 30 });

describe("in_list", () => {
  it("is true exactly when the word is one of the items, for any words", () => {
    for (const [word, items] of fc.sample(fc.tuple(TEXT, fc.array(TEXT, { maxLength: 5 })), 25)) {
      const out = bash(`if in_list "$@"; then echo yes; else echo no; fi`, word, ...items);
      expect(out, JSON.stringify([word, items])).toBe(items.includes(word) ? "yes\n" : "no\n");
    }
  });
});

describe("file_put, file_holds, file_stage and file_commit", () => {
  it("write the text exactly, final newlines included, with the mode, and only when it differs", () => {
    const texts = fc.sample(TEXT, 40);
    texts.forEach((text, i) => {
      const f = join(dir, `put${i}`);
      expect(bash(`file_put "$1" "$2" 640 && echo wrote; file_put "$1" "$2" 600 || echo same`, f, text)).toBe("wrote\nsame\n");
      expect(readFileSync(f, "utf8")).toBe(text);
      expect(statSync(f).mode & 0o777).toBe(0o640);
      expect(existsSync(`${f}.dbell-tmp`)).toBe(false);
    });
  });

  it("see a file that is longer, shorter or differs only in its final newline as different", () => {
    const f = join(dir, "holds");
    for (const [file, text, same] of [["ab\n", "ab", false], ["ab", "ab\n", false], ["abc", "ab", false], ["ab", "abc", false], ["", "", true], ["ab\n\n", "ab\n\n", true]] as const) {
      writeFileSync(f, file);
      expect(bash(`if file_holds "$1" "$2"; then echo same; else echo differs; fi`, f, text), JSON.stringify([file, text])).toBe(same ? "same\n" : "differs\n");
    }
    expect(bash(`if file_holds "$1/none" ""; then echo same; else echo differs; fi`, dir)).toBe("differs\n");
    expect(bash(`if file_holds "$1" ""; then echo same; else echo differs; fi`, dir)).toBe("differs\n");
  });

  it("stage the text next to the file (or at the given place) and leave the file alone until the commit", () => {
    const f = join(dir, "staged");
    writeFileSync(f, "old");
    expect(bash(`file_stage "$1" new 0440; printf '%s\\n' "$FILE_TMP"; cat "$1"`, f)).toBe(`${f}.dbell-tmp\nold`);
    expect(readFileSync(`${f}.dbell-tmp`, "utf8")).toBe("new");
    expect(statSync(`${f}.dbell-tmp`).mode & 0o777).toBe(0o440);
    bash(`file_stage "$1" newer 0644 "$2"; file_commit "$1"`, f, join(dir, ".elsewhere"));
    expect(readFileSync(f, "utf8")).toBe("newer");
    expect(existsSync(join(dir, ".elsewhere"))).toBe(false);
  });
});

describe("unit_names, unit_states and unit_remove", () => {
  it("name units as systemd-escape does, one name per argument, and none for no argument", () => {
    expect(bash(`unit_names mount "mount targets" /mnt/a "/srv/with space" /; printf '%s\\n' "\${UNIT_NAMES[@]}"`)).toBe("mnt-a.mount\nsrv-with\\x20space.mount\n-.mount\n");
    expect(bash(`unit_names service "ethtool settings" eth0.tx-checksumming; printf '%s\\n' "\${UNIT_NAMES[@]}"`)).toBe("eth0.tx\\x2dchecksumming.service\n");
    expect(bash(`unit_names mount "mount targets"; echo "\${#UNIT_NAMES[@]}"`)).toBe("0\n");
  });

  it("read every unit's state with one call each, counting the states systemctl counts as active or enabled", () => {
    writeFileSync(join(dir, "active"), "active\ninactive\nreloading\nfailed\n");
    writeFileSync(join(dir, "enabled"), "enabled\ndisabled\nstatic\nmasked\n");
    rmSync(join(dir, "systemctl.log"), { force: true });
    expect(bash(`unit_states a b c d; for n in 0 1 2 3; do printf '%s:%s ' "\${UNIT_ACTIVE[n]-}" "\${UNIT_ENABLED[n]-}"; done`)).toBe("1:1 : 1:1 : ");
    expect(readFileSync(join(dir, "systemctl.log"), "utf8")).toBe("is-active -- a b c d\nis-enabled -- a b c d\n");
    // A state line missing: every unit unknown, so each is asked on its own later.
    writeFileSync(join(dir, "active"), "active\n");
    expect(bash(`unit_states a b; echo "\${#UNIT_ACTIVE[@]} \${#UNIT_ENABLED[@]}"`)).toBe("0 0\n");
  });

  it("disable and delete the unit file and its leftover links; status 1 when there was no unit file", () => {
    const units = join(dir, "units");
    mkdirSync(join(units, "multi-user.target.wants"), { recursive: true });
    mkdirSync(join(units, "local-fs.target.requires"), { recursive: true });
    writeFileSync(join(units, "a.mount"), "[Mount]\n");
    rmSync(join(dir, "systemctl.log"), { force: true });
    expect(bash(`unit_remove "$1" a.mount && echo had; unit_remove "$1" a.mount || echo none`, units)).toBe("had\nnone\n");
    expect(existsSync(join(units, "a.mount"))).toBe(false);
    expect(readFileSync(join(dir, "systemctl.log"), "utf8")).toBe("disable --no-reload a.mount\n");
    // The links a unit file deleted by hand leaves behind go too, and no other unit's.
    symlinkSync("/nonexistent/b.mount", join(units, "multi-user.target.wants", "b.mount"));
    symlinkSync("/nonexistent/b.mount", join(units, "local-fs.target.requires", "b.mount"));
    symlinkSync("/nonexistent/c.mount", join(units, "local-fs.target.requires", "c.mount"));
    expect(bash(`unit_remove "$1" b.mount || echo none`, units)).toBe("none\n");
    expect(() => lstatSync(join(units, "multi-user.target.wants", "b.mount"))).toThrow();
    expect(() => lstatSync(join(units, "local-fs.target.requires", "b.mount"))).toThrow();
    expect(lstatSync(join(units, "local-fs.target.requires", "c.mount")).isSymbolicLink()).toBe(true);
  });
});

describe("Divingbell run records", () => {
  it("record a start (no exit code, the time, named files gone) and an end", () => {
    const run = join(dir, "run");
    mkdirSync(run);
    writeFileSync(join(run, "exit_code"), "0\n");
    writeFileSync(join(run, "background_done"), "");
    writeFileSync(join(run, "keep"), "");
    const before = Math.floor(Date.now() / 1000);
    bash(`run_record_start "$1" background_done`, run);
    expect(existsSync(join(run, "exit_code"))).toBe(false);
    expect(existsSync(join(run, "background_done"))).toBe(false);
    expect(existsSync(join(run, "keep"))).toBe(true);
    const stamp = Number(readFileSync(join(run, "last_run_timestamp"), "utf8"));
    expect(stamp).toBeGreaterThanOrEqual(before);
    expect(stamp).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    expect(bash(`run_record_exit "$1" || echo "none [$RUN_EXIT]"`, run)).toBe("none []\n");
    bash(`run_record_end "$1" 3`, run);
    expect(readFileSync(join(run, "exit_code"), "utf8")).toBe("3\n");
    expect(bash(`run_record_exit "$1" && echo "[$RUN_EXIT]"`, run)).toBe("[3]\n");
    writeFileSync(join(run, "exit_code"), "not a number!\n");
    expect(bash(`run_record_exit "$1" && echo "[$RUN_EXIT]"`, run)).toBe("[]\n");
  });

  it("are due once the interval has passed, at once for `infinity` or no readable start time", () => {
    const run = join(dir, "due");
    mkdirSync(run);
    const due = (interval: string): string => bash(`if run_record_due "$1" "$2"; then echo due; else echo "wait $RUN_WAIT"; fi`, run, interval);
    expect(due("60")).toBe("due\n");
    writeFileSync(join(run, "last_run_timestamp"), `${Math.floor(Date.now() / 1000)}\n`);
    expect(due("infinity")).toBe("due\n");
    expect(due("0")).toBe("due\n");
    expect(due("3600")).toMatch(/^wait 3[56]\d\d\n$/);
    writeFileSync(join(run, "last_run_timestamp"), `${Math.floor(Date.now() / 1000) - 7200}\n`);
    expect(due("3600")).toBe("due\n");
    writeFileSync(join(run, "last_run_timestamp"), "garbage\n");
    expect(due("3600")).toBe("due\n");
  });
});
