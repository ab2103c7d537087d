/**
 * The pod emulation: what a module's DaemonSet pod does on a node (src/backends/k8s/entry.sh and pod.ts), replayed
 * inside a booted node. The pod shares the node's PID and network namespaces only where its module's PodSpec says
 * hostPID and hostNetwork; the pod's own mount namespace holds the node's / at /mnt with HostToContainer
 * propagation; the entry script copies the host script into the node's /tmp under a fresh name and runs it with
 * bash, through `chroot /mnt` or `nsenter -t 1` (exec), with the container's hardening: its capabilities only
 * (`drop: [ALL]` plus the module's), no_new_privs where `allowPrivilegeEscalation: false`, and a seccomp filter
 * standing in for `seccompProfile: RuntimeDefault` (seccomp-runtime-default.pl).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { hardening, type Hardening } from "../../../src/backends/k8s/pod.js";
import type { HostModule } from "../../../src/modules/module.js";

/** What a module's container gets in the compiled DaemonSet (src/backends/k8s/pod.ts decides, not this file). */
export function podHardening(mod: HostModule): Hardening {
  return hardening(mod);
}

/** The capability bounding set of a module's container; undefined for a privileged one (all capabilities). */
export function podCapabilities(mod: HostModule): readonly string[] | undefined {
  return hardening(mod).capabilities;
}

const SECCOMP = readFileSync(join(import.meta.dirname, "seccomp-runtime-default.pl"), "utf8");

/**
 * Run by sh inside all the node's namespaces, with $1 the script's path in the node, $2 the runner, $3 a setpriv
 * bounding-set spec or "" for all capabilities, $4 "nnp" for no_new_privs, $5 the seccomp program or "", $6 the
 * capabilities for it. The mounts are made before the capabilities are dropped and the filter is loaded, as the
 * container runtime makes them before the entry script starts.
 */
const POD_SHELL = `
mount --rbind / /mnt && mount --make-rslave /mnt || exit 125
script=$1 runner=$2 bounding=$3 nnp=$4 seccomp=$5 caps=$6
set --
if [ -n "$seccomp" ]; then set -- perl -e "$seccomp" "$caps" --; fi
if [ -n "$bounding" ]; then set -- "$@" setpriv --inh-caps=-all --bounding-set="$bounding" \${nnp:+--no-new-privs} --; fi
case $runner in
  chroot) exec "$@" chroot /mnt /bin/bash "$script" ;;
  nsenter) exec "$@" nsenter -t 1 -m -u -n -i -p -- /bin/bash "$script" ;;
esac
exit 126
`;

/** Which of the node's namespaces the pod shares (its PodSpec's hostNetwork and hostPID); both when not given. */
export interface PodNamespaces {
  readonly hostNetwork: boolean;
  readonly hostPID: boolean;
}

/**
 * The command (run with `nsenter -a` into the node) that plays the pod running the host script at `path`. A pod
 * without hostNetwork gets a network namespace of its own, one without hostPID a PID namespace of its own (the
 * node's /proc stays visible under /mnt, as it is through a real pod's hostPath mount of /).
 */
export function podArgv(
  path: string,
  runner: HostModule["pod"]["runner"],
  capabilities: readonly string[] | undefined,
  ns: PodNamespaces = { hostNetwork: true, hostPID: true },
  confine: { noNewPrivileges?: boolean; seccomp?: boolean } = {},
): string[] {
  const bounding = capabilities === undefined ? "" : ["-all", ...capabilities.map((c) => `+${c.toLowerCase()}`)].join(",");
  const own = [...(ns.hostNetwork ? [] : ["--net"]), ...(ns.hostPID ? [] : ["--pid", "--fork"])];
  const nnp = confine.noNewPrivileges && bounding ? "nnp" : "";
  const seccomp = confine.seccomp ? SECCOMP : "";
  return ["unshare", "-m", "--propagation", "slave", ...own, "--", "sh", "-c", POD_SHELL, "sh", path, runner, bounding, nnp, seccomp, (capabilities ?? []).join(",")];
}
