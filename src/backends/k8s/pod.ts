/**
 * The parts of a module's pods that are the same for all its DaemonSets, built once per module from its `pod`
 * description and its deployment settings, and marked shared so the YAML writer renders them once (a module can have
 * thousands of DaemonSets).
 */
import type { DeploySettings } from "../../ir/ir.js";
import type { HostModule } from "../../modules/module.js";
import { ENTRY_KEY, PROGRAM_DIR, READINESS_COMMAND, ROOT_MOUNT, SETTINGS_DIR } from "./entry-script.js";
import { commentKey, shared, type YamlMap } from "./yaml.js";

export interface PodParts {
  readonly updateStrategy: YamlMap;
  /** Pod spec fields other than affinity and volumes. */
  readonly spec: YamlMap;
  /** Volumes other than the program and the settings. */
  readonly volumes: readonly YamlMap[];
  /** 0400: only the container's root reads the scripts; bash reads them, nothing executes them directly. */
  readonly scriptMode: number;
}

/** What the container may do, beyond running as root: see docs/security.md. */
export interface Hardening {
  /** The capabilities left after `drop: [ALL]`; undefined for a privileged container (all of them). */
  readonly capabilities: readonly string[] | undefined;
  /** `allowPrivilegeEscalation: false` (no_new_privs). */
  readonly noNewPrivileges: boolean;
  /** `seccompProfile: RuntimeDefault`. */
  readonly seccomp: boolean;
}

/**
 * The container's hardening. Every capability is dropped, then the runner's (chroot needs SYS_CHROOT) and the
 * module's own are added. Kubernetes refuses `allowPrivilegeEscalation: false` beside `privileged` or SYS_ADMIN, and
 * runs privileged containers without seccomp whatever they ask, so those keep the defaults.
 */
export function hardening(mod: HostModule): Hardening {
  const pod = mod.pod;
  if (pod.privileged) return { capabilities: undefined, noNewPrivileges: false, seccomp: false };
  const caps = [...new Set([...(pod.runner === "chroot" ? ["SYS_CHROOT"] : []), ...pod.capabilities])].sort();
  return { capabilities: caps, noNewPrivileges: !caps.includes("SYS_ADMIN"), seccomp: true };
}

export function podParts(mod: HostModule, deploy: DeploySettings): PodParts {
  const pod = mod.pod;
  const tmp = pod.readOnlyRootFilesystem;
  const h = hardening(mod);
  const securityContext: YamlMap = {
    allowPrivilegeEscalation: h.noNewPrivileges ? false : undefined,
    appArmorProfile: pod.appArmorUnconfined ? { type: "Unconfined" } : undefined,
    capabilities: h.capabilities ? { add: h.capabilities.length ? [...h.capabilities] : undefined, drop: ["ALL"] } : undefined,
    privileged: pod.privileged ? true : undefined,
    readOnlyRootFilesystem: pod.readOnlyRootFilesystem,
    runAsUser: 0,
    seccompProfile: h.seccomp ? { type: "RuntimeDefault" } : undefined,
  };
  const container: YamlMap = {
    name: mod.name,
    command: ["/bin/bash", `${PROGRAM_DIR}/${ENTRY_KEY}`],
    image: deploy.image,
    imagePullPolicy: "IfNotPresent",
    // Ready once the host script succeeded on the node (entry.sh writes the marker after each successful run).
    readinessProbe: { exec: { command: [...READINESS_COMMAND] }, periodSeconds: 5 },
    resources: { requests: { cpu: deploy.cpuRequest, memory: deploy.memoryRequest } },
    securityContext,
    volumeMounts: [
      // A writable /tmp for the entry script when the root filesystem is read-only.
      ...(tmp ? [{ name: "pod-tmp", mountPath: "/tmp" }] : []),
      { name: "program", mountPath: PROGRAM_DIR, readOnly: true },
      // HostToContainer: mounts the node makes later show up here, and this pod does not pin them (Divingbell 918da6d).
      { name: "rootfs", mountPath: ROOT_MOUNT, mountPropagation: "HostToContainer" },
      { name: "settings", mountPath: SETTINGS_DIR, readOnly: true },
    ],
  };
  const reasons = [pod.privileged && `privileged: ${pod.privileged.reason}`, pod.appArmorUnconfined && `unconfined by AppArmor: ${pod.appArmorUnconfined.reason}`];
  const why = reasons.filter((r): r is string => !!r).join("; ");
  if (why) commentKey(container, "securityContext", why);
  const maxUnavailable = /^[0-9]+$/.test(deploy.maxUnavailable) ? Number(deploy.maxUnavailable) : deploy.maxUnavailable;
  return {
    // A configuration that fails on its first nodes stops the rollout there: a failed run leaves its pod unready.
    updateStrategy: shared({ type: "RollingUpdate", rollingUpdate: { maxUnavailable } }),
    spec: {
      // The pods never talk to the API server.
      automountServiceAccountToken: false,
      containers: shared([container]),
      // Only the node namespaces the module says it needs (module.ts's PodSpec tells why a module would);
      // no module uses the node's IPC namespace, so it is never shared.
      hostNetwork: pod.hostNetwork || undefined,
      hostPID: pod.hostPID || undefined,
      imagePullSecrets: deploy.imagePullSecrets.length ? shared(deploy.imagePullSecrets.map((name) => ({ name }))) : undefined,
      nodeSelector: deploy.nodeSelector.length ? shared(Object.fromEntries(deploy.nodeSelector)) : undefined,
      priorityClassName: deploy.priorityClassName || undefined,
      // Divingbell's pod default; the container runs as root, which the host work needs.
      securityContext: shared({ runAsUser: 65534 }),
      // Host configuration must reach control-plane and tainted nodes too.
      tolerations: deploy.tolerateAllTaints ? shared([{ operator: "Exists" }]) : undefined,
    },
    volumes: [...(tmp ? [shared({ name: "pod-tmp", emptyDir: {} })] : []), shared({ name: "rootfs", hostPath: { path: "/" } })],
    scriptMode: 0o400,
  };
}
