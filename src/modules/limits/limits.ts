/** limits: pam_limits entries, one file each in /etc/security/limits.d/60-divingbell-<name>.conf (docs/modules/limits.md). */
import type { HostModule } from "../module.js";
import { scalarOf, withValues, type DictSchema, type RecordSchema, type Reporter } from "../schema.js";
import { scalar, sortedEntries, text } from "../../ir/tree.js";
import type { MapNode, ScalarNode } from "../../ir/ir.js";
import { didYouMean } from "../../diagnostics/suggest.js";
import { about } from "./about.js";

export interface LimitsSetting {
  /** The entry name: the file is /etc/security/limits.d/60-divingbell-<name>.conf. */
  readonly name: string;
  readonly domain: string;
  readonly type: string;
  readonly item: string;
  readonly value: string;
}

export interface LimitsSettings {
  readonly entries: readonly LimitsSetting[];
}

/** The items pam_limits knows (Linux-PAM 1.5, `process_limit`); anything else it skips with a log line. */
export const LIMIT_ITEMS = [
  "as", "core", "cpu", "data", "fsize", "locks", "maxlogins", "maxsyslogins", "memlock", "msgqueue", "nice",
  "nofile", "nonewprivs", "nproc", "priority", "rss", "rtprio", "sigpending", "stack",
] as const;
export const LIMIT_TYPES = ["soft", "hard", "-"] as const;

/** Items whose value pam_limits reads as a signed niceness, clamped to -20..19, with no "unlimited". */
const NICENESS_ITEMS = new Set(["nice", "priority"]);
const NO_LIMIT = new Set(["unlimited", "infinity", "-1"]);
const U64_MAX = 18446744073709551615n;

/** File names are `60-divingbell-<name>.conf`; 255 bytes is NAME_MAX. */
const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const NAME_MAX = 255 - "60-divingbell-".length - ".conf".length;

/** A user or group name as useradd/groupadd accept it (a trailing `$` for machine accounts). */
const ACCOUNT = /^[A-Za-z_][A-Za-z0-9_.-]*\$?$/;
/** A uid/gid range `min:max`, `min:` or `:id` (pam_limits `parse_uid_range`). */
const RANGE = /^(?:[0-9]+:[0-9]*|:[0-9]+)$/;

/** Why `domain` is not a pam_limits domain, or undefined when it is one. */
export function domainProblem(domain: string): string | undefined {
  if (domain === "*" || domain === "%") return undefined;
  const sigil = domain[0] === "@" || domain[0] === "%" ? domain[0] : "";
  const rest = domain.slice(sigil.length);
  if (rest.includes(":")) {
    if (!RANGE.test(rest)) return "a uid or gid range is `MIN:MAX`, `MIN:` or `:ID` with decimal ids";
    if (sigil === "%" && !rest.startsWith(":")) return "a `%` domain takes only one gid (`%:GID`), not a range";
    const [lo, hi] = rest.split(":");
    if (lo && hi && BigInt(lo) > BigInt(hi)) return "the range's minimum is above its maximum";
    return undefined;
  }
  if (/^[0-9]+$/.test(rest)) return `a bare number is read as a user name; write \`${sigil}:${rest}\` for exactly that ${sigil ? "gid" : "uid"}`;
  if (!ACCOUNT.test(rest) || rest.length > 32) {
    return sigil ? `\`${sigil}\` must be followed by a group name` : "a domain is a user, `@group`, `%group`, `*`, `%`, or a uid range like `1000:`";
  }
  return undefined;
}

/** Why `value` is not a limit value for `item` (or, with no item, for any item), or undefined. */
export function valueProblem(value: string, item?: string): string | undefined {
  if (item === "nonewprivs") return value === "0" || value === "1" ? undefined : "`nonewprivs` takes `0` or `1`";
  if (item !== undefined && NICENESS_ITEMS.has(item)) {
    if (!/^-?[0-9]+$/.test(value)) return `\`${item}\` takes a niceness from -20 to 19`;
    const n = BigInt(value);
    return n < -20n || n > 19n ? `\`${item}\` takes a niceness from -20 to 19` : undefined;
  }
  if (NO_LIMIT.has(value)) return undefined;
  if (item === undefined && /^-(?:[0-9]|1[0-9]|20)$/.test(value)) return undefined; // a niceness; the item decides
  if (!/^[0-9]+$/.test(value)) return "a limit is a whole number, or `unlimited`, `infinity` or `-1` for no limit";
  if (BigInt(value) > U64_MAX) return "a limit must fit in 64 bits";
  return undefined;
}

