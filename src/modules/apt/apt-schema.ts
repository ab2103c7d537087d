/** The shape of `set apt ...` and the checks of its values: Debian names and versions, debconf, repositories. */
import type { Span } from "../../diagnostics/span.js";
import type { ListNode, MapNode } from "../../ir/ir.js";
import { entry, scalar, sortedEntries, subMap } from "../../ir/tree.js";
import { bool, listOf, oneOf, scalarOf, str, type RecordSchema, type Reporter, type ScalarSchema } from "../schema.js";
import { dearmorKeys } from "./apt-keys.js";

/** Debian policy §5.6.1: lower case letters, digits, `+ - .`, at least two characters, starting alphanumeric. */
export const PACKAGE_NAME = /^[a-z0-9][a-z0-9+.-]+$/;
/**
 * Why apt-get would read a well-formed package name as something else, if it would: it takes `name-` as "remove
 * name" and `name+` as "install name", and a name with `.` or `+` as a regular expression, when no package has that
 * exact name. A trailing `-` and the patterns `.+` and `..` are in no real package name, so they are errors; a
 * trailing `+` is a warning, as a few real packages end in one (`memtest86+`). The host script also refuses any name
 * that is not exactly a package of the node's apt sources.
 */
export function aptNameProblem(name: string): { severity: "error" | "warning"; message: string } | undefined {
  if (name.endsWith("-")) return { severity: "error", message: `apt-get reads \`${name}\` as "remove ${name.slice(0, -1)}"` };
  if (/\.[.+]/.test(name)) return { severity: "error", message: `apt-get reads \`${name}\` as a pattern matching other packages` };
  if (/[^+]\+$/.test(name)) return { severity: "warning", message: `apt-get reads \`${name}\` as "install ${name.slice(0, -1)}" unless a package has this exact name` };
  return undefined;
}

function reportNameProblem(name: string, span: Span, r: Reporter): void {
  const p = aptNameProblem(name);
  if (p?.severity === "error") r.report("DB2707", span, p.message, { help: "write the package's exact name; the apt module installs and purges exact names only" });
  else if (p) r.report("DB2708", span, p.message, { help: "the host script refuses the name unless the node's apt sources have a package of exactly this name" });
}

/** Divingbell's default `blacklistpkgs`, used while `apt blacklist` is not set. */
export const DEFAULT_BLACKLIST = ["telnetd", "inetutils-telnetd", "telnetd-ssl", "nis", "ntpdate"] as const;
export const DEBCONF_TYPES = ["select", "multiselect", "string", "boolean", "note", "text", "password", "title"] as const;

/** What is wrong with a Debian version (policy §5.6.12: `[epoch:]upstream[-revision]`), if anything. */
export function versionProblem(v: string): string | undefined {
  let rest = v;
  const epoch = /^([0-9]+):/.exec(v);
  if (epoch) rest = v.slice(epoch[0].length);
  else if (v.includes(":")) return "a `:` is allowed only after a numeric epoch (`1:2.3-4`)";
  const dash = rest.lastIndexOf("-");
  const upstream = dash < 0 ? rest : rest.slice(0, dash);
  const revision = dash < 0 ? undefined : rest.slice(dash + 1);
  if (!/^[0-9]/.test(upstream)) return "the upstream version must start with a digit";
  if (!/^[A-Za-z0-9.+~:-]+$/.test(upstream)) return "the upstream version may hold only letters, digits and `. + ~ -`";
  if (revision !== undefined && !/^[A-Za-z0-9.+~]+$/.test(revision)) return "the revision after the last `-` may hold only letters, digits and `. + ~`";
  return undefined;
}

const packageName = (what: string): ScalarSchema => {
  const base = str(what, { pattern: PACKAGE_NAME, code: "DB2701", what: "package name", help: "Debian package names are lower-case letters, digits and `+ - .`, e.g. `openssh-server`" });
  return scalarOf(what, (n, r) => {
    base.check(n, r);
    if (PACKAGE_NAME.test(n.text)) reportNameProblem(n.text, n.origin, r);
  });
};

const version = scalarOf("the exact version to install (`1:9.2p1-2+deb12u3`); without it, the newest available", (n, r) => {
  if (n.text === "") return r.report("DB2702", n.origin, "package version is empty", { help: "to install the newest version, write `set apt package NAME {}`" });
  const p = versionProblem(n.text);
  if (p) r.report("DB2702", n.origin, `\`${n.text}\` is not a valid Debian version: ${p}`);
});

const debconfEntry: RecordSchema = {
  kind: "Record",
  doc: "one debconf answer",
  fields: {
    type: { schema: oneOf("the question's type", DEBCONF_TYPES), required: true, doc: `one of ${DEBCONF_TYPES.join(", ")}` },
    answer: { schema: str("the answer, one line", { allowEmpty: true, code: "DB2703", what: "debconf answer" }), required: true, doc: 'the answer: `answer = "false"`' },
  },
};

const packageEntry: RecordSchema = {
  kind: "Record",
  doc: "a package to install",
  shorthand: "version",
  fields: {
    version: { schema: version },
    debconf: {
      schema: {
        kind: "Dict",
        doc: "debconf answers set before the package is installed",
        keyDoc: "a debconf question (`openssh-server/permit-root-login`)",
        key: (key, span, r) => {
          if (!/^[^\s/]+\/\S+$/.test(key) || /[\u0000-\u001f\u007f]/.test(key)) {
            r.report("DB2703", span, `\`${key}\` is not a debconf question name`, { help: "questions are `owner/name` without spaces, e.g. `tzdata/Areas`" });
          }
        },
        value: debconfEntry,
      },
    },
  },
};

