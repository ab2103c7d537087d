/** The process counter of the host-script benchmark, on strace output shaped as a traced pod run prints it. */
import { describe, expect, test } from "vitest";
import { countSpawns } from "./trace.js";

const SCRIPT = "/tmp/dbell.sysctl_host.sh.AbC123";

/** The pod emulation (nsenter, unshare, sh with its mounts), then the script's bash: a shape every trace has. */
const POD = [
  `100 execve("/usr/bin/nsenter", ["nsenter", "-t", "42"], 0x7ffd /* 3 vars */) = 0`,
  `100 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f) = 7 /* 101 in strace's PID NS */`,
  `101 execve("/usr/bin/unshare", ["unshare", "-m"], 0x7ffd /* 3 vars */) = 0`,
  `101 execve("/usr/bin/sh", ["sh", "-c", "mount --rbind / /mnt", "sh", "${SCRIPT}", "chroot", ""], 0x7ffd /* 3 vars */) = 0`,
  `101 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f) = 8 /* 102 in strace's PID NS */`,
  `102 execve("/usr/bin/mount", ["mount", "--rbind", "/", "/mnt"], 0x7ffd /* 3 vars */) = 0`,
  `101 execve("/usr/sbin/chroot", ["chroot", "/mnt", "/bin/bash", "${SCRIPT}"], 0x7ffd /* 3 vars */) = 0`,
  `101 execve("/bin/bash", ["/bin/bash", "${SCRIPT}"], 0x7ffd /* 3 vars */) = 0`,
];

describe("countSpawns", () => {
  test("counts the script's forks and execs, not the pod emulation's", () => {
    const trace = [
      ...POD,
      // $(sysctl -n x): a fork that execs; $(helper): a fork that does not.
      `101 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f) = 9 /* 103 in strace's PID NS */`,
      `103 execve("/usr/sbin/sysctl", ["sysctl", "-n", "x"], 0x55 /* 3 vars */) = 0`,
      `101 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f) = 10 /* 104 in strace's PID NS */`,
      // A grandchild, split by strace into an unfinished call and its resumption.
      `104 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f <unfinished ...>`,
      `105 execve("/usr/bin/cat", ["cat", "f"], 0x55 /* 3 vars */) = 0`,
      `104 <... clone resumed>) = 11 /* 105 in strace's PID NS */`,
      // A failed PATH lookup is no program run.
      `105 execve("/usr/local/bin/cat", ["cat", "f"], 0x55 /* 3 vars */) = -1 ENOENT (No such file or directory)`,
      // A thread is not a process.
      `103 clone(child_stack=0x7f, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM, parent_tid=0x7f) = 12 /* 106 in strace's PID NS */`,
      `101 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=9, si_uid=0, si_status=0} ---`,
      `100 +++ exited with 0 +++`,
    ].join("\n");
    expect(countSpawns(trace, SCRIPT)).toEqual({ processes: 3, execs: 2, programs: [["cat", 1], ["sysctl", 1]] });
  });

  test("a script that spawns nothing counts zero", () => {
    expect(countSpawns(POD.join("\n"), SCRIPT)).toEqual({ processes: 0, execs: 0, programs: [] });
  });

  test("a trace without the script's bash is an error, not a zero", () => {
    expect(() => countSpawns(POD.slice(0, -1).join("\n"), SCRIPT)).toThrow(/no \/bin\/bash running/);
  });
});
