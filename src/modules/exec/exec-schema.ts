/** The shape of `set exec NAME { ... }` and the checks across an entry's fields (Divingbell's validation, corrected: docs/modules/exec.md). */
import type { MapNode, ScalarNode } from "../../ir/ir.js";
import { scalar, sortedEntries } from "../../ir/tree.js";
import { bool, int, listOf, oneOf, scalarOf, type DictSchema, type RecordSchema, type Reporter, type ScalarSchema } from "../schema.js";

/** A plain file name (the script is written as /var/divingbell/exec/NAME and run as ./NAME). */
export const SCRIPT_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.+@-]*$/;
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const RERUN_POLICIES = ["always", "never", "once_successfully"] as const;
export const BLOCKING_POLICIES = ["foreground", "foreground_halt_pod_on_failure", "background"] as const;
/** The exec pod reruns the host script every this many seconds; shorter intervals cannot be honoured. */
export const LOOP_SECONDS = 60;
/** The largest interval or timeout: bash arithmetic on the node adds it to a timestamp without overflowing. */
export const MAX_SECONDS = 2147483647;
/** Names of exec's own files in the state directory: run records (a sha256) and files being written. */
const RESERVED_NAME = /^[0-9a-f]{64}$|\.dbell-tmp$/;

/** Any text that can be passed to a program: everything but NUL. */
function anyText(doc: string): ScalarSchema {
  return scalarOf(doc, (n, r) => {
    if (n.text.includes("\0")) r.report("DB2008", n.origin, "value contains a NUL character, which cannot be passed to a program");
  });
}

const body = scalarOf("the script's text, written to the node verbatim (a trailing newline is added if missing)", (n, r) => {
  if (n.text.trim() === "") r.report("DB2604", n.origin, "exec script is empty", { help: 'write the script in a multi-line string: `script = """ ... """`' });
  else if (n.text.includes("\0")) r.report("DB2604", n.origin, "exec script contains a NUL character");
});

const timeout = scalarOf(`seconds to wait for the script before it is terminated (default 1800)`, (n, r) => {
  if (!/^[0-9]+$/.test(n.text)) {
    const help = /^infinit/.test(n.text) ? "exec timeouts are finite; write a number of seconds such as `86400`" : undefined;
    r.report("DB2603", n.origin, `exec timeout must be a whole number of seconds, found \`${n.text}\``, help ? { help } : {});
  } else if (BigInt(n.text) < 1n || BigInt(n.text) > BigInt(MAX_SECONDS)) {
    r.report("DB2603", n.origin, `exec timeout must be between 1 and ${MAX_SECONDS} seconds, found \`${n.text}\``);
  }
});

/** `rerun_interval`/`retry_interval`: at least the pod's loop period, or `infinity` (no wait). */
export function interval(field: string): ScalarSchema {
  return scalarOf(`seconds (>= ${LOOP_SECONDS}) or \`infinity\``, (n, r) => {
    if (n.text === "infinity") return;
    if (!/^[0-9]+$/.test(n.text)) {
      const help = n.text === "infinite" ? "did you mean `infinity`?" : `write a number of seconds (at least ${LOOP_SECONDS}) or \`infinity\``;
      return r.report("DB2504", n.origin, `\`${field}\` must be a number of seconds or \`infinity\`, found \`${n.text}\``, { help });
    }
    if (BigInt(n.text) < BigInt(LOOP_SECONDS) || BigInt(n.text) > BigInt(MAX_SECONDS)) {
      r.report("DB2504", n.origin, `\`${field}\` must be at least ${LOOP_SECONDS} seconds, found \`${n.text}\``, {
        help: `the exec pod runs its scripts every ${LOOP_SECONDS} seconds, so a shorter interval cannot be kept`,
      });
    }
  });
}

const entry: RecordSchema = {
  kind: "Record",
  doc: "a script run in the host's namespaces",
  fields: {
    script: { schema: body, required: true, doc: 'the script\'s text: `script = """ ... """`' },
    env: {
      schema: {
        kind: "Dict",
        doc: "environment variables for the script",
        keyDoc: "a shell identifier",
        key: (key, span, r) => {
          if (!ENV_NAME.test(key)) r.report("DB2602", span, `\`${key}\` is not a valid environment variable name`, { help: "names are letters, digits and `_`, not starting with a digit" });
        },
        value: anyText("the variable's value, any text"),
      },
    },
    args: { schema: listOf("arguments passed to the script", anyText("an argument, any text")) },
    rerun_policy: { schema: oneOf("when to run the script again: always (default), never, once_successfully", RERUN_POLICIES) },
    blocking_policy: { schema: oneOf("foreground (default), foreground_halt_pod_on_failure or background", BLOCKING_POLICIES) },
    timeout: { schema: timeout },
    rerun_interval: { schema: interval("rerun_interval") },
    retry_interval: { schema: interval("retry_interval") },
    rerun_interval_persist: { schema: bool("false: after a node reboot, rerun at once whatever the rerun_interval") },
    rerun_max_count: { schema: int("at most this many reruns after successful runs, per node boot", { min: 0, max: MAX_SECONDS }) },
    retry_interval_persist: { schema: bool("false: after a node reboot, retry at once whatever the retry_interval") },
    retry_max_count: { schema: int("at most this many retries in a row after failed runs, per node boot", { min: 0, max: MAX_SECONDS }) },
  },
};

