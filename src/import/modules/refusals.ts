/**
 * Values Divingbell's chart itself refused to render (`fail` in its templates: BAD ..., BAD COMBINATION, NOT
 * IMPLEMENTED, BAD PASSWORD, BAD SSH KEY; docs/import.md). A values file holding one never deployed, so
 * import reports each as an error (DB4004) naming the key and Divingbell's reason, and leaves the value out.
 */
import type { Span } from "../../diagnostics/span.js";
import type { Translation } from "../reader.js";

export function refuse(t: Translation, span: Span, at: string, reason: string, help?: string): void {
  t.cx.bag.report("DB4004", span, `Divingbell refused to render \`${at}\`: ${reason}; this values file never deployed, and the value is left out`, help ? { help } : {});
}

export const RERUN_POLICIES = ["always", "never", "once_successfully"];
export const BLOCKING_POLICIES = ["foreground", "foreground_halt_pod_on_failure", "background"];

/** An interval as Divingbell's templates tested it: `infinity`, else a whole number of at least 60. */
export function intervalProblem(key: string, v: string): string | undefined {
  if (v === "infinity") return undefined;
  const n = Number(v);
  if (v.trim() === "" || Number.isNaN(n) || n < 60) return `BAD '${key}': Got '${v}', but expected >= '60'`;
  return undefined;
}

/** The password regex of uamlite, unanchored as Divingbell wrote it: a crypt hash somewhere in the text. */
export function passwordProblem(user: string, v: string): string | undefined {
  if (/\$2a\$[^$]*\$|\$[156]\$[^$]*\$/.test(v)) return undefined;
  return `BAD PASSWORD FOR '${user}': the 'user_crypt_passwd' does not pass its regex checks (it takes only a crypt hash such as \`$6$salt$hash\`)`;
}

/** The ssh key regex of uamlite, unanchored: a key type word somewhere in the line. */
export function sshKeyProblem(user: string, key: string): string | undefined {
  if (/ssh-dss |ecdsa-|ssh-ed25519 |ssh-rsa /.test(key)) return undefined;
  return `BAD SSH KEY FOR '${user}': one of the 'user_sshkeys' does not pass its regex checks`;
}
