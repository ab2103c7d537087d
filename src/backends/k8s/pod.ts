/**
 * The parts of a module's pods that are the same for all its variants, built once per module from its `pod`
 * description and marked shared, so the YAML writer renders them once (a module can have thousands of variants).
 */
import type { HostModule } from "../../modules/module.js";
import { ENTRY_KEY, ROOT_MOUNT, SCRIPTS_DIR } from "./entry-script.js";
import type { K8sOptions } from "./daemonset.js";
import { commentKey, shared, type YamlMap } from "./yaml.js";

export interface PodParts {
  readonly updateStrategy: YamlMap;
  /** Pod spec fields other than affinity and volumes. */
  readonly spec: YamlMap;
  /** Volumes other than the scripts (each variant mounts its own Secret). */
  readonly volumes: readonly YamlMap[];
  /** 0400: only the container's root reads the scripts; bash reads them, nothing executes them directly. */
  readonly scriptMode: number;
}

export function podParts(mod: HostModule, options: K8sOptions): PodParts {
  const pod = mod.pod;
  const tmp = pod.readOnlyRootFilesystem;
  const securityContext: YamlMap = {
    appArmorProfile: pod.appArmorUnconfined ? { type: "Unconfined" } : undefined,
    // Exactly the capabilities the module lists, on top of the runtime's defaults (which include SYS_CHROOT).
    capabilities: pod.capabilities.length ? { add: [...pod.capabilities] } : undefined,
    privileged: pod.privileged ? true : undefined,
    readOnlyRootFilesystem: pod.readOnlyRootFilesystem,
    runAsUser: 0,
  };
  const container: YamlMap = {
    name: mod.name,
    command: ["/bin/bash", `${SCRIPTS_DIR}/${ENTRY_KEY}`],
    image: options.image,
    imagePullPolicy: "IfNotPresent",
    securityContext,
    volumeMounts: [
      // A writable /tmp for the entry script when the root filesystem is read-only.
      ...(tmp ? [{ name: "pod-tmp", mountPath: "/tmp" }] : []),
      // HostToContainer: mounts the node makes later show up here, and this pod does not pin them (Divingbell 918da6d).
      { name: "rootfs", mountPath: ROOT_MOUNT, mountPropagation: "HostToContainer" },
      { name: "scripts", mountPath: SCRIPTS_DIR, readOnly: true },
    ],
  };
  const reasons = [pod.privileged && `privileged: ${pod.privileged.reason}`, pod.appArmorUnconfined && `unconfined by AppArmor: ${pod.appArmorUnconfined.reason}`];
  const why = reasons.filter((r): r is string => !!r).join("; ");
  if (why) commentKey(container, "securityContext", why);
  return {
    // Node configuration changes all at once, as Divingbell does: the pods only apply settings and sleep.
    updateStrategy: shared({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: "100%" } }),
    spec: {
      containers: shared([container]),
      // Only the node namespaces the module says it needs (module.ts's PodSpec tells why a module would);
      // no module uses the node's IPC namespace, so it is never shared.
      hostNetwork: pod.hostNetwork || undefined,
      hostPID: pod.hostPID || undefined,
      nodeSelector: shared({ "kubernetes.io/os": "linux" }),
      // Divingbell's pod default; the container runs as root, which the host work needs.
      securityContext: shared({ runAsUser: 65534 }),
    },
    volumes: [...(tmp ? [shared({ name: "pod-tmp", emptyDir: {} })] : []), shared({ name: "rootfs", hostPath: { path: "/" } })],
    scriptMode: 0o400,
  };
}
