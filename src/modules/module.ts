/** The HostModule contract: what a module folder provides to lowering, checks and both backends. */
import type { MapNode } from "../ir/ir.js";
import type { ModuleBand, ModuleCodes } from "../diagnostics/codes.js";
import type { RecordSchema, Reporter, Schema } from "./schema.js";

/** One line of a host script: a function of the module's .sh file and its arguments, as data. */
export interface ShellCall {
  readonly fn: string;
  readonly args: readonly string[];
}

/** What the module's pod needs from Kubernetes; daemonset.ts builds every module's DaemonSet from this. */
export interface PodSpec {
  /** Name of the host script on the node, as Divingbell names it (`sysctl_host.sh`). */
  readonly hostScript: string;
  /** `chroot` into the host's `/`, or `nsenter` into the namespaces of host PID 1 (exec). */
  readonly runner: "chroot" | "nsenter";
  /** Rerun the host script every this many seconds instead of once (perm and exec). */
  readonly loopSeconds?: number;
  readonly capabilities: readonly string[];
  /** Set only where the module cannot work without it, with the reason. */
  readonly privileged?: { readonly reason: string };
  /**
   * Run without an AppArmor profile, with the reason. Kubernetes confines containers with the runtime's default
   * profile, which denies what some modules are for (loading AppArmor profiles).
   */
  readonly appArmorUnconfined?: { readonly reason: string };
  /** false where the module needs a writable root filesystem (users: useradd). */
  readonly readOnlyRootFilesystem: boolean;
  /**
   * Run in the node's network namespace. Needed where the host script acts on the node's network: net.* sysctls
   * (they belong to a network namespace), the node's NICs, downloads through the node's network and resolver.
   * The chroot alone does not give the node's network; a pod of its own network namespace is the safer default.
   */
  readonly hostNetwork: boolean;
  /**
   * Run in the node's PID namespace. Needed where the host script reaches the node's init: `nsenter -t 1`, or
   * systemctl inside the chroot, which refuses to act unless /proc/1 is the node's init.
   */
  readonly hostPID: boolean;
  /**
   * Where the settings part of the host script goes: a ConfigMap (plain text a reviewer can read), or a Secret for a
   * module whose settings can hold credentials (password hashes, debconf answers, script environments).
   */
  readonly settingsIn: "ConfigMap" | "Secret";
}

/**
 * What a module folder declares besides its behaviour, so that the folder plus one line in registry.ts is all a new
 * module needs (docs/adding-a-module.md). Kept in the folder's `about.ts`.
 */
export interface ModuleAbout {
  /** Its band of 100 diagnostic codes: DB21 to DB29 for the first nine modules, DB70 to DB89 for later ones. */
  readonly band: ModuleBand;
  /** Its codes, all in its band; the registry adds them to the catalog (docs/diagnostics.md is generated from it). */
  readonly codes: ModuleCodes;
  /** Its shell files, from the package root, in the order the host script includes them (its `<name>.sh` first). */
  readonly shellFiles: readonly string[];
  /** Its reference page, from the package root (`docs/modules/sysctl.md`). */
  readonly docs: string;
  /** Settings that reach every shell function worth linting; the shellcheck test compiles and lints them. */
  readonly checkSample: string;
  /** One `set` statement whose value varies with `n`, for the benchmark's generated policies. */
  readonly benchSample: (n: number) => string;
}

export interface HostModule<S = unknown> {
  /** The identifier used in .dbell (`sysctl`), also the Kubernetes component name. */
  readonly name: string;
  /** One line for docs and `explain`. */
  readonly summary: string;
  /** The shape of the module's configuration tree, below `set MODULE`. */
  readonly schema: RecordSchema | Extract<Schema, { kind: "Dict" }>;
  /** Checks across fields of one variant's merged configuration (required fields are checked generically before). */
  check?(config: MapNode, report: Reporter): void;
  /**
   * The typed settings of one variant; called only on a configuration without errors. They must follow from the
   * configuration's keys, texts and forms alone, never from source places: variants whose rules write the same
   * values share one build (compile.ts).
   */
  settings(config: MapNode): S;
  /** The host script's calls for these settings (apply, revert, finish). */
  bashCalls(settings: S): readonly ShellCall[];
  readonly pod: PodSpec;
  readonly about: ModuleAbout;
}
