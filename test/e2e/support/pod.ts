/**
 * The pod emulation: what a module's DaemonSet pod does on a node (src/backends/k8s/entry.sh and pod.ts), replayed
 * inside a booted node. The pod shares the node's PID and network namespaces only where its module's PodSpec says
 * hostPID and hostNetwork; the pod's own mount
 * namespace holds the node's / at /mnt with HostToContainer propagation; the entry script copies the host script into
 * the node's /tmp under a fresh name and runs it with bash, through `chroot /mnt` or `nsenter -t 1` (exec), with the
 * container's capabilities only.
 */
import type { PodSpec } from "../../../src/modules/module.js";

/** What containerd and Docker give a non-privileged container (a module's PodSpec adds to these). */
export const RUNTIME_DEFAULT_CAPS = [
  "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP", "NET_BIND_SERVICE", "NET_RAW",
  "SYS_CHROOT", "MKNOD", "AUDIT_WRITE", "SETFCAP",
] as const;

/** The capability bounding set of a module's container; undefined for a privileged one (all capabilities). */
export function podCapabilities(pod: PodSpec): readonly string[] | undefined {
  if (pod.privileged) return undefined;
  return [...new Set([...RUNTIME_DEFAULT_CAPS, ...pod.capabilities])].sort();
}

/**
 * Run by sh inside all the node's namespaces, with $1 the script's path in the node, $2 the runner, $3 a setpriv
 * bounding-set spec or "" for all capabilities. The mounts are made before the capabilities are dropped, as the
 * container runtime makes them before the entry script starts.
 */
const POD_SHELL = `
mount --rbind / /mnt && mount --make-rslave /mnt || exit 125
if [ -n "$3" ]; then set -- "$1" "$2" setpriv --inh-caps=-all --bounding-set="$3" --; else set -- "$1" "$2"; fi
script=$1 runner=$2
shift 2
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
export function podArgv(path: string, runner: PodSpec["runner"], capabilities: readonly string[] | undefined, ns: PodNamespaces = { hostNetwork: true, hostPID: true }): string[] {
  const bounding = capabilities === undefined ? "" : ["-all", ...capabilities.map((c) => `+${c.toLowerCase()}`)].join(",");
  const own = [...(ns.hostNetwork ? [] : ["--net"]), ...(ns.hostPID ? [] : ["--pid", "--fork"])];
  return ["unshare", "-m", "--propagation", "slave", ...own, "--", "sh", "-c", POD_SHELL, "sh", path, runner, bounding];
}
