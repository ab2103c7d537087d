/** The registry of host modules: adding a module is one folder plus one line here (a test checks every folder is listed). */
import type { HostModule } from "./module.js";
import { sysctl } from "./sysctl/sysctl.js";

/** In the order Divingbell lists them; this is the order of generated output. */
export const MODULES: readonly HostModule[] = [
  sysctl,
  // modules: keep this list in Divingbell's order (sysctl, mounts, ethtool, limits, perm, exec, apt, users, apparmor)
] as readonly HostModule<unknown>[] as readonly HostModule[];

const byName = new Map(MODULES.map((m) => [m.name, m]));

export function moduleNamed(name: string): HostModule | undefined {
  return byName.get(name);
}

export function moduleNames(): string[] {
  return MODULES.map((m) => m.name);
}
