/**
 * The host-script benchmark's shapes: for each module, a policy of realistic size and the node setup it needs. A shape
 * reads what it needs from the booted node (the tunables it has, the packages it has installed), so the policy holds
 * only settings the node can take.
 */
import type { Node } from "../../test/e2e/support/node.js";

export interface Shape {
  /** Shown in the report, with the number of settings: `sysctl 200 keys`. */
  readonly name: string;
  readonly module: string;
  /** The settings count the no-op target scales with (10 + settings/10 processes). */
  readonly settings: number;
  /** Node options for `bootNode`. */
  readonly mirror?: boolean;
  /** The first run changes nothing either (apt: packages the node has already). */
  readonly noopFirst?: boolean;
  /** Prepares a fresh node and returns the policy text. */
  prepare(node: Node): Promise<string>;
}

const ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIPTMJRmowiDVuONOm7FAp84SqjOx4nwRGJVHeqcAOJq";
const pad = (i: number): string => String(i).padStart(3, "0");
/** Prints `dotted.name value...` for each writable tunable of integers outside net (whose keys the kernel checks). */
const SYSCTL_LIST = [
  "cd /proc/sys && find fs kernel vm -type f -writable 2>/dev/null | LC_ALL=C sort | while IFS= read -r f; do",
  '  v=; read -r v <"$f" 2>/dev/null || continue',
  "  case $f in *.*) continue ;; esac",
  '  [[ $v =~ ^[0-9]{1,9}([[:space:]]+[0-9]{1,9})*$ ]] && printf \'%s %s\\n\' "${f//\\//.}" "$v" || :',
  "done",
].join("\n");
/** Prints the key of every `key = value` line in the sysctl.d directories and sysctl.conf. */
const SYSCTL_TAKEN = "cat /etc/sysctl.conf /etc/sysctl.d/*.conf /run/sysctl.d/*.conf /usr/local/lib/sysctl.d/*.conf /usr/lib/sysctl.d/*.conf /lib/sysctl.d/*.conf 2>/dev/null | sed -n 's/^[[:space:]]*-\\{0,1\\}\\([^=#;[:space:]]*\\)[[:space:]]*=.*/\\1/p' || :";
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/**
 * Integer tunables of the node's fake /proc/sys (plain files, so any value sticks), sorted. Each is set to a value it
 * does not have, so the first run writes every one.
 */
async function sysctlPolicy(node: Node, count: number): Promise<string> {
  const out = await node.shOk(SYSCTL_LIST);
  // Keys that the node's own sysctl.d files set are left out: `sysctl --system` would put those back after every run
  // (the host script warns about that), so no run of them could be a no-op.
  const taken = new Set((await node.shOk(SYSCTL_TAKEN)).split("\n").map((k) => k.replace(/\//g, ".")));
  const keys = out.split("\n").filter(Boolean).map((l) => {
    const [k, ...words] = l.split(/\s+/);
    return [k!, words] as const;
  }).filter(([k]) => !taken.has(k));
  if (keys.length < count) throw new Error(`the node has only ${keys.length} integer tunables, the shape needs ${count}`);
  // Multi-value tunables (printk, sched_rr_timeslice_ms...) keep their other numbers; the policy separates them by
  // spaces where the kernel prints tabs, as policies do.
  return keys.slice(0, count).map(([k, [first, ...rest]]) => `set sysctl ${k} = "${[Number(first) + 1, ...rest].join(" ")}"\n`).join("");
}

/** Installed packages of the node, in name order: requesting them installs nothing. */
async function installedPackages(node: Node, count: number): Promise<string[]> {
  const out = await node.shOk("dpkg-query -W -f='${db:Status-Status} ${Package}\\n' | awk '$1 == \"installed\" { print $2 }' | LC_ALL=C sort");
  const names = out.split("\n").filter(Boolean);
  if (names.length < count) throw new Error(`the node has only ${names.length} packages installed, the shape needs ${count}`);
  return names.slice(0, count);
}

/**
 * Features of the node's veths that ethtool can change, each set to the value it has (a veth couples some features to
 * others, so flipping them could fight): the first run still writes, starts and enables a unit per feature.
 */
async function ethtoolPolicy(node: Node, count: number): Promise<string> {
  const lines: string[] = [];
  for (const dev of ["ens3", "ens4"]) {
    const out = (await node.shOk(`ethtool -k ${dev}`)).split("\n").slice(1);
    out.forEach((line, i) => {
      const m = /^\s*([a-z0-9_-]+): (on|off)$/.exec(line);
      // A feature with sub-features (the indented lines after it) sets them all: left out.
      if (m && !(!/^\s/.test(line) && /^\s/.test(out[i + 1] ?? ""))) lines.push(`set ethtool ${dev} ${m[1]} = ${m[2]}\n`);
    });
  }
  if (lines.length < count) throw new Error(`the node's veths have only ${lines.length} features ethtool can change, the shape needs ${count}`);
  // As many from each interface: the no-op run reads features once per interface.
  const half = lines.filter((l) => l.startsWith("set ethtool ens3 ")).slice(0, count / 2);
  return [...half, ...lines.filter((l) => l.startsWith("set ethtool ens4 ")).slice(0, count - half.length)].join("");
}

export const SHAPES: readonly Shape[] = [
  { name: "sysctl", module: "sysctl", settings: 200, prepare: (node) => sysctlPolicy(node, 200) },
  {
    name: "mounts", module: "mounts", settings: 50,
    prepare: async () => range(50).map((i) => `set mounts m${pad(i)} { target = /srv/bench/m${pad(i)}  device = tmpfs  type = tmpfs  options = "size=1m" }\n`).join(""),
  },
  {
    name: "perm", module: "perm", settings: 100,
    prepare: async (node) => {
      await node.shOk("mkdir -p /srv/perm && cd /srv/perm && for i in $(seq -w 0 99); do touch f0$i; done && chmod 0644 /srv/perm/*");
      return range(100).map((i) => `set perm /srv/perm/f${pad(i)} { owner = root  group = root  mode = 0640 }\n`).join("");
    },
  },
  {
    name: "users", module: "users", settings: 20,
    prepare: async () => range(20).map((i) => `set users user u${pad(i)} { sudo = ${i % 2 === 0}  ssh_keys = ["${ED25519} u${pad(i)}@bench"] }\n`).join(""),
  },
  {
    name: "apt", module: "apt", settings: 50, mirror: true, noopFirst: true,
    prepare: async (node) => (await installedPackages(node, 50)).map((p) => `set apt package ${p} {}\n`).join(""),
  },
  {
    name: "exec", module: "exec", settings: 20,
    prepare: async () => range(20).map((i) => `set exec s${pad(i)} {\n  script = """\n    #!/bin/bash\n    echo s${pad(i)} >>/var/tmp/bench-runs\n    """\n  rerun_policy = never\n}\n`).join(""),
  },
  { name: "ethtool", module: "ethtool", settings: 20, prepare: (node) => ethtoolPolicy(node, 20) },
  {
    name: "limits", module: "limits", settings: 50,
    prepare: async () => range(50).map((i) => `set limits l${pad(i)} { domain = "@g${pad(i)}"  type = soft  item = nofile  value = ${10000 + i} }\n`).join(""),
  },
];
