/** apparmor: AppArmor profiles kept in /var/divingbell/apparmor, linked into /etc/apparmor.d and loaded (docs/modules/apparmor.md). */
import type { ScalarNode } from "../../ir/ir.js";
import { sortedEntries, subMap, text } from "../../ir/tree.js";
import type { HostModule } from "../module.js";
import { bool, scalarOf, type DictSchema, type RecordSchema } from "../schema.js";
import { about } from "./about.js";

export interface ApparmorProfile {
  /** The file name in /var/divingbell/apparmor and /etc/apparmor.d. */
  readonly name: string;
  readonly text: string;
}

export interface ApparmorSettings {
  /** Sorted by name. */
  readonly profiles: readonly ApparmorProfile[];
  readonly complainMode: boolean;
}

/** Names AppArmor keeps for itself in /etc/apparmor.d: a link there would replace or hide them. */
const RESERVED = ["abi", "abstractions", "apache2.d", "cache", "disable", "force-complain", "local", "tunables", "README"];
/** Endings the AppArmor boot loader skips (rc.apparmor.functions): such a profile would not load after a reboot. */
const SKIPPED_ENDINGS = /(\.(dpkg-(new|old|dist|bak|remove)|pacsave|pacnew|rpmnew|rpmsave|orig|rej)|~)$/;

const profiles: DictSchema = {
  kind: "Dict",
  doc: "Profiles by file name: `set apparmor profile NAME = \"\"\"...\"\"\"`.",
  keyDoc: "a plain file name (no `/`, not starting with `.`)",
  key: (key, span, r) => {
    if (key === "" || key.includes("/") || key.startsWith(".") || /[\u0000-\u001f\u007f]/.test(key)) {
      r.report("DB2901", span, `\`${key}\` is not a plain file name for an AppArmor profile`, { help: "name the profile's file: no `/`, no leading `.`, no control characters (e.g. `usr.bin.ping`)" });
    } else if (RESERVED.includes(key)) {
      r.report("DB2902", span, `\`${key}\` is a name AppArmor itself uses in /etc/apparmor.d`, { help: "choose another file name for the profile" });
    } else if (SKIPPED_ENDINGS.test(key)) {
      r.report("DB2902", span, `AppArmor skips files named like \`${key}\` when it loads profiles at boot`, { help: "choose a name without a backup or package-manager ending" });
    }
  },
  value: scalarOf("the profile text", (n, r) => {
    if (n.text.trim() === "") r.report("DB2901", n.origin, "AppArmor profile text is empty", { help: "to stop managing the profile, use `unset apparmor profile NAME`" });
    else if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(n.text)) r.report("DB2008", n.origin, "AppArmor profile text contains a control character");
  }),
};

const schema: RecordSchema = {
  kind: "Record",
  doc: "AppArmor profiles: `set apparmor profile NAME = \"\"\"...\"\"\"`, `set apparmor complain_mode = true`.",
  fields: {
    profile: { schema: profiles, doc: "profile texts by file name" },
    complain_mode: { schema: bool("load every profile in complain mode"), doc: "`true` loads all profiles in complain mode (`apparmor_parser -C`); default `false`" },
  },
};

/**
 * The top-level profile names a text declares (`profile NAME ... {` or an attachment path opening a block), for the
 * collision warning. Child profiles and hats (inside braces) are not names in the kernel's global namespace.
 */
export function declaredProfiles(profileText: string): string[] {
  const out: string[] = [];
  let depth = 0;
  for (const line of profileText.split("\n")) {
    const code = line.trim();
    if (code.startsWith("#")) continue;
    if (depth === 0) {
      const m = /^(?:profile\s+("[^"]+"|[^\s{]+)|(\/[^\s{]*|"\/[^"]+"))(?:\s[^{]*)?\{/.exec(code);
      if (m) out.push((m[1] ?? m[2]!).replace(/^"|"$/g, ""));
    }
    for (const c of code) depth += c === "{" ? 1 : c === "}" ? -1 : 0;
    depth = Math.max(depth, 0);
  }
  return out;
}

export const apparmor: HostModule<ApparmorSettings> = {
  name: "apparmor",
  summary: "AppArmor profiles, loaded in enforce or complain mode",
  schema,
  check(config, report) {
    const list = subMap(config, "profile");
    if (!list) return;
    // Two files declaring one profile name replace each other in the kernel: whichever loads last wins.
    const seen = new Map<string, { file: string; node: ScalarNode }>();
    for (const e of sortedEntries(list)) {
      if (e.value.kind !== "Scalar") continue;
      for (const name of declaredProfiles(e.value.text)) {
        const first = seen.get(name);
        if (!first) seen.set(name, { file: e.key, node: e.value });
        else if (first.file !== e.key) {
          report.report("DB2903", e.value.origin, `AppArmor profile \`${name}\` is declared in both \`${first.file}\` and \`${e.key}\``, {
            related: [{ message: `\`${first.file}\` declares it here`, span: first.node.origin }],
            help: "the kernel keeps one profile per name; the file loaded last replaces the other",
          });
        }
      }
    }
  },
  settings(config) {
    const list = subMap(config, "profile");
    return {
      profiles: (list ? sortedEntries(list) : []).map((e) => ({ name: e.key, text: e.value.kind === "Scalar" ? e.value.text : "" })),
      complainMode: text(config, "complain_mode") === "true",
    };
  },
  bashCalls(s) {
    // Every profile is compile-checked and saved before anything is unloaded or loaded.
    return [
      ...s.profiles.map((p) => ({ fn: "apparmor_install", args: [p.name, p.text] })),
      { fn: "apparmor_finish", args: [s.complainMode ? "complain" : "enforce", ...s.profiles.map((p) => p.name)] },
    ];
  },
  about,
  pod: {
    hostScript: "apparmor_host.sh",
    runner: "chroot",
    capabilities: ["MAC_ADMIN"],
    appArmorUnconfined: { reason: "loading profiles writes /sys/kernel/security/apparmor, which the runtime's default profile denies" },
    readOnlyRootFilesystem: true,
    hostNetwork: false,
    hostPID: false,
    settingsIn: "ConfigMap",
  },
};
