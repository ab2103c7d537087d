/**
 * The values outside the modules' conf: `manifests.daemonset_<module>` becomes `disable`, and the chart settings a
 * policy has no place for (images, pod, labels, ...) are reported where they differ from the chart's defaults.
 */
import { didYouMean } from "../diagnostics/suggest.js";
import { MODULE_IMPORTS, importerFor } from "./modules/index.js";
import { isNull, type Cx } from "./reader.js";
import { goText, naiveBool, resolve, truthy } from "./yaml11.js";
import { field, kindOf, type YMap, type YNode } from "./yaml-tree.js";

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

/** Top-level keys other than `conf` and `manifests`. */
export function readTopLevel(cx: Cx, root: YMap): void {
  for (const e of root.entries) {
    const k = e.key.text;
    if (k === "conf" || k === "manifests") continue;
    if (k === "images" && e.value.kind === "map") {
      const image = field(e.value, "divingbell");
      if (image && text(image.value) !== "ubuntu:18.04") cx.warn(image.key.span, "the image is not part of a policy; dropped", "pass `--image IMAGE` to `dbellc compile`");
      for (const x of e.value.entries) if (x.key.text !== "divingbell" && !(x.key.text === "pull_policy" && text(x.value) === "IfNotPresent")) cx.warn(x.key.span, `\`images.${x.key.text}\` has no equivalent in dbellc; dropped`);
    } else if (k === "labels" && e.value.kind === "map") {
      // The default node selector is the same in dbellc; only other selectors are lost.
      for (const m of e.value.entries) {
        if (m.value.kind !== "map") continue;
        const key = field(m.value, "node_selector_key");
        const value = field(m.value, "node_selector_value");
        if ((key && text(key.value) !== "kubernetes.io/os") || (value && text(value.value) !== "linux")) cx.warn(m.key.span, `dbellc schedules every module on \`kubernetes.io/os: linux\` nodes; the node selector of \`labels.${m.key.text}\` dropped`);
      }
    } else if (k === "network_policy" || (k === "release_uuid" && text(e.value) === "") || isNull(e.value)) {
      continue;
    } else {
      const why = k === "pod" ? "pod settings (security contexts, resources, update strategy) come from dbellc's least-privilege defaults" : `\`${k}\` has no equivalent in dbellc`;
      cx.warn(e.key.span, `${why}; dropped`);
    }
  }
}
