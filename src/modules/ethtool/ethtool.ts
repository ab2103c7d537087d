/**
 * ethtool: NIC offload features set with `ethtool -K` and persisted as systemd units (docs/modules/ethtool.md). A feature may be
 * written as `ethtool -K` takes it (`tso`, `gro`, as Divingbell's values files do) or as `ethtool -k` prints it; the
 * node only ever sees the printed name, which its state and revert read back.
 */
import { didYouMean } from "../../diagnostics/suggest.js";
import { sortedEntries } from "../../ir/tree.js";
import type { HostModule } from "../module.js";
import type { MapNode } from "../../ir/ir.js";
import { scalarOf, type DictSchema, type KeyCheck, type Reporter } from "../schema.js";
import { KNOWN_FEATURES, OTHER_NAMES } from "./ethtool-features.js";
import { about } from "./about.js";

export interface EthtoolSetting {
  readonly device: string;
  /** As `ethtool -k` prints it (`tx-tcp-segmentation`; `tso` becomes `tcp-segmentation-offload`). */
  readonly feature: string;
  readonly value: "on" | "off";
}

export interface EthtoolSettings {
  /** Sorted by device, then feature. */
  readonly features: readonly EthtoolSetting[];
}

/** Linux's IFNAMSIZ is 16 bytes with the terminating NUL. */
const IFNAME_MAX = 15;

/** What can go unquoted into `ExecStart=` (no `$`, `%`, `\`, quotes or `;`), as Divingbell writes the line. */
const IFNAME_WRITABLE = /^[A-Za-z0-9_.@+-]+$/;

/** The kernel's dev_valid_name: 1-15 bytes, not `.` or `..`, no `/`, `:` or whitespace. */
const checkInterface: KeyCheck = (key, span, r) => {
  if (key === "") return r.report("DB2008", span, "interface name is empty");
  const why =
    new TextEncoder().encode(key).length > IFNAME_MAX
      ? `is longer than ${IFNAME_MAX} bytes`
      : key === "." || key === ".."
        ? "is not allowed"
        : key.startsWith("-")
          ? "starts with `-`, which ethtool and ip would read as an option"
        : /[/:\s\u0000-\u001f\u007f]/.test(key)
          ? "contains `/`, `:`, whitespace or a control character"
          : !IFNAME_WRITABLE.test(key)
            ? "has a character systemd would interpret in the unit's `ExecStart=` line (only letters, digits, `.`, `-`, `_`, `@` and `+`)"
            : undefined;
  if (why) r.report("DB2302", span, `interface name \`${key}\` ${why}`, { help: "write the name `ip link` shows, such as `ens3` or `bond0.100`" });
};

/** Feature names are lower-case words with `-` and `_` (`tx-udp_tnl-segmentation`). */
const FEATURE = /^[a-z0-9][a-z0-9_-]*$/;

/** The name `ethtool -k` prints for a feature written either way. */
export function printedName(feature: string): string {
  return OTHER_NAMES.get(feature) ?? feature;
}

const checkFeature: KeyCheck = (key, span, r) => {
  if (OTHER_NAMES.has(key)) return;
  if (!FEATURE.test(key)) {
    return r.report("DB2302", span, `\`${key}\` is not a valid ethtool feature name`, { help: "write the feature as `ethtool -k` prints it, such as `tx-tcp-segmentation`" });
  }
  if (!KNOWN_FEATURES.includes(key)) {
    const help = didYouMean(key, KNOWN_FEATURES) ?? "check the name against `ethtool -k DEVICE` on the node";
    r.report("DB2303", span, `\`${key}\` is not a feature \`ethtool -k\` is known to print`, { help });
  }
};

/** Words people write for on/off elsewhere (Divingbell took YAML's true/false), with what to write here. */
const MEANS: Readonly<Record<string, "on" | "off">> = { true: "on", false: "off", yes: "on", no: "off", "1": "on", "0": "off", enabled: "on", disabled: "off" };

const featureValue = scalarOf("`on` or `off`", (n, r) => {
  if (n.text === "on" || n.text === "off") return;
  const means = MEANS[n.text.toLowerCase()];
  const help = means ? `ethtool takes \`on\` or \`off\`; write \`${means}\`` : didYouMean(n.text, ["on", "off"]);
  r.report("DB2301", n.origin, `expected \`on\` or \`off\`, found \`${n.text}\``, help ? { help } : {});
});

/** One feature of one interface written twice, under its short and its printed name (`tso` and `tcp-segmentation-offload`). */
function checkSameFeature(config: MapNode, r: Reporter): void {
  for (const dev of sortedEntries(config)) {
    if (dev.value.kind !== "Map") continue;
    const seen = new Map<string, { key: string; span: Parameters<Reporter["report"]>[1] }>();
    for (const f of dev.value.entries.values()) {
      const name = printedName(f.key);
      const first = seen.get(name);
      if (!first) {
        seen.set(name, { key: f.key, span: f.keyOrigin });
        continue;
      }
      r.report("DB2304", f.keyOrigin, `\`${f.key}\` and \`${first.key}\` are the same feature of \`${dev.key}\` (\`${name}\`)`, {
        related: [{ message: "also set here", span: first.span }],
        help: "set it once",
      });
    }
  }
}

const schema: DictSchema = {
  kind: "Dict",
  doc: "NIC offload features: `set ethtool IFACE FEATURE = on|off` or `set ethtool IFACE { FEATURE = on ... }`.",
  keyDoc: "a network interface, as `ip link` shows it",
  key: checkInterface,
  value: { kind: "Dict", doc: "the interface's features", keyDoc: "a feature name as `ethtool -k` prints it", key: checkFeature, value: featureValue },
};

export const ethtool: HostModule<EthtoolSettings> = {
  name: "ethtool",
  summary: "NIC offload features set with ethtool -K and persisted as systemd units",
  schema,
  check: checkSameFeature,
  settings(config) {
    const features: EthtoolSetting[] = [];
    for (const dev of sortedEntries(config)) {
      if (dev.value.kind !== "Map") continue;
      for (const f of sortedEntries(dev.value)) {
        if (f.value.kind === "Scalar") features.push({ device: dev.key, feature: printedName(f.key), value: f.value.text === "on" ? "on" : "off" });
      }
    }
    // Sorted by the printed names the node sees, whichever spelling the policy used.
    const order = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
    features.sort((a, b) => order(a.device, b.device) || order(a.feature, b.feature));
    return { features };
  },
  bashCalls(s) {
    return [...s.features.map((f) => ({ fn: "ethtool_add", args: [f.device, f.feature, f.value] })), { fn: "ethtool_finish", args: [] }];
  },
  about,
  pod: {
    hostScript: "ethtool_host.sh",
    runner: "chroot",
    capabilities: ["NET_ADMIN"],
    readOnlyRootFilesystem: true,
    // The NICs live in the node's network namespace; the persisting unit is managed through systemctl.
    hostNetwork: true,
    hostPID: true,
    settingsIn: "ConfigMap",
  },
};
