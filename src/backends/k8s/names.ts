/**
 * Object names for each variant: DNS-1123 labels (lower-case, at most 63 characters), readable, derived only from
 * the variant's own identity so that adding or removing other rules never renames it, and unique within a module.
 */
import { createHash } from "node:crypto";
import type { Variant } from "../../ir/variant.js";

export const MAX_NAME = 63;
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Lower-case letters, digits and single dashes; everything else becomes a dash. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

export function shortHash(text: string, length = 8): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/**
 * A DNS-1123 label made of `parts` (slugged, joined by dashes) and, when `hashOf` is given, a hash of it at the end.
 * The readable part is cut to fit; the hash keeps names that differ only past the cut apart.
 */
export function dnsLabel(parts: readonly string[], hashOf?: string, hashLength = 8): string {
  const readable = parts.map(slug).filter((p) => p !== "").join("-");
  if (hashOf === undefined) {
    const name = readable.slice(0, MAX_NAME).replace(/-+$/, "");
    if (!DNS_LABEL.test(name)) throw new Error(`internal: cannot make a DNS label of ${JSON.stringify(parts)}`);
    return name;
  }
  const hash = shortHash(hashOf, hashLength);
  const room = MAX_NAME - hash.length - 1;
  const head = readable.slice(0, room).replace(/-+$/, "");
  return head === "" ? hash : `${head}-${hash}`;
}

/** The readable words of a variant's name: `default`, `host superhost`, `label compute-type dpdk sriov`. */
function words(v: Variant): string[] {
  // A cell of layered rules is named after its layers (`layers storage yes compute yes`).
  if (v.cell && v.cell.layers.length > 0) return ["layers", ...v.cell.layers.flatMap((l) => words(l).slice(1))];
  const t = v.target;
  if (t.kind === "Default") return ["default"];
  if (t.kind === "Host") return ["host", t.name];
  // The name part of a prefixed key says more than its domain (`node-role.kubernetes.io/storage` → `storage`).
  return ["label", t.key.slice(t.key.lastIndexOf("/") + 1), ...t.values];
}

/**
 * Names for all variants of one module, in the given order. The default has no hash: there is one per module, and
 * its name stays the same whatever rules exist. A hash collision between two names (after the readable part is cut)
 * is resolved by giving just those names a longer hash, so every other name stays as it was.
 */
export function variantNames(module: string, variants: readonly Variant[]): string[] {
  const identity = (v: Variant): string => `${module}\0${v.id}`;
  const names = variants.map((v) => (v.target.kind === "Default" ? dnsLabel(["dbell", module, "default"]) : dnsLabel(["dbell", module, ...words(v)], identity(v))));
  const seen = new Map<string, number[]>();
  names.forEach((n, i) => (seen.get(n) ?? seen.set(n, []).get(n)!).push(i));
  for (const [, at] of seen) {
    if (at.length < 2) continue;
    for (const i of at) {
      const v = variants[i]!;
      if (v.target.kind !== "Default") names[i] = dnsLabel(["dbell", module, ...words(v)], identity(v), 20);
    }
  }
  if (new Set(names).size !== names.length) throw new Error(`internal: object names of module ${module} are not unique`);
  return names;
}
