/**
 * The node image: a minimal Debian bookworm tree built once with mmdebstrap and cached under `.e2e/`. Every node boots
 * it with `--volatile=overlay`, so the tree itself is never written after the build.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { e2eDir } from "./paths.js";
import { runOk } from "./process.js";

const SUITE = "bookworm";
const MIRROR = process.env["DBELL_E2E_MIRROR"] ?? "http://deb.debian.org/debian";
/** What a node needs: systemd to boot, and the tools the host scripts of every module call. */
export const NODE_PACKAGES = [
  "systemd", "systemd-sysv", "dbus", "procps", "ethtool", "sudo", "passwd", "kmod", "iproute2",
  "apparmor", "util-linux", "openssh-client", "less",
] as const;

/** The cache key changes whenever the recipe does, so an outdated tree is never reused. */
function recipeKey(): string {
  return createHash("sha256").update(JSON.stringify([SUITE, MIRROR, NODE_PACKAGES, 1])).digest("hex").slice(0, 12);
}

let ready: Promise<string> | undefined;

/**
 * The path of the node rootfs, building it first if needed (about 16 s). Several test workers may call this at once:
 * the build runs under `flock`, and a tree becomes visible only once complete (built beside, then renamed).
 */
export function ensureRootfs(): Promise<string> {
  ready ??= build();
  return ready;
}

async function build(): Promise<string> {
  const dir = e2eDir();
  const final = join(dir, `rootfs-${SUITE}-${recipeKey()}`);
  if (existsSync(join(final, "etc", "os-release"))) return final;
  const tmp = `${final}.building`;
  // mmdebstrap copies the build machine's /etc/hostname into the tree; emptied, each node takes its machine name.
  const script = [
    'set -e',
    'final=$1 tmp=$2 suite=$3 mirror=$4 include=$5',
    '[ -e "$final/etc/os-release" ] && exit 0',
    'rm -rf "$tmp"',
    'mmdebstrap --quiet --variant=minbase --include="$include" "$suite" "$tmp" "$mirror"',
    ': >"$tmp/etc/hostname"',
    'rm -rf "$final"',
    'mv "$tmp" "$final"',
  ].join("\n");
  await runOk("flock", ["-w", "900", join(dir, "rootfs.lock"), "bash", "-c", script, "_", final, tmp, SUITE, MIRROR, NODE_PACKAGES.join(",")], {
    timeoutMs: 900_000,
  });
  return final;
}
