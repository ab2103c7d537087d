/** ethtool: NIC offload features set with `ethtool -K` and persisted as systemd units (spec §5.3). */
import { didYouMean } from "../../diagnostics/suggest.js";
import { sortedEntries } from "../../ir/tree.js";
import type { HostModule } from "../module.js";
import { scalarOf, type DictSchema, type KeyCheck } from "../schema.js";
import { KNOWN_FEATURES, OTHER_NAMES } from "./ethtool-features.js";

export interface EthtoolSetting {
  readonly device: string;
  /** As `ethtool -k` prints it (`tx-tcp-segmentation`). */
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
        : /[/:\s\u0000-\u001f\u007f]/.test(key)
          ? "contains `/`, `:`, whitespace or a control character"
          : !IFNAME_WRITABLE.test(key)
            ? "has a character systemd would interpret in the unit's `ExecStart=` line (only letters, digits, `.`, `-`, `_`, `@` and `+`)"
            : undefined;
  if (why) r.report("DB2302", span, `interface name \`${key}\` ${why}`, { help: "write the name `ip link` shows, such as `ens3` or `bond0.100`" });
};

/** Feature names are lower-case words with `-` and `_` (`tx-udp_tnl-segmentation`). */
const FEATURE = /^[a-z0-9][a-z0-9_-]*$/;

const checkFeature: KeyCheck = (key, span, r) => {
  const printed = OTHER_NAMES.get(key);
  if (printed) {
    return r.report("DB2302", span, `\`${key}\` is not a name \`ethtool -k\` prints`, { help: `\`ethtool -k\` calls this feature \`${printed}\`; write that` });
  }
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
  settings(config) {
    const features: EthtoolSetting[] = [];
    for (const dev of sortedEntries(config)) {
      if (dev.value.kind !== "Map") continue;
      for (const f of sortedEntries(dev.value)) {
        if (f.value.kind === "Scalar") features.push({ device: dev.key, feature: f.key, value: f.value.text === "on" ? "on" : "off" });
      }
    }
    return { features };
  },
  bashCalls(s) {
    return [...s.features.map((f) => ({ fn: "ethtool_add", args: [f.device, f.feature, f.value] })), { fn: "ethtool_finish", args: [] }];
  },
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
