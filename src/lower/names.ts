/** Kubernetes syntax for label keys, label values and host names (the `kubernetes.io/hostname` label value). */

const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why `key` is not a valid label key, or undefined. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.indexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return "its prefix must be a DNS subdomain (lower-case, at most 253 characters)";
  if (name.length === 0 || name.length > 63 || !LABEL_NAME.test(name)) return "its name must be 1-63 characters of [A-Za-z0-9-_.], starting and ending with a letter or digit";
  return undefined;
}

/** Why `value` is not a valid label value, or undefined. */
export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63) return "label values have at most 63 characters";
  if (value !== "" && !LABEL_NAME.test(value)) return "label values are [A-Za-z0-9-_.], starting and ending with a letter or digit";
  return undefined;
}