function word(doc: string, words: readonly string[], what: string): ReturnType<typeof scalarOf> {
  return withValues(words, scalarOf(doc, (n, r) => {
    if (words.includes(n.text)) return;
    const help = didYouMean(n.text, words) ?? `one of ${words.map((w) => `\`${w}\``).join(", ")}`;
    r.report("DB2401", n.origin, `\`${n.text}\` is not a pam_limits ${what}`, { help });
  }));
}

const entry: RecordSchema = {
  kind: "Record",
  doc: "One pam_limits line: `<domain> <type> <item> <value>`.",
  fields: {
    domain: {
      required: true,
      doc: "who the limit applies to: a user, `@group`, `*`, `%`/`%group` (maxlogins only), or a uid range (`1000:`, `@100:200`)",
      schema: scalarOf("who the limit applies to", (n, r) => {
        const p = domainProblem(n.text);
        if (p) r.report("DB2401", n.origin, `\`${n.text}\` is not a pam_limits domain`, { help: p });
      }),
    },
    type: { required: true, doc: "`soft`, `hard`, or `-` for both", schema: word("`soft`, `hard`, or `-` for both", LIMIT_TYPES, "type") },
    item: { required: true, doc: "the resource: `nofile`, `nproc`, `memlock`, `core`, ...", schema: word("the resource", LIMIT_ITEMS, "item") },
    value: {
      required: true,
      doc: "a whole number, `unlimited`/`infinity`/`-1` for no limit, a niceness -20..19 for `nice`/`priority`",
      schema: scalarOf("the limit", (n, r) => {
        const p = valueProblem(n.text);
        if (p) r.report("DB2401", n.origin, `\`${n.text}\` is not a pam_limits value`, { help: p });
      }),
    },
  },
};

const schema: DictSchema = {
  kind: "Dict",
  doc: "pam_limits entries: `set limits NAME { domain = \"*\"  type = soft  item = nofile  value = 4096 }`.",
  keyDoc: "an entry name, used in the file name `60-divingbell-<name>.conf`",
  key: (key, span, r) => {
    if (!NAME.test(key) || key.length > NAME_MAX) {
      r.report("DB2402", span, `\`${key}\` cannot be used in a file name`, {
        help: `an entry name is up to ${NAME_MAX} letters, digits, \`_\`, \`.\` and \`-\`, not starting with \`.\` or \`-\``,
      });
    }
  },
  value: entry,
};

/** Checks that depend on two fields: the value's range depends on the item, `%` domains on the item. */
function checkEntry(e: MapNode, r: Reporter): void {
  const item = text(e, "item");
  if (item === undefined || !(LIMIT_ITEMS as readonly string[]).includes(item)) return;
  const value: ScalarNode | undefined = scalar(e, "value");
  if (value && valueProblem(value.text) === undefined) {
    const p = valueProblem(value.text, item);
    if (p) r.report("DB2401", value.origin, `\`${value.text}\` is not a valid value for \`${item}\``, { help: p });
  }
  const domain = scalar(e, "domain");
  if (domain?.text.startsWith("%") && item !== "maxlogins") {
    r.report("DB2401", domain.origin, `a \`%\` domain applies only to \`maxlogins\`, not \`${item}\``, {
      help: "pam_limits ignores this line; use `@group` to limit every member of a group",
    });
  }
}

export const limits: HostModule<LimitsSettings> = {
  name: "limits",
  summary: "pam_limits entries, one file each in /etc/security/limits.d",
  schema,
  check(config, r) {
    for (const e of config.entries.values()) if (e.value.kind === "Map") checkEntry(e.value, r);
  },
  settings(config) {
    return {
      entries: sortedEntries(config).map((e) => {
        const m = e.value as MapNode;
        return { name: e.key, domain: text(m, "domain")!, type: text(m, "type")!, item: text(m, "item")!, value: text(m, "value")! };
      }),
    };
  },
  bashCalls(s) {
    return [...s.entries.map((e) => ({ fn: "limits_apply", args: [e.name, e.domain, e.type, e.item, e.value] })), { fn: "limits_finish", args: [] }];
  },
  about,
  pod: {
    hostScript: "limits_host.sh",
    runner: "chroot",
    // Writing root's own /etc/security/limits.d needs no capability beyond SYS_CHROOT, which the chroot runner adds.
    capabilities: [],
    readOnlyRootFilesystem: true,
    hostNetwork: false,
    hostPID: false,
    settingsIn: "ConfigMap",
  },
};
