/**
 * The catalog of diagnostic codes. A code never changes meaning; retired codes stay reserved.
 * Bands: DB1xxx syntax, DB20xx values (all modules), DB3xxx overlapping targets, DB4xxx import, DB5xxx output,
 * DB6xxx plan, DB9xxx internal. Host modules declare their own codes in their folder (`about.ts`), each in a band of
 * 100: DB21xx to DB29xx for the first nine modules, DB70xx to DB89xx for later ones (docs/adding-a-module.md); the
 * registry adds them to this catalog with registerModuleCodes().
 * Each entry's `doc` starts "Reported when" and is published in docs/diagnostics.md.
 */

export interface CodeInfo {
  readonly severity: "error" | "warning";
  readonly doc: string;
}

/** An error code's entry. */
export function e(doc: string): CodeInfo {
  return { severity: "error", doc };
}
/** A warning code's entry (a `# allow` comment may acknowledge it). */
export function w(doc: string): CodeInfo {
  return { severity: "warning", doc };
}

const CORE = {
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
  DB9002: e("Reported when an input file cannot be read. Retired: never reported, since an unreadable file is a usage error (`error: cannot read …`, exit 2); the code stays reserved."),
} as const satisfies Record<string, CodeInfo>;

type Digit = "0" | "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9";
/** A host module's band of 100 codes: DB21 to DB29 (the first nine modules), then DB70 to DB89. */
export type ModuleBand = `DB2${Exclude<Digit, "0">}` | `DB${"7" | "8"}${Digit}`;
export type ModuleCode = `${ModuleBand}${Digit}${Digit}`;
export type CoreCode = keyof typeof CORE;
export type Code = CoreCode | ModuleCode;
/** The codes a module declares, all in its band. */
export type ModuleCodes = Readonly<Partial<Record<ModuleCode, CodeInfo>>>;

/**
 * The whole catalog: the core codes above, then each registered module's. Indexing it with a code no registered
 * module declares gives undefined (the type says otherwise so that `CODES[code]` stays short where the code is known).
 */
export const CODES: Readonly<Record<Code, CodeInfo>> = { ...CORE } as Record<Code, CodeInfo>;

const bandOwners = new Map<string, string>();

/**
 * Adds a module's codes to CODES. Called by the module registry, once per module; calling it again with the same
 * module and band is a no-op for codes already there. Throws (a bug in a module folder) when the band is taken by
 * another module or a code lies outside the band.
 */
export function registerModuleCodes(module: string, band: ModuleBand, codes: ModuleCodes): void {
  const owner = bandOwners.get(band);
  if (owner !== undefined && owner !== module) throw new Error(`internal: modules ${owner} and ${module} both declare band ${band}`);
  bandOwners.set(band, module);
  for (const [code, info] of Object.entries(codes) as [ModuleCode, CodeInfo][]) {
    if (!code.startsWith(band) || !/^DB\d{4}$/.test(code)) throw new Error(`internal: module ${module} declares ${code} outside its band ${band}`);
    const had = (CODES as Partial<Record<Code, CodeInfo>>)[code];
    if (had !== undefined && had !== info) throw new Error(`internal: ${code} is declared twice`);
    (CODES as Record<Code, CodeInfo>)[code] = info;
  }
}

/** The module that registered `band`, if any. */
export function bandOwner(band: string): string | undefined {
  return bandOwners.get(band);
}
