/** Object names: valid DNS-1123 labels for any host name or label key, stable, unique per module. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dnsLabel, slug, variantNames } from "../../src/backends/k8s/names.js";
import type { Variant } from "../../src/ir/variant.js";
import { variantId } from "../../src/lower/variants.js";
import type { MapNode } from "../../src/ir/ir.js";

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const span = { file: "p.dbell", start: 0, end: 0 };
const config: MapNode = { kind: "Map", entries: new Map(), origin: span };

function host(name: string): Variant {
  const target = { kind: "Host" as const, name, origin: span };
  return { module: "sysctl", id: variantId(target), target, config };
}
function label(key: string, values: string[]): Variant {
  const target = { kind: "Label" as const, key, values, origin: span };
  return { module: "sysctl", id: variantId(target), target, config };
}
const fallback: Variant = { module: "sysctl", id: "default", target: { kind: "Default" }, config };

describe("names", () => {
  it("reads like the rule it comes from, with a stable hash", () => {
    const [h, l, d] = variantNames("sysctl", [host("superhost"), label("compute_type", ["dpdk", "sriov"]), fallback]);
    expect(h).toMatch(/^dbell-sysctl-host-superhost-[0-9a-f]{8}$/);
    expect(l).toMatch(/^dbell-sysctl-label-compute-type-dpdk-sriov-[0-9a-f]{8}$/);
    expect(d).toBe("dbell-sysctl-default");
    expect(variantNames("sysctl", [host("superhost")])[0]).toBe(h);
  });

  it("depends only on the variant, not on the other rules of the module", () => {
    const alone = variantNames("sysctl", [label("zone", ["a"]), fallback]);
    const among = variantNames("sysctl", [host("x"), host("y"), label("role", ["b"]), label("zone", ["a"]), fallback]);
    expect(among[3]).toBe(alone[0]);
    expect(among[4]).toBe(alone[1]);
  });

  it("handles label keys with `/`, long host names and many values", () => {
    const long = "averyveryverylonghostname-number-01.example.com".padEnd(63, "x");
    const names = variantNames("apparmor", [
      host(long),
      host(long.slice(0, 62) + "y"),
      label("node-role.kubernetes.io/storage", ["true"]),
      label("node-role.kubernetes.io/storage", Array.from({ length: 40 }, (_, i) => `value-${i}`)),
      label("Upper_Case.Key", ["A_b"]),
      fallback,
    ]);
    for (const n of names) expect(n).toMatch(DNS_LABEL);
    expect(new Set(names).size).toBe(names.length);
    expect(names[2]).toMatch(/^dbell-apparmor-label-storage-true-/);
  });

  it("is a DNS label for any text", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "binary" }), { maxLength: 4 }), fc.string(), (parts, id) => {
        expect(dnsLabel(["dbell", ...parts], id)).toMatch(DNS_LABEL);
        expect(slug(parts.join(" "))).toMatch(/^([a-z0-9]+(-[a-z0-9]+)*)?$/);
      }),
    );
  });

  it("keeps many hosts whose names differ only after the cut apart", () => {
    const prefix = "compute-rack-0001-node-with-a-long-name-";
    const hosts = Array.from({ length: 5000 }, (_, i) => host(`${prefix}${i}`));
    const names = variantNames("sysctl", [...hosts, fallback]);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n.length).toBeLessThanOrEqual(63);
  });

  it("gives a longer hash to names that collide, and only to those", () => {
    // These two host names share the readable part of their names and the first 8 hex digits of their hash.
    const a = host("compute-rack-0001-node-with-a-long-name-5659");
    const b = host("compute-rack-0001-node-with-a-long-name-16752");
    const c = host("compute-rack-0001-node-with-a-long-name-1");
    const [na, nb, nc] = variantNames("sysctl", [a, b, c]);
    expect(na).not.toBe(nb);
    expect(na).toMatch(/-[0-9a-f]{20}$/);
    expect(nb).toMatch(/-[0-9a-f]{20}$/);
    expect(nc).toBe(variantNames("sysctl", [c])[0]);
    expect(variantNames("sysctl", [a])[0]!.slice(-8)).toBe(variantNames("sysctl", [b])[0]!.slice(-8));
  });
});
