/**
 * The values outside the modules' conf: `manifests.daemonset_<module>` becomes `disable`; `images.divingbell`,
 * `labels.<module>.node_selector_*` and the pod's update strategy and resources become `set deploy`; the chart
 * settings a policy has no place for are reported where they differ from the chart's defaults.
 */
import { didYouMean } from "../diagnostics/suggest.js";
import { MODULE_IMPORTS, importerFor } from "./modules/index.js";
import { isNull, type Cx } from "./reader.js";
import { goText, naiveBool, resolve, truthy } from "./yaml11.js";
import { field, kindOf, type YMap, type YNode } from "./yaml-tree.js";
import { keyText, oneLineString } from "../syntax/print-values.js";

export interface Disabled {
  /** Divingbell module name. */
  readonly divingbell: string;
  readonly note: string;
}

const text = (n: YNode): string | undefined => (n.kind === "scalar" ? goText(resolve(n)) : undefined);

/** `manifests`: which modules Divingbell deployed. */
export function readManifests(cx: Cx, manifests: YNode | undefined): Disabled[] {
  const out: Disabled[] = [];
  if (!manifests || isNull(manifests)) return out;
  if (manifests.kind !== "map") {
    cx.error(manifests.span, `\`manifests\` should be a map, found ${kindOf(manifests)}`);
    return out;
  }
  const known = [...MODULE_IMPORTS.map((m) => `daemonset_${m.divingbell}`), "daemonset_apt_remove_old_pkgs", "network_policy"];
  for (const e of manifests.entries) {
    const k = e.key.text;
    const mod = k.startsWith("daemonset_") ? importerFor(k.slice("daemonset_".length)) : undefined;
    const on = e.value.kind === "scalar" ? truthy(resolve(e.value)) : true;
    if (e.value.kind === "scalar" && naiveBool(e.value.text) !== undefined && naiveBool(e.value.text) !== on) {
      cx.warn(e.value.span, `Divingbell took \`manifests.${k}: ${e.value.text}\` as ${on} (any non-empty text is true); the import follows it`);
    }
    if (mod) {
      if (!on) out.push({ divingbell: mod.divingbell, note: `manifests.${k} is ${e.value.kind === "scalar" ? e.value.text : "off"}` });
    } else if (k === "daemonset_apt_remove_old_pkgs") {
      if (!on) cx.warn(e.key.span, "a policy cannot keep apt from purging packages it installed earlier and no longer lists (`daemonset_apt_remove_old_pkgs: false`); dropped");
    } else if (k === "network_policy") {
      if (on) cx.warn(e.key.span, "dbellc does not emit a NetworkPolicy; `manifests.network_policy` dropped");
    } else cx.warn(e.key.span, `Divingbell ignores \`manifests.${k}\`; dropped`, didYouMean(k, known));
  }
  return out;
}

/** `conf` keys that are not module settings or overrides. */
export function readConfGlobals(cx: Cx, conf: YMap): void {
  for (const e of conf.entries) {
    const k = e.key.text;
    if (importerFor(k) || k === "overrides") continue;
    if (k === "chroot_mnt_path") {
      if (text(e.value) !== "/mnt") cx.warn(e.key.span, "dbellc always mounts the host's `/` at `/mnt` in its pods; `conf.chroot_mnt_path` dropped");
    } else if (k === "log_colors") {
      if (e.value.kind !== "scalar" || truthy(resolve(e.value))) cx.warn(e.key.span, "dbellc's host scripts log without colours; `conf.log_colors` dropped");
    } else if (k === "perms") {
      cx.warn(e.key.span, "Divingbell reads `conf.perm.paths`, so `conf.perms` (the spelling of its docs) had no effect; dropped", "move the entries to `conf.perm.paths` if they were meant to apply");
    } else {
      const help = didYouMean(k, [...MODULE_IMPORTS.map((m) => m.divingbell), "overrides"]);
      cx.warn(e.key.span, `Divingbell ignores \`conf.${k}\`; dropped`, help);
    }
  }
}

