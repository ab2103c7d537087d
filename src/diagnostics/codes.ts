/**
 * The catalog of diagnostic codes. A code never changes meaning; retired codes stay reserved.
 * Bands: DB1xxx syntax, DB2xxx values, DB3xxx overlapping targets, DB4xxx import, DB5xxx output, DB6xxx plan,
 * DB9xxx internal.
 * Each entry's `doc` starts "Reported when" and is published in docs/diagnostics.md.
 */

export interface CodeInfo {
  readonly severity: "error" | "warning";
  readonly doc: string;
}

function e(doc: string): CodeInfo {
  return { severity: "error", doc };
}
function w(doc: string): CodeInfo {
  return { severity: "warning", doc };
}

export const CODES = {
  // --- DB1xxx: syntax -------------------------------------------------------------------------------
  DB1001: e("Reported when a character cannot start any token (for example a stray `$` outside a string)."),
  DB1002: e("Reported when a quoted string is not closed before the end of its line (or a `\"\"\"` string before the end of the file)."),
  DB1003: e("Reported when a string contains an unknown escape sequence such as `\\q`."),
  DB1004: e("Reported when the parser expected one thing and found another, for example a missing `=` or `}`."),
  DB1005: e("Reported when a statement starts with a word that is not `set`, `unset`, `on` or `disable`."),
  DB1006: e("Reported when `on` is followed by something other than `label` or `host`."),
  DB1007: e("Reported when an `on` target is nested inside another target's block."),
  DB1008: e("Reported when a multi-line `\"\"\"` string has text on its opening line or a line indented less than its closing delimiter."),
  DB1009: e("Reported when the same field appears twice in one `{ ... }` block."),
  DB1901: w("Reported when a `# allow` comment is malformed: it names an unknown code or an error code (only warnings can be acknowledged), or gives no reason after `:`."),
  DB1902: w("Reported when a `# allow` comment acknowledges nothing: no warning of its codes is reported in the statement it belongs to."),
  DB1010: e("Reported when blocks or lists are nested more than 32 levels deep; what is nested deeper is not read."),
  DB1011: e("Reported when a file holds bytes that are not UTF-8 (read as U+FFFD) or an unpaired UTF-16 surrogate, at their place."),
  DB1012: e("Reported when a file has more than 90 syntax errors: parsing stops there, and the file's statements are not read."),

  // --- DB2xxx: values and structure -----------------------------------------------------------------
  DB2001: e("Reported when a statement names a module that does not exist (`sysctll`)."),
  DB2002: e("Reported when a block names a field the module does not have (`mnt_target` in a mount)."),
  DB2003: e("Reported when a required field is missing from a structured setting, after defaults and overrides are merged."),
  DB2004: e("Reported when a value has the wrong shape: a list where one value is expected, a block where a value is expected, or the reverse."),
  DB2005: e("Reported when a value is not one of the words the field accepts (`rerun_policy = sometimes`)."),
  DB2006: e("Reported when a field expects a whole number and gets something else, or one out of range."),
  DB2007: e("Reported when a field expects a boolean (`true`/`false`) and gets something else."),
  DB2008: e("Reported when a key or value is empty, or has a newline or other control character where none is allowed."),
  DB2009: e("Reported when the same key is set twice in one rule (blocks naming the same target are one rule)."),
  DB2010: e("Reported when `unset` is used outside an `on` target (the defaults have nothing to inherit from)."),
  DB2011: e("Reported when a setting path has too many or too few keys for its module (`set sysctl a b = 1`)."),
  DB2012: e("Reported when a module is turned off with `disable` and also given settings, or turned off twice."),
  DB2013: e("Reported when `disable` is used inside an `on` target (a module is on or off for the whole fleet)."),
  DB2014: e("Reported when a host name or label key or value is not valid for Kubernetes."),
  DB2015: e("Reported when `set deploy` or `unset deploy` is used inside an `on` target (a module's pods are deployed the same way on every node)."),
  DB2016: w("Reported when a policy sets nothing: every enabled module's script then reverts what earlier runs applied (sysctls restored, mounts removed, packages purged, users expired)."),

  DB2101: e("Reported when a sysctl key is not a valid tunable name (dotted or slashed path of `[A-Za-z0-9_-]` parts)."),
  DB2102: e("Reported when a sysctl value is empty or contains characters the kernel interface cannot take (newline, `=`)."),
  DB2103: e("Reported when a sysctl that takes only whole numbers (per the catalogue of a real kernel's /proc/sys) is given something else (`vm.nr_hugepages = lots`)."),
  DB2104: w("Reported when a sysctl name is not in the catalogue of a real kernel's /proc/sys: a misspelling (`vm.swapiness`), or a name a kernel module or a newer kernel adds."),

  DB2201: e("Reported when a mount target is not an absolute path, or is `/`."),
  DB2202: e("Reported when two mounts of one variant have the same target."),
  DB2203: e("Reported when a mount device, type, option, or unit name contains a character that would break the systemd unit file."),
  DB2204: e("Reported when a mount target is not written normalised (`//`, `/./`, `/../` or a trailing `/`), or is too long for a systemd unit name."),
  DB2205: e("Reported when a mount target would hide what the node or dbellc needs: `/proc`, `/sys`, `/dev`, or `/etc/systemd/system` or `/var/divingbell` and below."),
  DB2206: w("Reported when a mount target is a parent of `/etc/systemd/system` or `/var/divingbell` (`/etc`, `/var`), which the mount hides unless the mounted file system holds them too."),
  DB2207: e("Reported when a mount device or options start with `-`, which `mount` would read as an option."),

  DB2301: e("Reported when an ethtool feature value is not `on` or `off`."),
  DB2302: e("Reported when an ethtool interface or feature name is not a valid name."),
  DB2303: w("Reported when an ethtool feature name is well formed but not one `ethtool -k` is known to print (a misspelling, or a feature of a newer kernel)."),
  DB2304: e("Reported when one ethtool feature of an interface is set under two names, such as `tso` and `tcp-segmentation-offload`."),

  DB2401: e("Reported when a limits domain, type, item or value is not valid for pam_limits."),
  DB2402: e("Reported when a limits entry name is not usable as a file name."),

  DB2501: e("Reported when a perm mode is not an octal mode (`0640`, `755`) or a symbolic chmod mode."),
  DB2502: e("Reported when a perm owner or group is not a valid user or group name or numeric id."),
  DB2503: e("Reported when a perm path is not absolute."),
  DB2504: e("Reported when an interval is below 60 seconds or above 2147483647, or a finite interval is combined with a rerun policy that never reruns."),
  DB2505: e("Reported when a perm path is one root must not change: `/`, a top-level glob such as `/*`, anything under `/proc`, `/sys` or `/var/divingbell`, or a path with a `.` or `..` part."),

  DB2601: e("Reported when an exec script name is not a plain file name."),
  DB2602: e("Reported when an exec environment variable name is not a valid shell identifier."),
  DB2603: e("Reported when an exec timeout is not a positive whole number of seconds."),
  DB2604: e("Reported when an exec script's text is empty (or only blank) or contains a NUL character."),
  DB2605: e("Reported when an exec rerun or retry option cannot take effect: a rerun option without `rerun_policy = always`, a retry option with `rerun_policy = never`, or an `*_interval_persist` without a finite interval."),
  DB2606: e("Reported when an exec script name is one exec uses for its own files: 64 hexadecimal digits (a run record) or a name ending in `.dbell-tmp`."),

  DB2701: e("Reported when an apt package name is not a valid Debian package name."),
  DB2702: e("Reported when an apt package version is not a valid Debian version."),
  DB2703: e("Reported when a debconf entry is not valid (question, type, or answer)."),
  DB2704: e("Reported when an apt repository is not valid (url, distributions, components, or key)."),
  DB2705: w("Reported when apt strict mode is on: every installed package that the policy does not list will be purged."),
  DB2706: e("Reported when an apt package is both requested and blacklisted, or both whitelisted and blacklisted."),
  DB2707: e("Reported when an apt package name is one apt-get would read as something else: a trailing `-` (remove) or a pattern such as `lib.+`."),
  DB2708: w("Reported when an apt package name ends in one `+`, which apt-get reads as \"install\" the name without it unless a package has this exact name."),

  DB2801: e("Reported when a user name is not a valid local user name."),
  DB2802: e("Reported when a password is not a crypt hash of a supported scheme (`$1$`, `$5$`, `$6$`, `$2a$`/`$2b$`/`$2y$`, `$y$`) or `*`/`!`."),
  DB2803: e("Reported when an ssh key is not a valid authorized_keys line."),
  DB2804: e("Reported when `Unmanaged` is mixed with real keys in `ssh_keys`."),

  DB2901: e("Reported when an AppArmor profile name is not a plain file name or its text is empty."),
  DB2902: e("Reported when an AppArmor profile name is one AppArmor uses itself in /etc/apparmor.d (`abstractions`, `local`, ...) or one its boot loader skips (`*.dpkg-new`, `*~`, ...)."),
  DB2903: w("Reported when two AppArmor profile files declare the same profile name, so one replaces the other in the kernel."),

  // --- DB3xxx: overlapping targets ------------------------------------------------------------------
  DB3001: e("Reported when a label rule can never apply because a later label rule of the same module matches every node it matches."),
  DB3002: w("Reported when two label rules of one module can match the same node; the later one wins for that module."),
  DB3003: w("Reported when a host rule names a module that label rules also configure: that host loses those label settings."),
  DB3004: w("Reported when a rule has no effect: it is empty, or every setting in it equals what the node would get anyway."),
  DB3005: e("Reported when a label selector has no values (`in []`), so it matches no node."),
  DB3006: w("Reported when `unset` removes a key that the defaults do not set."),
  DB3007: e("Reported when one module is configured by both layered (`layer on`) and non-layered rules."),
  DB3008: w("Reported when a layered rule is fully overridden: wherever it applies, a later layer sets every key it sets."),
  DB3009: w("Reported when two layered rules set the same key to different values and some node can match both; the later layer wins there."),
  DB3010: e("Reported when a module's layered rules would need more node-selector terms than the limit (docs/language.md), because too many of them can combine on one node."),

  // --- DB4xxx: import ---------------------------------------------------------------------------------
  DB4001: e("Reported when a Divingbell values file is not valid YAML, is not a map, or has a duplicate or unsupported key that Helm would reject."),
  DB4002: w("Reported when a Divingbell value cannot be carried over exactly and was changed or dropped."),
  DB4003: e("Reported when a Divingbell value has the wrong type for its key."),
  DB4004: e("Reported when a values file holds a value Divingbell's chart itself refused to render (`BAD ...`, `BAD COMBINATION`, `NOT IMPLEMENTED`, `BAD PASSWORD`, `BAD SSH KEY`): such a file never deployed."),
  DB4005: e("Reported when a YAML file is not a Divingbell values file: it has no `conf` map."),

  // --- DB5xxx: output --------------------------------------------------------------------------------
  DB5001: e("Reported when a compiled object would exceed a Kubernetes size limit (1 MiB of data in a ConfigMap or Secret, 1.5 MiB per object); the message names the rules behind it."),

  // --- DB6xxx: plan (a policy against a node inventory) ----------------------------------------------
  DB6001: e("Reported when a node inventory given to `plan --nodes` is not valid JSON or YAML."),
  DB6002: e("Reported when a node inventory is not a List of Nodes or a Node (as `kubectl get nodes -o json` prints), or a node lacks `metadata.name`, a string-valued `metadata.labels` map or the `kubernetes.io/hostname` label, or is listed twice."),
  DB6101: w("Reported when a host rule names a hostname that no node of the inventory has, so the rule configures nothing."),
  DB6102: w("Reported when a label rule matches no node of the inventory (its key is carried, but with none of its values)."),
  DB6103: w("Reported when a label rule selects on a label key that no node of the inventory carries."),
  DB6104: w("Reported when a value of a label rule is one no node of the inventory carries for that key, while other values of the rule match nodes."),
  DB6105: w("Reported when a node of the inventory is selected by no DaemonSet of a module (for example a node without `kubernetes.io/os: linux`), so that module does not configure it."),
  DB6106: e("Reported when a node of the inventory is selected by two DaemonSets of one module, so two pods would configure it; this is a bug in dbellc."),

  // --- DB9xxx: internal -------------------------------------------------------------------------------
  DB9001: e("Reported when dbellc itself fails; please report it with the input that caused it."),
  DB9002: e("Reported when an input file cannot be read."),
} as const satisfies Record<string, CodeInfo>;

export type Code = keyof typeof CODES;