const word = (doc: string, pattern: RegExp, what: string, help?: string): ScalarSchema => str(doc, { pattern, code: "DB2704", what, ...(help ? { help } : {}) });

const repository: RecordSchema = {
  kind: "Record",
  doc: "an apt repository",
  fields: {
    url: { schema: word("the archive's URL with its scheme", /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/, "repository url", "write the URL with its scheme, e.g. `http://deb.debian.org/debian`"), required: true, doc: "`url = http://deb.debian.org/debian`" },
    distributions: { schema: listOf("suites", word("a suite", /^[A-Za-z0-9._~+/-]+$/, "distribution")), required: true, doc: "`distributions = [bookworm]`" },
    components: { schema: listOf("components", word("a component", /^[A-Za-z0-9._~+/-]+$/, "component")), required: true, doc: "`components = [main]`" },
    subrepos: { schema: listOf("suffixes giving more suites (`updates` → `bookworm-updates`)", word("a suffix", /^[A-Za-z0-9._~+-]+$/, "subrepo")) },
    gpgkey: {
      schema: scalarOf("the repository's ASCII-armored public key", (n, r) => {
        const k = dearmorKeys(n.text);
        if (!k.ok) r.report("DB2704", n.origin, `repository gpgkey is not an ASCII-armored public key: ${k.problem}`);
      }),
    },
  },
};

export const aptSchema: RecordSchema = {
  kind: "Record",
  doc: "Packages, debconf answers, upgrades, strict mode, white/blacklists and repositories.",
  fields: {
    package: {
      schema: {
        kind: "Dict",
        doc: "packages to install",
        keyDoc: "a Debian package name",
        key: (key, span, r) => {
          if (!PACKAGE_NAME.test(key)) r.report("DB2701", span, `\`${key}\` is not a valid Debian package name`, { help: "Debian package names are lower-case letters, digits and `+ - .`, e.g. `openssh-server`" });
          else reportNameProblem(key, span, r);
        },
        value: packageEntry,
      },
    },
    strict: { schema: bool("purge every package the policy does not list (default false)") },
    upgrade: { schema: bool("run `apt-get dist-upgrade` after installing (default false)") },
    allow_downgrade: { schema: bool("allow installing a pinned version older than the installed one (default false)") },
    whitelist: { schema: listOf("packages never purged", packageName("package name")) },
    blacklist: { schema: listOf(`packages always purged (default: ${DEFAULT_BLACKLIST.join(", ")})`, packageName("package name")) },
    repository: {
      schema: {
        kind: "Dict",
        doc: "the repositories that replace the node's apt sources",
        keyDoc: "a name for the repository",
        key: (key, span, r) => {
          if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(key)) r.report("DB2704", span, `\`${key}\` is not a repository name`, { help: "name repositories with letters, digits and `. _ -`" });
        },
        value: repository,
      },
    },
  },
};

function listItems(config: MapNode, key: string): { text: string; origin: Span }[] | undefined {
  const n = entry(config, key);
  return n?.kind === "List" ? n.items.map((i) => ({ text: i.text, origin: i.origin })) : undefined;
}

/** Checks across fields: strict mode, names in two lists at once, boolean answers, empty repository lists. */
export function checkApt(config: MapNode, r: Reporter): void {
  const strict = scalar(config, "strict");
  if (strict?.text === "true") {
    r.report("DB2705", strict.origin, "apt strict mode purges every installed package the policy does not list", {
      help: "essential and required packages, and packages they or listed ones need, are kept; list everything else the node needs, or add it to `whitelist`",
    });
  }
  const written = listItems(config, "blacklist");
  const blacklist = written ?? DEFAULT_BLACKLIST.map((text) => ({ text, origin: undefined }));
  const blacklisted = new Map(blacklist.map((b) => [b.text, b.origin] as const));
  const conflict = (name: string, span: Span, what: string): void => {
    if (!blacklisted.has(name)) return;
    const at = blacklisted.get(name);
    r.report("DB2706", span, `\`${name}\` is ${what} and also blacklisted`, at ? { related: [{ message: "blacklisted here", span: at }] } : { help: `\`${name}\` is in the default blacklist; set \`apt blacklist\` to a list without it` });
  };
  const packages = subMap(config, "package");
  for (const p of packages ? sortedEntries(packages) : []) {
    conflict(p.key, p.keyOrigin, "requested");
    const debconf = p.value.kind === "Map" ? subMap(p.value, "debconf") : undefined;
    for (const q of debconf ? sortedEntries(debconf) : []) {
      if (q.value.kind !== "Map" || scalar(q.value, "type")?.text !== "boolean") continue;
      const answer = scalar(q.value, "answer");
      if (answer && answer.text !== "true" && answer.text !== "false") r.report("DB2703", answer.origin, `a boolean debconf answer must be \`true\` or \`false\`, found \`${answer.text}\``);
    }
  }
  for (const w of listItems(config, "whitelist") ?? []) conflict(w.text, w.origin, "whitelisted");
  const repos = subMap(config, "repository");
  for (const repo of repos ? sortedEntries(repos) : []) {
    if (repo.value.kind !== "Map") continue;
    for (const field of ["distributions", "components"]) {
      const n = entry(repo.value, field);
      if (n?.kind === "List" && (n as ListNode).items.length === 0) r.report("DB2704", n.origin, `repository \`${repo.key}\` has no ${field}`);
    }
  }
}