export const execSchema: DictSchema = {
  kind: "Dict",
  doc: "Scripts run in the host's namespaces, in byte order of their names: `set exec NAME { script = ... }`.",
  keyDoc: "the script's file name (`001-hugepages.sh`)",
  key: (key, span, r) => {
    if (!SCRIPT_NAME.test(key) || key.length > 200) {
      r.report("DB2601", span, `\`${key}\` is not a plain file name for an exec script`, {
        help: "use letters, digits and `_ . + @ -` (not starting with `.` or `-`), at most 200 characters, e.g. `010-hugepages.sh`",
      });
    } else if (RESERVED_NAME.test(key)) {
      r.report("DB2606", span, `\`${key}\` is a name exec uses for its own files in /var/divingbell/exec`, {
        help: "64 hexadecimal digits name a run record, and `.dbell-tmp` marks a file being written; rename the script",
      });
    }
  },
  value: entry,
};

const finite = (n: ScalarNode | undefined): n is ScalarNode => n !== undefined && /^[0-9]+$/.test(n.text);

/** The effective rerun policy, or undefined while the written one is invalid (already reported). */
function policyOf(e: MapNode): string | undefined {
  const p = scalar(e, "rerun_policy");
  if (!p) return "always";
  return (RERUN_POLICIES as readonly string[]).includes(p.text) ? p.text : undefined;
}

/** Where the policy was written, for `related`; a help line when it is the default. */
function policyContext(e: MapNode): { related?: { message: string; span: ScalarNode["origin"] }[]; help?: string } {
  const p = scalar(e, "rerun_policy");
  return p ? { related: [{ message: "rerun policy set here", span: p.origin }] } : { help: "`rerun_policy` defaults to `always`" };
}

/**
 * Divingbell's combination rules with correct messages: a finite rerun interval needs `always`, a finite retry
 * interval needs a policy that retries. The options Divingbell left unimplemented follow the same logic: rerun options
 * need `always`, retry options a policy that retries, and `*_interval_persist` a finite interval.
 */
export function checkExec(config: MapNode, r: Reporter): void {
  for (const { key: name, value } of sortedEntries(config)) {
    if (value.kind !== "Map") continue;
    const policy = policyOf(value);
    if (!policy) continue;
    const ctx = policyContext(value);
    const rerun = scalar(value, "rerun_interval");
    const retry = scalar(value, "retry_interval");
    if (finite(rerun) && policy !== "always") {
      r.report("DB2504", rerun.origin, `a finite \`rerun_interval\` for \`${name}\` needs \`rerun_policy = always\`, not \`${policy}\``, ctx);
    }
    if (finite(retry) && policy === "never") {
      r.report("DB2504", retry.origin, `a finite \`retry_interval\` for \`${name}\` needs \`rerun_policy\` \`always\` or \`once_successfully\`, not \`never\``, ctx);
    }
    for (const opt of ["rerun_max_count", "rerun_interval_persist"]) {
      const n = scalar(value, opt);
      if (n && policy !== "always") r.report("DB2605", n.origin, `\`${opt}\` for \`${name}\` has no effect unless \`rerun_policy = always\``, ctx);
    }
    for (const opt of ["retry_max_count", "retry_interval_persist"]) {
      const n = scalar(value, opt);
      if (n && policy === "never") r.report("DB2605", n.origin, `\`${opt}\` for \`${name}\` has no effect with \`rerun_policy = never\``, ctx);
    }
    const persistRerun = scalar(value, "rerun_interval_persist");
    if (persistRerun && policy === "always" && !finite(rerun)) {
      r.report("DB2605", persistRerun.origin, `\`rerun_interval_persist\` for \`${name}\` has no effect without a finite \`rerun_interval\``);
    }
    const persistRetry = scalar(value, "retry_interval_persist");
    if (persistRetry && policy !== "never" && !finite(retry ?? rerun)) {
      r.report("DB2605", persistRetry.origin, `\`retry_interval_persist\` for \`${name}\` has no effect without a finite \`retry_interval\``, {
        help: "`retry_interval` defaults to `rerun_interval`",
      });
    }
  }
}
