/** The registry of host modules: adding a module is one folder plus one line here (a test checks every folder is listed). */
import type { HostModule } from "./module.js";
import { sysctl } from "./sysctl/sysctl.js";
import { mounts } from "./mounts/mounts.js";
import { ethtool } from "./ethtool/ethtool.js";
import { limits } from "./limits/limits.js";
import { perm } from "./perm/perm.js";
import { exec } from "./exec/exec.js";
import { apt } from "./apt/apt.js";
import { users } from "./users/users.js";
import { apparmor } from "./apparmor/apparmor.js";

/** In the order Divingbell lists them; this is the order of generated output. */
export const MODULES: readonly HostModule[] = [
  sysctl,
  mounts,
  ethtool,
  limits,
  perm,
  exec,
  apt,
  users,
  apparmor,
  // modules: keep this list in Divingbell's order (sysctl, mounts, ethtool, limits, perm, exec, apt, users, apparmor)
] as readonly HostModule<unknown>[] as readonly HostModule[];

const byName = new Map(MODULES.map((m) => [m.name, m]));

export function moduleNamed(name: string): HostModule | undefined {
  return byName.get(name);
}

export function moduleNames(): string[] {
  return MODULES.map((m) => m.name);
}