/** Top-level keys other than `conf` and `manifests`; returns the `set deploy` lines they map to. */
export function readTopLevel(cx: Cx, root: YMap): string[] {
  const deploy: string[] = [];
  for (const e of root.entries) {
    const k = e.key.text;
    if (k === "conf" || k === "manifests") continue;
    if (k === "images" && e.value.kind === "map") {
      const image = field(e.value, "divingbell");
      const t = image && text(image.value);
      if (t) deploy.push(`set deploy all image = ${oneLineString(t)}`);
      for (const x of e.value.entries) if (x.key.text !== "divingbell" && !(x.key.text === "pull_policy" && text(x.value) === "IfNotPresent")) cx.warn(x.key.span, `\`images.${x.key.text}\` has no equivalent in dbellc; dropped`);
    } else if (k === "labels" && e.value.kind === "map") {
      for (const m of e.value.entries) {
        const mod = importerFor(m.key.text);
        if (m.value.kind !== "map" || !mod) continue;
        const key = text(field(m.value, "node_selector_key")?.value ?? { kind: "scalar", text: "kubernetes.io/os", style: "plain", span: m.key.span }) ?? "kubernetes.io/os";
        const value = text(field(m.value, "node_selector_value")?.value ?? { kind: "scalar", text: "linux", style: "plain", span: m.key.span }) ?? "linux";
        if (key !== "kubernetes.io/os" || value !== "linux") deploy.push(`set deploy ${mod.name} node_selector { ${keyText(key)} = ${oneLineString(value)} }`);
      }
    } else if (k === "pod" && e.value.kind === "map") {
      deploy.push(...readPod(cx, e.value));
    } else if (k === "network_policy" || (k === "release_uuid" && text(e.value) === "") || isNull(e.value)) {
      continue;
    } else {
      cx.warn(e.key.span, `\`${k}\` has no equivalent in dbellc; dropped`);
    }
  }
  return deploy;
}

/** `pod.lifecycle.upgrades.daemonsets.<module>.max_unavailable` and `pod.resources` (when enabled) per module. */
function readPod(cx: Cx, pod: YMap): string[] {
  const out: string[] = [];
  const path = (n: YNode | undefined, ...keys: string[]): YNode | undefined => keys.reduce<YNode | undefined>((x, key) => (x?.kind === "map" ? field(x, key)?.value : undefined), n);
  const daemonsets = path(pod, "lifecycle", "upgrades", "daemonsets");
  const resourcesOn = (() => {
    const on = path(pod, "resources", "enabled");
    return on?.kind === "scalar" && truthy(resolve(on));
  })();
  for (const mod of MODULE_IMPORTS) {
    const mu = path(daemonsets, mod.divingbell, "max_unavailable");
    const t = mu && text(mu);
    if (t !== undefined && t !== "100%") {
      if (/^([1-9][0-9]{0,8}|([1-9][0-9]?|100)%)$/.test(t)) out.push(`set deploy ${mod.name} max_unavailable = ${oneLineString(t)}`);
      else cx.warn(mu!.span, `\`max_unavailable: ${t}\` is not a number from 1 or a percentage from 1% to 100%; dropped`);
    }
    if (!resourcesOn) continue;
    for (const [r, field_] of [["cpu", "cpu_request"], ["memory", "memory_request"]] as const) {
      const v = path(pod, "resources", mod.divingbell, "requests", r);
      const t2 = v && text(v);
      if (t2) out.push(`set deploy ${mod.name} ${field_} = ${oneLineString(t2)}`);
    }
  }
  for (const x of pod.entries) {
    if (x.key.text === "lifecycle" || x.key.text === "resources") continue;
    cx.warn(x.key.span, `\`pod.${x.key.text}\` has no equivalent: pod security comes from dbellc's least-privilege defaults (docs/security.md); dropped`);
  }
  return out;
}
