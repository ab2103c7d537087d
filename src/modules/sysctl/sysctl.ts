/** sysctl: kernel tunables, persisted in /etc/sysctl.d/60-divingbell-<key>.conf (docs/modules/sysctl.md). */
import type { HostModule } from "../module.js";
import { scalarOf, type DictSchema } from "../schema.js";
import { sortedEntries } from "../../ir/tree.js";
import { about } from "./about.js";

export interface SysctlSetting {
  /** As written: dotted (`net.ipv4.ip_forward`) or slashed (`net/ipv4/ip_forward`). */
  readonly key: string;
  readonly value: string;
}

export interface SysctlSettings {
  readonly params: readonly SysctlSetting[];
}

/** Dotted or slashed path of name parts; in dotted form a `/` stands for a `.` inside a part (`eth0/100`). */
export const SYSCTL_KEY = /^[A-Za-z0-9_-]+(?:[./][A-Za-z0-9_:@-]+)*$/;

const schema: DictSchema = {
  kind: "Dict",
  doc: "Kernel tunables: `set sysctl KEY = VALUE`.",
  keyDoc: "a tunable, dotted (`net.ipv4.ip_forward`) or slashed (`net/ipv4/ip_forward`)",
  key: (key, span, r) => {
    if (!SYSCTL_KEY.test(key)) {
      r.report("DB2101", span, `\`${key}\` is not a valid sysctl key`, { help: "write the tunable's name as `sysctl -a` prints it, e.g. `net.ipv4.ip_forward`" });
    }
  },
  value: scalarOf("the value to write, exactly as `sysctl -w` takes it (`1`, `\"4096 87380 6291456\"`)", (n, r) => {
    if (n.text.trim() === "") r.report("DB2102", n.origin, "sysctl value is empty", { help: "to stop managing the key, use `unset sysctl KEY`" });
    else if (/[\n\r=\u0000-\u001f]/.test(n.text.replace(/\t/g, " "))) r.report("DB2102", n.origin, "sysctl value contains a newline, control character or `=`");
  }),
};

export const sysctl: HostModule<SysctlSettings> = {
  name: "sysctl",
  summary: "kernel tunables, applied with sysctl -w and persisted in /etc/sysctl.d",
  schema,
  settings(config) {
    return { params: sortedEntries(config).map((e) => ({ key: e.key, value: e.value.kind === "Scalar" ? e.value.text : "" })) };
  },
  bashCalls(s) {
    // Every wanted key first, then one sync: it checks them all before changing anything and reverts before applying.
    return [...s.params.map((p) => ({ fn: "sysctl_want", args: [p.key, p.value] })), { fn: "sysctl_sync", args: [] }];
  },
  about,
  pod: {
    hostScript: "sysctl_host.sh",
    runner: "chroot",
    // Some tunables check a capability when written, beyond root's file access: Divingbell's three cover
    // kernel.yama.ptrace_scope (SYS_PTRACE), the *_restrict and bpf keys (SYS_ADMIN) and vm.mmap_min_addr
    // (SYS_RAWIO). Current kernels also refuse net.ipv4.ip_forward and the ipv6 forwarding keys without NET_ADMIN
    // (EPERM, seen in the e2e pod emulation), so it is added.
    capabilities: ["SYS_PTRACE", "SYS_ADMIN", "SYS_RAWIO", "NET_ADMIN"],
    readOnlyRootFilesystem: true,
    // net.* keys belong to the node's network namespace; nothing here reaches the node's init.
    hostNetwork: true,
    hostPID: false,
    settingsIn: "ConfigMap",
  },
};
