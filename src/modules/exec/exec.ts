/** exec: scripts run in the namespaces of host PID 1, with rerun, retry, timeout and blocking policies (docs/modules/exec.md). */
import type { MapNode } from "../../ir/ir.js";
import { list, sortedEntries, subMap, text } from "../../ir/tree.js";
import type { HostModule, ShellCall } from "../module.js";
import { divingbellHash } from "./exec-hash.js";
import { checkExec, execSchema, LOOP_SECONDS } from "./exec-schema.js";
import { about } from "./about.js";

export interface ExecScript {
  /** The file name below /var/divingbell/exec; scripts run in byte order of these. */
  readonly name: string;
  /** Divingbell's hash of the entry: names its run record, so any change of the entry runs it again. */
  readonly hash: string;
  /** The file's text, ending in a newline. */
  readonly body: string;
  readonly env: readonly { readonly name: string; readonly value: string }[];
  readonly args: readonly string[];
  readonly rerunPolicy: string;
  readonly blockingPolicy: string;
  /** Whole seconds, decimal without leading zeros (bash would read `0060` as octal). */
  readonly timeout: string;
  /** Seconds or `infinity`. */
  readonly rerunInterval: string;
  /** Seconds or `infinity`; Divingbell's default is the rerun interval. */
  readonly retryInterval: string;
  readonly rerunIntervalPersist: boolean;
  /** A count, or `unlimited`. */
  readonly rerunMaxCount: string;
  readonly retryIntervalPersist: boolean;
  readonly retryMaxCount: string;
}

export interface ExecSettings {
  readonly scripts: readonly ExecScript[];
}

const normal = (n: string): string => (/^[0-9]+$/.test(n) ? BigInt(n).toString() : n);

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

function script(name: string, e: MapNode): ExecScript {
  const body = text(e, "script") ?? "";
  const rerunInterval = normal(text(e, "rerun_interval") ?? "infinity");
  const env = subMap(e, "env");
  return {
    name,
    hash: divingbellHash(e),
    body: body.endsWith("\n") ? body : `${body}\n`,
    env: env ? sortedEntries(env).map((v) => ({ name: v.key, value: v.value.kind === "Scalar" ? v.value.text : "" })) : [],
    args: list(e, "args") ?? [],
    rerunPolicy: text(e, "rerun_policy") ?? "always",
    blockingPolicy: text(e, "blocking_policy") ?? "foreground",
    timeout: normal(text(e, "timeout") ?? "1800"),
    rerunInterval,
    retryInterval: normal(text(e, "retry_interval") ?? rerunInterval),
    rerunIntervalPersist: text(e, "rerun_interval_persist") !== "false",
    rerunMaxCount: normal(text(e, "rerun_max_count") ?? "unlimited"),
    retryIntervalPersist: text(e, "retry_interval_persist") !== "false",
    retryMaxCount: normal(text(e, "retry_max_count") ?? "unlimited"),
  };
}

function runCall(s: ExecScript): ShellCall {
  return {
    fn: "exec_run",
    args: [
      s.name,
      s.hash,
      `rerun_policy=${s.rerunPolicy}`,
      `blocking_policy=${s.blockingPolicy}`,
      `timeout=${s.timeout}`,
      `rerun_interval=${s.rerunInterval}`,
      `retry_interval=${s.retryInterval}`,
      `rerun_interval_persist=${s.rerunIntervalPersist}`,
      `rerun_max_count=${s.rerunMaxCount}`,
      `retry_interval_persist=${s.retryIntervalPersist}`,
      `retry_max_count=${s.retryMaxCount}`,
      ...s.env.flatMap((v) => ["--env", `${v.name}=${v.value}`]),
      "--",
      ...s.args,
    ],
  };
}

export const exec: HostModule<ExecSettings> = {
  name: "exec",
  summary: "scripts run in the host's namespaces with rerun, retry, timeout and blocking policies",
  schema: execSchema,
  check: checkExec,
  settings(config) {
    const scripts = [...config.entries.values()]
      .filter((e) => e.value.kind === "Map")
      .sort((a, b) => byteOrder(a.key, b.key))
      .map((e) => script(e.key, e.value as MapNode));
    return { scripts };
  },
  bashCalls(s) {
    // Removed scripts and stale run records go first (revert before apply); then each script in byte order.
    return [
      { fn: "exec_begin", args: s.scripts.flatMap((x) => [x.name, x.hash]) },
      ...s.scripts.flatMap((x): ShellCall[] => [{ fn: "exec_script", args: [x.name, x.body] }, runCall(x)]),
    ];
  },
  about,
  pod: {
    hostScript: "exec_host.sh",
    runner: "nsenter",
    loopSeconds: LOOP_SECONDS,
    capabilities: [],
    privileged: { reason: "nsenter into the namespaces of host PID 1 needs /proc/1/ns access" },
    readOnlyRootFilesystem: true,
    // nsenter -t 1 needs the node's PID 1 in sight; it enters the node's network namespace itself.
    hostNetwork: false,
    hostPID: true,
    settingsIn: "Secret",
  },
};
