/** apt: packages, debconf answers, upgrades, strict mode, white/blacklists and repositories (docs/modules/apt.md). */
import type { MapNode } from "../../ir/ir.js";
import { list, sortedEntries, subMap, text } from "../../ir/tree.js";
import type { HostModule, ShellCall } from "../module.js";
import { dearmorKeys } from "./apt-keys.js";
import { aptSchema, checkApt, DEFAULT_BLACKLIST } from "./apt-schema.js";
import { about } from "./about.js";

export interface DebconfAnswer {
  readonly question: string;
  readonly type: string;
  readonly answer: string;
}

export interface AptPackage {
  readonly name: string;
  /** The exact version to install, or "" for the newest available. */
  readonly version: string;
  readonly debconf: readonly DebconfAnswer[];
}

export interface AptSettings {
  /** Sorted by name. */
  readonly packages: readonly AptPackage[];
  readonly strict: boolean;
  readonly upgrade: boolean;
  readonly allowDowngrade: boolean;
  /** Sorted, without repeats. */
  readonly whitelist: readonly string[];
  readonly blacklist: readonly string[];
  /** The whole /etc/apt/sources.list for the policy's repositories; "" when it names none. */
  readonly sources: string;
  /** Base64 of the binary keyring made of every repository key, in repository order; "" for none. */
  readonly keyring: string;
}

/** The first line Divingbell writes; a list that starts with it was written by Divingbell or dbellc. */
export const SOURCES_HEADER = "#The list of repositories managed by Divingbell";

const sortedUnique = (xs: readonly string[]): string[] => [...new Set(xs)].sort();

/** Divingbell's sources.list: per repository (by name), per distribution, `deb URL DIST COMPONENTS`, then each subrepo. */
export function sourcesList(repos: MapNode | undefined): string {
  if (!repos || repos.entries.size === 0) return "";
  const lines = [SOURCES_HEADER, "# Written by dbellc; the node's own sources are kept in /var/divingbell/apt/sources-backup."];
  for (const { value } of sortedEntries(repos)) {
    if (value.kind !== "Map") continue;
    const url = text(value, "url") ?? "";
    const components = (list(value, "components") ?? []).join(" ");
    for (const dist of list(value, "distributions") ?? []) {
      lines.push(`deb ${url} ${dist} ${components}`);
      for (const sub of list(value, "subrepos") ?? []) lines.push(`deb ${url} ${dist}-${sub} ${components}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

function keyring(repos: MapNode | undefined): string {
  const parts: Buffer[] = [];
  for (const { value } of repos ? sortedEntries(repos) : []) {
    const armored = value.kind === "Map" ? text(value, "gpgkey") : undefined;
    const k = armored === undefined ? undefined : dearmorKeys(armored);
    if (k?.ok) parts.push(k.bytes);
  }
  return parts.length ? Buffer.concat(parts).toString("base64") : "";
}

function aptPackage(name: string, e: MapNode): AptPackage {
  const debconf = subMap(e, "debconf");
  return {
    name,
    version: text(e, "version") ?? "",
    debconf: debconf
      ? sortedEntries(debconf).map((q) => ({ question: q.key, type: q.value.kind === "Map" ? (text(q.value, "type") ?? "") : "", answer: q.value.kind === "Map" ? (text(q.value, "answer") ?? "") : "" }))
      : [],
  };
}

export const apt: HostModule<AptSettings> = {
  name: "apt",
  summary: "packages with versions and debconf answers, upgrades, strict mode, white/blacklists, repositories",
  schema: aptSchema,
  check: checkApt,
  settings(config) {
    const packages = subMap(config, "package");
    const repos = subMap(config, "repository");
    return {
      packages: packages ? sortedEntries(packages).filter((e) => e.value.kind === "Map").map((e) => aptPackage(e.key, e.value as MapNode)) : [],
      strict: text(config, "strict") === "true",
      upgrade: text(config, "upgrade") === "true",
      allowDowngrade: text(config, "allow_downgrade") === "true",
      whitelist: sortedUnique(list(config, "whitelist") ?? []),
      blacklist: sortedUnique(list(config, "blacklist") ?? DEFAULT_BLACKLIST),
      sources: sourcesList(repos),
      keyring: keyring(repos),
    };
  },
  bashCalls(s) {
    const calls: ShellCall[] = [
      { fn: "apt_begin", args: [`strict=${s.strict}`, `upgrade=${s.upgrade}`, `allow_downgrade=${s.allowDowngrade}`] },
      { fn: "apt_repositories", args: [s.sources, s.keyring] },
    ];
    for (const p of s.packages) for (const d of p.debconf) calls.push({ fn: "apt_debconf", args: [p.name, d.question, d.type, d.answer] });
    for (const p of s.packages) calls.push({ fn: "apt_package", args: [p.name, p.version] });
    if (s.whitelist.length) calls.push({ fn: "apt_whitelist", args: s.whitelist });
    if (s.blacklist.length) calls.push({ fn: "apt_blacklist", args: s.blacklist });
    calls.push({ fn: "apt_apply", args: [] });
    return calls;
  },
  about,
  pod: {
    hostScript: "apt.sh",
    runner: "chroot",
    capabilities: [],
    // dpkg maintainer scripts do anything a package needs (mknod, mount, sysctl, module loading); Divingbell made this
    // pod privileged in 2019 (ab6db0f) after installs failed without it.
    privileged: { reason: "package maintainer scripts need the full set of root capabilities on the host" },
    readOnlyRootFilesystem: true,
    // Downloads use the node's network and resolver; maintainer scripts restart services through systemctl.
    hostNetwork: true,
    hostPID: true,
    settingsIn: "Secret",
  },
};
