/**
 * exec on a booted node: the compiler's host script run the way the exec pod runs it (nsenter into the namespaces of
 * the node's PID 1): order, environment and arguments, rerun/retry policies across runs, counts and persistence,
 * timeouts, halting, background runs and the removal of scripts the policy dropped.
 */
import { afterEach, beforeEach, expect, test } from "vitest";
import { analyze, settingsOf } from "../../src/compile.js";
import type { ExecSettings } from "../../src/modules/exec/exec.js";
import { bootNode, describeE2E, showRun, type Node } from "./support/node.js";

const DIR = "/var/divingbell/exec";

/** Each script's run-record hash under `policy`, from the compiler. */
function hashes(policy: string): Record<string, string> {
  const a = analyze([{ file: "policy.dbell", text: policy }]);
  const s = settingsOf(a.resolution.variants("exec").fallback) as ExecSettings;
  return Object.fromEntries(s.scripts.map((x) => [x.name, x.hash]));
}

/** A script that appends its name to /var/tmp/runs, so tests can count runs. */
const counted = (name: string, fields = "", body = "exit 0"): string =>
  `set exec ${name} {\n  script = """\n    #!/bin/bash\n    echo ${name} >>/var/tmp/runs\n    ${body}\n    """\n  ${fields}\n}\n`;

