/**
 * The entry script of a module's pods: a header naming the module's host script and runner, then entry.sh. The
 * module's program ConfigMap carries it beside the program; the pod joins the program and its settings object.
 */
import type { HostModule } from "../../modules/module.js";
import { shellAsset } from "../bash/assets.js";
import { quote } from "../bash/quote.js";

/** Where the pod mounts the module's program ConfigMap; entry.sh relies on it. */
export const PROGRAM_DIR = "/dbell/program";
/** Where the pod mounts its configuration's settings object (ConfigMap or Secret); entry.sh relies on it. */
export const SETTINGS_DIR = "/dbell/settings";
/** The program ConfigMap's key of the entry script. The program's key is the host script's name (`hostScriptKey`). */
export const ENTRY_KEY = "entry.sh";
/** The settings object's key of the settings part of the host script. */
export const SETTINGS_KEY = "settings.sh";
/** Written by entry.sh in the container after each successful run, removed before each run. */
export const READY_MARKER = "/tmp/dbell-ready";
/** The readinessProbe's command: the pod is Ready only while the marker exists. */
export const READINESS_COMMAND: readonly string[] = ["test", "-e", READY_MARKER];
/** Where the pod mounts the node's `/`; entry.sh relies on it. */
export const ROOT_MOUNT = "/mnt";

// Part of a file name in the node's /tmp.
const SCRIPT_NAME = /^[A-Za-z0-9][-A-Za-z0-9_.]*$/;

/** The program's key: the module's `pod.hostScript` (`sysctl_host.sh`), also part of its file name on the node. */
export function hostScriptKey(mod: HostModule): string {
  if (!SCRIPT_NAME.test(mod.pod.hostScript) || mod.pod.hostScript === ENTRY_KEY) {
    throw new Error(`internal: module ${mod.name} has an unusable host script name ${JSON.stringify(mod.pod.hostScript)}`);
  }
  return mod.pod.hostScript;
}

/** Always in quotes, so shellcheck does not read `DBELL_MODULE=exec` as a command (SC2209). */
function quoted(value: string): string {
  const q = quote(value);
  return q.startsWith("'") ? q : `'${q}'`;
}

const cache = new WeakMap<HostModule, string>();

/** The same text for every configuration of a module: the settings are all in the settings object. */
export function entryScript(mod: HostModule): string {
  let text = cache.get(mod);
  if (text !== undefined) return text;
  const loop = mod.pod.loopSeconds ?? 0;
  if (!Number.isSafeInteger(loop) || loop < 0) throw new Error(`internal: module ${mod.name} has a bad loopSeconds ${loop}`);
  text = [
    "#!/bin/bash",
    `# dbellc entry script for module ${mod.name}. Generated; do not edit.`,
    `DBELL_MODULE=${quoted(mod.name)}`,
    `DBELL_HOST_SCRIPT=${quoted(hostScriptKey(mod))}`,
    `DBELL_RUNNER=${quoted(mod.pod.runner)}`,
    `DBELL_LOOP_SECONDS=${loop}`,
    shellAsset("src/backends/k8s/entry.sh").trimEnd(),
    "",
  ].join("\n");
  cache.set(mod, text);
  return text;
}
