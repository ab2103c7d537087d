/**
 * The bash helpers that let host scripts read state without spawning processes give what the tools they replace give:
 * `file_text` what `$(cat FILE)` gives, and sysctl's key resolution, reads and backup lines what sysctl(8) prints.
 * Run with real bash against this machine's /proc/sys, read-only (nothing is ever written to its kernel).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");
const HELPERS = `source ${root}/src/backends/bash/prelude.sh; source ${root}/src/modules/sysctl/sysctl.sh\n`;
const dir = mkdtempSync(join(tmpdir(), "dbell-helpers-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `script` after the helpers in a fresh bash; args are $1...; throws with stderr on failure. */
function bash(script: string, ...args: string[]): string {
  const r = spawnSync("bash", ["-c", HELPERS + script, "test", ...args], { encoding: "utf8", env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin" } });
  if (r.status !== 0) throw new Error(`bash failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** Tunables of this machine: a spread of them (every 7th, plus all of net.ipv4.conf.lo), without the ever-changing ones. */
const KEYS = (() => {
  const all = spawnSync("sysctl", ["-a", "-N"], { encoding: "utf8" }).stdout.split("\n").filter(Boolean);
  const some = [...new Set([...all.filter((_, i) => i % 7 === 0), ...all.filter((k) => k.startsWith("net.ipv4.conf.lo."))])];
  const read = (): string[] => some.map((k) => spawnSync("sysctl", [k], { encoding: "utf8" }).stdout);
  const [a, b] = [read(), read()];
  return some.filter((_, i) => a[i] === b[i] && !/random|state|nr|stat|pid|entropy|uuid|seq/.test(some[i]!));
})();

describe("file_text", () => {
  it("gives what $(cat FILE) gives, trailing newlines dropped, for any text without NUL", () => {
    const texts = fc.sample(fc.string({ unit: fc.constantFrom("a", " ", "\t", "\n", "\\", "*", "$", "'", "é", "\r"), maxLength: 30 }), 80);
    const files = texts.map((t, i) => {
      writeFileSync(join(dir, `f${i}`), t);
      return join(dir, `f${i}`);
    });
    const out = bash(`for f in "$@"; do file_text "$f"; printf '%s|%s\\0' "$FILE_TEXT" "$(cat "$f")"; done`, ...files);
    expect(out.split("\0").slice(0, -1)).toEqual(texts.map((t) => `${t.replace(/\n+$/, "")}|${t.replace(/\n+$/, "")}`));
  });

  it("fails, with nothing on stderr, for a file it cannot open", () => {
    expect(bash(`if file_text /no/such/file; then echo read; else echo "failed [$FILE_TEXT]"; fi`)).toBe("failed []\n");
  });
});

describe("sysctl helpers, against sysctl(8) on this machine's /proc/sys (read only)", () => {
  it("resolve every key, dotted or slashed, to the name and value sysctl prints", () => {
    expect(KEYS.length).toBeGreaterThan(50);
    const script = `for k in "$@"; do
      for spelling in "$k" "$(printf '%s' "$k" | tr . /)"; do
        sysctl_name "$spelling"
        sysctl_read "$SYSCTL_NAME" || continue
        sysctl_line "$SYSCTL_NAME" "$SYSCTL_VALUE"
        printf '%s\\n' "$SYSCTL_LINE"
      done
    done`;
    const ours = bash(script, ...KEYS).split("\n");
    // What sysctl prints, each key twice (once per spelling); unreadable keys (write-only ones) are skipped by both.
    const theirs = KEYS.flatMap((k) => {
      const r = spawnSync("sysctl", [k], { encoding: "utf8" });
      return r.status === 0 ? [r.stdout, r.stdout] : [];
    }).join("").split("\n");
    expect(ours).toEqual(theirs);
  });

  it("spell a `.` inside a name part as `/` in dotted keys, and the other way round in slashed ones", () => {
    expect(bash(`sysctl_swap net.ipv4.conf.eth0/100.rp_filter; printf '%s\\n' "$SYSCTL_SWAP"; sysctl_swap net/ipv4/conf/eth0.100/rp_filter; printf '%s\\n' "$SYSCTL_SWAP"`))
      .toBe("net/ipv4/conf/eth0.100/rp_filter\nnet.ipv4.conf.eth0/100.rp_filter\n");
    expect(bash(`sysctl_file net.ipv4.conf.eth0/100.rp_filter; printf '%s' "$SYSCTL_FILE"`)).toBe("60-divingbell-net.ipv4.conf.eth0:100.rp_filter.conf");
  });

  it("refuse unknown keys and groups of tunables with an ERROR naming the key", () => {
    for (const [key, why] of [["net.ipv4.no_such_tunable", /unknown sysctl key 'net\.ipv4\.no_such_tunable'/], ["net.ipv4", /'net\.ipv4' is not a single tunable/], ["net/ipv4/../ipv4/ip_forward", /is not a tunable's name/]] as const) {
      const r = spawnSync("bash", ["-c", `${HELPERS}sysctl_name "$1"; echo resolved`, "test", key], { encoding: "utf8" });
      expect(r.status, key).toBe(1);
      expect(r.stdout).not.toContain("resolved");
      expect(r.stderr).toMatch(why);
    }
  });

  it("normalise white space as the old `read -a` did, with no globbing of `*` or `?`", () => {
    const values = fc.sample(fc.string({ unit: fc.constantFrom("1", "a", "*", "?", " ", "\t", "\n"), maxLength: 20 }), 80);
    const out = bash(`for v in "$@"; do sysctl_norm "$v"; printf '%s\\0' "$SYSCTL_NORM"; done`, ...values);
    expect(out.split("\0").slice(0, -1)).toEqual(values.map((v) => v.split(/[ \t\n]+/).filter(Boolean).join(" ")));
  });
});

describe("perm's in-place check, against chmod(1) on this machine", () => {
  it("calls a file in place exactly when chmod with the entry's octal mode would leave its mode as it is", () => {
    const starts = ["644", "640", "755", "2755", "4755", "6750", "1777", "3775", "0"];
    const wants = ["644", "0644", "00644", "755", "0755", "00755", "2755", "02755", "4755", "1777", "01777", "0", "7777"];
    const cases: string[] = [];
    for (const kind of ["f", "d"]) for (const start of starts) for (const want of wants) cases.push(`${kind} ${start} ${want}`);
    // For each case: the verdict, then the mode before and after `chmod WANT`.
    const script = `source ${root}/src/modules/perm/perm.sh; source ${root}/src/modules/perm/perm-apply.sh
      cd "$1"; shift
      for c in "$@"; do
        read -r kind start want <<<"$c"
        rm -rf t; if [ "$kind" = d ]; then mkdir t; else : >t; fi
        chmod "0$(printf '%04o' "$((8#$start))")" t
        cur=$(stat -c '%a %u:%g' t)
        if perm__in_place "$cur" "" "" "$want" "$PWD/t"; then v=same; else v=differs; fi
        chmod -- "$want" t
        printf '%s %s %s\\n' "$v" "\${cur%% *}" "$(stat -c %a t)"
      done`;
    const r = spawnSync("bash", ["-c", HELPERS + script, "test", dir, ...cases], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(cases.length);
    lines.forEach((line, i) => {
      const [verdict, before, after] = line.split(" ");
      expect(verdict, `${cases[i]}: chmod took ${before} to ${after}`).toBe(before === after ? "same" : "differs");
    });
    // Both verdicts occur, for files and for directories.
    expect(new Set(lines.map((l, i) => `${cases[i]![0]} ${l.split(" ")[0]}`)).size).toBe(4);
  });
});