describeE2E("exec on a node", () => {
  let node: Node;
  beforeEach(async () => {
    node = await bootNode();
  });
  afterEach(async () => {
    await node?.stop();
  });

  async function apply(policy: string, expectCode = 0) {
    const r = await node.apply(policy, "exec");
    expect(r.code, showRun(r)).toBe(expectCode);
    return r;
  }
  const runs = async (): Promise<string[]> => ((await node.readFile("/var/tmp/runs")) ?? "").split("\n").filter(Boolean);
  const state = (hash: string, file: string) => node.readFile(`${DIR}/${hash}/${file}`).then((t) => t?.trim());

  test("runs scripts in byte order of their names, as ./NAME in the state directory, with env and args as given", async () => {
    const tricky = `it's "$(not run)" \`x\` $HOME`;
    const policy =
      counted("b") +
      counted("a") +
      counted("B") +
      counted("10") +
      `set exec 9 {
  script = """
    #!/bin/bash
    echo 9 >>/var/tmp/runs
    { printf '%s\\n' "$0" "$PWD" "$TRICKY" "$#"; printf '[%s]\\n' "$@"; } >/var/tmp/seen
    """
  env { TRICKY = ${JSON.stringify(tricky)}  UNUSED = "" }
  args = ["two words", "", ${JSON.stringify(tricky)}, "-x"]
}
`;
    const r = await apply(policy);
    expect(await runs()).toEqual(["10", "9", "B", "a", "b"]);
    expect(await node.readFile("/var/tmp/seen")).toBe(`./9\n${DIR}\n${tricky}\n4\n[two words]\n[]\n[${tricky}]\n[-x]\n`);
    expect(r.stdout).toMatch(/INFO exec: wrote \.\/9\n/);
    expect(await node.shOk(`stat -c '%a %U' ${DIR}/9`)).toBe("700 root\n");
    expect(await node.readFile(`${DIR}/9`)).toContain("echo 9 >>/var/tmp/runs\n");
  }, 60_000);

  test("rerun policies: always reruns, never runs once, once_successfully until it succeeds; a change runs again", async () => {
    const policy =
      counted("always") +
      counted("never", "rerun_policy = never", "exit 3") +
      counted("once", "rerun_policy = once_successfully", "[ -e /var/tmp/ok ] || { touch /var/tmp/ok; exit 1; }");
    await apply(policy);
    const second = await apply(policy);
    await apply(policy);
    expect(await runs()).toEqual(["always", "never", "once", "always", "once", "always"]);
    expect(second.stdout).toContain("./never not run: failed before with exit 3 (rerun_policy never)");
    const h = hashes(policy);
    expect(await state(h["never"]!, "exit_code")).toBe("3");
    expect(await state(h["once"]!, "exit_code")).toBe("0");
    expect(Number(await state(h["once"]!, "last_run_timestamp"))).toBeGreaterThan(1_600_000_000);

    // Only `never` and `once_successfully` left: nothing runs, and the run says so.
    const quiet = counted("never", "rerun_policy = never", "exit 3") + counted("once", "rerun_policy = once_successfully", "[ -e /var/tmp/ok ] || { touch /var/tmp/ok; exit 1; }");
    expect((await apply(quiet)).stdout).toContain("removed ./always, no longer in the policy");
    const r = await apply(quiet);
    expect(r.stdout).toMatch(/exec: no changes; the node already matches the policy\.\n$/);

    // Any change of the entry is a new configuration, which runs whatever its policy.
    await apply(quiet.replace("rerun_policy = never", "rerun_policy = never\n  env { V = 2 }"));
    expect((await runs()).slice(-1)).toEqual(["never"]);
  }, 60_000);

  test("intervals, per-boot counts and persistence", async () => {
    const policy =
      counted("hourly", "rerun_interval = 3600") +
      counted("capped", "rerun_max_count = 2") +
      counted("boot", "rerun_interval = 86400  rerun_interval_persist = false") +
      counted("flaky", "rerun_policy = once_successfully  retry_max_count = 1", "exit 1");
    const h = hashes(policy);
    for (let i = 0; i < 4; i++) await apply(policy);
    expect(await runs()).toEqual(["boot", "capped", "flaky", "hourly", "capped", "flaky", "capped"]);
    const r = await apply(policy);
    expect(r.stdout).toContain("./hourly not run: next rerun due in");
    expect(r.stdout).toContain("./capped not run: reached rerun_max_count (2) for this boot");
    expect(r.stdout).toContain("./flaky not run: failed 1 time(s) in a row this boot (retry_max_count)");

    // An hour later (the record says so), `hourly` is due again.
    await node.shOk(`echo $(( $(date +%s) - 3601 )) >${DIR}/${h["hourly"]}/last_run_timestamp`);
    // After a reboot (the records name another boot), counts start again and `boot` ignores its interval.
    for (const n of ["capped", "boot", "flaky"]) await node.shOk(`echo 00000000-0000-0000-0000-000000000000 >${DIR}/${h[n]}/boot_id`);
    await node.shOk(": >/var/tmp/runs");
    await apply(policy);
    expect(await runs()).toEqual(["boot", "capped", "flaky", "hourly"]);
  }, 60_000);

  test("a script over its timeout is terminated with its whole process group, and the failure is recorded", async () => {
    const policy = counted("slow", "timeout = 1  rerun_policy = never", "sleep 300 & sleep 301");
    const r = await apply(policy);
    expect(r.stderr).toContain("ERROR Hit '1' second timeout waiting for 'slow' - terminating.");
    expect(r.ms).toBeLessThan(8_000);
    expect(await state(hashes(policy)["slow"]!, "exit_code")).toBe("143");
    expect((await node.sh("pgrep -f 'sleep 30[01]'")).code).toBe(1);
  }, 60_000);

  test("a script that ignores TERM is killed after the grace period", async () => {
    const policy = counted("stubborn", "timeout = 1  rerun_policy = never", "trap '' TERM; while :; do sleep 1; done");
    const r = await apply(policy);
    expect(r.ms).toBeGreaterThan(10_000);
    expect(await state(hashes(policy)["stubborn"]!, "exit_code")).toBe("137");
    expect((await node.sh("pgrep -f 'stubbor[n]'")).code).toBe(1);
  }, 60_000);

  test("foreground_halt_pod_on_failure stops the run with an ERROR; plain foreground failures do not", async () => {
    const policy =
      counted("1-soft", "", "exit 4") +
      counted("2-hard", "blocking_policy = foreground_halt_pod_on_failure", "exit 5") +
      counted("3-later");
    const r = await apply(policy, 1);
    expect(r.stderr).toContain("ERROR Killing pod due to non-zero exit code from '2-hard'.");
    expect(await runs()).toEqual(["1-soft", "2-hard"]);
    expect(await state(hashes(policy)["2-hard"]!, "exit_code")).toBe("5");
  }, 60_000);

  test("a background script runs on after the host script ends, is not started twice, and its end is reported", async () => {
    const policy = counted("bg", "blocking_policy = background  rerun_policy = once_successfully", "sleep 3; echo finished >/var/tmp/bg-done") + counted("fg");
    const h = hashes(policy)["bg"]!;
    const first = await apply(policy);
    expect(first.ms).toBeLessThan(2_500);
    expect(first.stdout).toContain("started ./bg in the background");
    expect(await node.exists("/var/tmp/bg-done")).toBe(false);
    const second = await apply(policy);
    expect(second.stdout).toContain("./bg not run: still running in the background");
    await node.shOk("for i in $(seq 100); do [ -e /var/tmp/bg-done ] && break; sleep 0.1; done; sleep 0.5");
    const third = await apply(policy);
    expect(third.stdout).toContain("the background run of ./bg ended with exit 0");
    expect(third.stdout).toContain("./bg not run: ran successfully before (rerun_policy once_successfully)");
    expect(await state(h, "exit_code")).toBe("0");
    expect(await node.readFile(`${DIR}/${h}/background.log`)).toContain("exec: ./bg ended with exit 0");
    expect((await runs()).sort()).toEqual(["bg", "fg", "fg", "fg"]);
  }, 60_000);

  test("a script file changed on the node is written again: other text of the same size, a NUL byte, its mode, a link", async () => {
    const p = counted("s1", "rerun_policy = never");
    await apply(p);
    const text = await node.readFile(`${DIR}/s1`);
    expect(text).toContain("echo s1 >>/var/tmp/runs");
    const rewritten = async (change: string): Promise<void> => {
      await node.shOk(change);
      const r = await apply(p);
      expect(r.stdout, change).toContain("exec: wrote ./s1");
      expect(await node.readFile(`${DIR}/s1`), change).toBe(text);
      expect(await node.shOk(`stat -c '%a %F' ${DIR}/s1`), change).toBe("700 regular file\n");
      expect((await apply(p)).stdout, change).toMatch(/exec: no changes; the node already matches the policy\.\n$/);
    };
    // Same size, one byte different: the size alone cannot tell.
    await rewritten(`sed -i 's/echo s1/echo s2/' ${DIR}/s1`);
    // A NUL byte in place of another (same size), which bash drops when it reads the file.
    await rewritten(`sed -i 's/o s1/\\x00 s1/' ${DIR}/s1 && grep -c -a -P '\\x00' ${DIR}/s1`);
    await rewritten(`printf 'x' >>${DIR}/s1`);
    await rewritten(`cp ${DIR}/s1 /var/tmp/s1-copy && rm ${DIR}/s1 && ln -s /var/tmp/s1-copy ${DIR}/s1`);
    const mode = await apply(p);
    expect(mode.stdout).toMatch(/exec: no changes/);
    await node.shOk(`chmod 755 ${DIR}/s1`);
    await apply(p);
    expect(await node.shOk(`stat -c '%a' ${DIR}/s1`)).toBe("700\n");
    expect(await runs()).toEqual(["s1"]);
  }, 60_000);

  test("a script file that an earlier script of the same run changed is written again", async () => {
    // s0 runs before s1 is checked (byte order) and appends to it, after the run read every file's size.
    const p = counted("s0", "", "echo '# more' >>./s1") + counted("s1", "rerun_policy = never");
    await apply(p);
    const text = await node.readFile(`${DIR}/s1`);
    expect(text).not.toContain("# more");
    const r = await apply(p);
    expect(r.stdout).toContain("exec: wrote ./s1");
    expect(await node.readFile(`${DIR}/s1`)).toBe(text);
  }, 60_000);

  test("scripts and run records the policy no longer has are removed; a second run changes nothing", async () => {
    const both = counted("keep", "rerun_policy = never") + counted("drop", "rerun_policy = never");
    const h = hashes(both);
    await apply(both);
    await node.shOk(`mkdir -p ${DIR}/not-a-hash && touch ${DIR}/.dotfile`);
    const only = counted("keep", "rerun_policy = never");
    const r = await apply(only);
    expect(r.stdout).toContain("removed ./drop, no longer in the policy");
    expect((await node.shOk(`ls -A ${DIR} | sort`)).split("\n").filter(Boolean)).toEqual([".dbellc-scripts", ".dotfile", h["keep"], "keep", "not-a-hash"].sort());
    const again = await apply(only);
    expect(again.stdout).toMatch(/exec: no changes; the node already matches the policy\.\n$/);
    // An empty policy removes everything exec wrote.
    await apply("");
    expect((await node.shOk(`ls -A ${DIR} | sort`)).split("\n").filter(Boolean)).toEqual([".dotfile", "not-a-hash"]);
  }, 60_000);

  test("files a script writes in its directory stay, and so do scripts dbellc did not write (a migrated node's)", async () => {
    const logger = `set exec 010-log.sh {
  script = """
    #!/bin/bash
    echo run >>./010-log.out
    """
}
`;
    // A script Divingbell left on a migrated node, and a file of the node's own.
    await node.shOk(`mkdir -p ${DIR} && printf '#!/bin/bash\\necho old\\n' >${DIR}/001-divingbell.sh && chmod 700 ${DIR}/001-divingbell.sh && echo mine >${DIR}/notes`);
    await apply(logger + counted("020-other"));
    await apply(logger + counted("020-other"));
    expect(await node.readFile(`${DIR}/010-log.out`)).toBe("run\nrun\n");
    expect(await node.readFile(`${DIR}/.dbellc-scripts`)).toBe("010-log.sh\n020-other\n");
    const r = await apply(logger);
    expect(r.stdout).toContain("removed ./020-other, no longer in the policy");
    expect(await node.readFile(`${DIR}/010-log.out`)).toBe("run\nrun\nrun\n");
    await apply("");
    const left = (await node.shOk(`ls -A ${DIR} | sort`)).split("\n").filter(Boolean);
    expect(left).toEqual(["001-divingbell.sh", "010-log.out", "notes"]);
    // A policy that names a script Divingbell wrote takes it over: it is rewritten, and removed when dropped.
    await apply(counted("001-divingbell.sh"));
    expect(await node.readFile(`${DIR}/001-divingbell.sh`)).toContain("echo 001-divingbell.sh >>/var/tmp/runs");
    await apply("");
    expect(await node.exists(`${DIR}/001-divingbell.sh`)).toBe(false);
  }, 60_000);

  test("two runs of the module at once do not interleave: the second waits, both finish, the state is consistent", async () => {
    const policy = `set exec 010-slow.sh {
  script = """
    #!/bin/bash
    echo "start $$" >>/var/tmp/order
    sleep 1
    echo "end $$" >>/var/tmp/order
    """
}
`;
    const [a, b] = await Promise.all([node.apply(policy, "exec"), node.apply(policy, "exec")]);
    for (const r of [a, b]) {
      expect(r.code, showRun(r)).toBe(0);
      expect(r.stderr, showRun(r)).toBe("");
    }
    expect(a.stdout + b.stdout).toContain("exec: another run of this module is in progress on this node; waiting for it to end");
    const order = ((await node.readFile("/var/tmp/order")) ?? "").split("\n").filter(Boolean).map((l) => l.split(" ")[0]);
    expect(order).toEqual(["start", "end", "start", "end"]);
    expect(await node.shOk(`stat -c %a ${DIR}/010-slow.sh; ls -A ${DIR} | grep -c dbell-tmp || true`)).toBe("700\n0\n");
    // A background script does not hold the lock after its run: the next run does not wait for it.
    const bg = counted("bg", "blocking_policy = background", "sleep 5");
    await apply(bg);
    const next = await apply(bg);
    expect(next.stdout).not.toContain("waiting for it to end");
    expect(next.ms).toBeLessThan(2_500);
  }, 60_000);

  test("failures are visible: a timeout is an ERROR, a failed script a WARN, and the closing line an ERROR counting them", async () => {
    const policy = counted("1-fails", "rerun_policy = never", "exit 3") + counted("2-slow", "timeout = 1  rerun_policy = never", "sleep 30") + counted("3-ok", "rerun_policy = never");
    const r = await apply(policy);
    // Three scripts written, three run.
    expect(r.stdout).toMatch(/ WARN exec: \.\/1-fails failed with exit 3\n/);
    expect(r.stderr).toContain("ERROR Hit '1' second timeout waiting for '2-slow' - terminating.");
    expect(r.stdout).toMatch(/ WARN exec: \.\/2-slow failed with exit 143\n/);
    expect(r.stderr).toMatch(/ ERROR exec: 2 failed \(\.\/1-fails \.\/2-slow\); 6 change\(s\) applied\.\n$/);
    expect(await runs()).toEqual(["1-fails", "2-slow", "3-ok"]);
    // The next run runs nothing, so nothing fails: its closing line is INFO again.
    expect((await apply(policy)).stdout).toMatch(/exec: no changes; the node already matches the policy\.\n$/);
  }, 60_000);
});
