/** mounts: file systems mounted through systemd `.mount` units in /etc/systemd/system (docs/modules/mounts.md). */
import type { MapNode, ScalarNode } from "../../ir/ir.js";
import { scalar, sortedEntries, subMap, text } from "../../ir/tree.js";
import type { HostModule } from "../module.js";
import type { DictSchema, RecordSchema, Reporter } from "../schema.js";
import { argumentValue, fsType, mountTarget, normalisePath, unitList } from "./mount-fields.js";
import { about } from "./about.js";

export interface MountSetting {
  /** The policy's name for the mount; it appears only in logs. */
  readonly name: string;
  readonly target: string;
  readonly device: string;
  readonly type: string;
  /** Empty when unset: the unit gets no `Options=` line. */
  readonly options: string;
  readonly before: string;
  readonly after: string;
}

export interface MountsSettings {
  /** Parents before children, so a mount never hides one made earlier in the same run. */
  readonly mounts: readonly MountSetting[];
}

/** Divingbell's defaults for the unit's ordering lines. */
export const DEFAULT_BEFORE = "docker.service";
export const DEFAULT_AFTER = "network-online.target";

const mount: RecordSchema = {
  kind: "Record",
  doc: "One mount: `{ target = /mnt/data  device = /dev/sdb1  type = ext4  options = \"noatime\" }`.",
  fields: {
    target: { schema: mountTarget, required: true, doc: "the mount point, an absolute path such as `/mnt/data`" },
    device: { schema: argumentValue("what to mount: a device (`/dev/sdb1`, `UUID=...`), a remote share, or `tmpfs`", "mount device"), required: true, doc: "what to mount, e.g. `/dev/sdb1` or `tmpfs`" },
    type: { schema: fsType, required: true, doc: "the file system type, e.g. `ext4` or `tmpfs`" },
    options: { schema: argumentValue("mount options, comma-separated as `mount -o` takes them; none when unset", "mount options") },
    before: { schema: unitList(`units this mount is ordered before (default \`${DEFAULT_BEFORE}\`; \`""\` for none)`, "before") },
    after: { schema: unitList(`units this mount is ordered after (default \`${DEFAULT_AFTER}\`; \`""\` for none)`, "after") },
  },
};

const schema: DictSchema = {
  kind: "Dict",
  doc: "File systems mounted by systemd: `set mounts NAME { target = ..  device = ..  type = .. }`.",
  keyDoc: "a name for the mount, used in logs and to override it per node",
  key: (key, span, r) => {
    if (key === "") r.report("DB2008", span, "mount name is empty");
    else if (/[\u0000-\u001f\u007f]/.test(key)) r.report("DB2008", span, "mount name contains a newline or control character");
  },
  value: mount,
};

/** Two mounts of one variant on the same mount point would fight over one unit file. */
function checkTargets(config: MapNode, report: Reporter): void {
  const first = new Map<string, { name: string; node: ScalarNode }>();
  for (const e of config.entries.values()) {
    if (e.value.kind !== "Map") continue;
    const t = scalar(e.value, "target");
    if (!t) continue;
    const key = normalisePath(t.text);
    const prev = first.get(key);
    if (!prev) {
      first.set(key, { name: e.key, node: t });
      continue;
    }
    report.report("DB2202", t.origin, `mounts \`${prev.name}\` and \`${e.key}\` have the same target \`${key}\``, {
      related: [{ message: `\`${prev.name}\` mounts on it here`, span: prev.node.origin }],
      help: "one mount point takes one mount; remove one of them or change its target",
    });
  }
}

function byTarget(a: MountSetting, b: MountSetting): number {
  const pa = a.target.split("/");
  const pb = b.target.split("/");
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i] !== pb[i]) return pa[i]! < pb[i]! ? -1 : 1;
  }
  return pa.length - pb.length;
}

export const mounts: HostModule<MountsSettings> = {
  name: "mounts",
  summary: "file systems mounted by systemd .mount units in /etc/systemd/system",
  schema,
  check: checkTargets,
  settings(config) {
    const list = sortedEntries(config).map((e): MountSetting => {
      const m = subMap(config, e.key)!;
      return {
        name: e.key,
        target: text(m, "target")!,
        device: text(m, "device")!,
        type: text(m, "type")!,
        options: text(m, "options") ?? "",
        before: text(m, "before") ?? DEFAULT_BEFORE,
        after: text(m, "after") ?? DEFAULT_AFTER,
      };
    });
    return { mounts: list.sort(byTarget) };
  },
  bashCalls(s) {
    return [...s.mounts.map((m) => ({ fn: "mounts_add", args: [m.name, m.target, m.device, m.type, m.options, m.before, m.after] })), { fn: "mounts_finish", args: [] }];
  },
  about,
  pod: {
    hostScript: "mounts_host.sh",
    runner: "chroot",
    // The mounting is done by the node's systemd; the script only writes unit files and talks to systemctl.
    capabilities: [],
    readOnlyRootFilesystem: true,
    // systemctl inside the chroot acts only when /proc/1 is the node's init; mounting needs no node network.
    hostNetwork: false,
    hostPID: true,
    settingsIn: "ConfigMap",
  },
};
