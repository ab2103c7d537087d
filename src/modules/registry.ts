/**
 * The registry of host modules: adding a module is one folder plus one line here (docs/adding-a-module.md; a test
 * checks every folder is listed). Registering a module adds the codes its folder declares to the code catalog.
 */
import { registerModuleCodes } from "../diagnostics/codes.js";
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

export interface Registry {
  /** In registration order; this is the order of generated output. */
  readonly MODULES: readonly HostModule[];
  moduleNamed(name: string): HostModule | undefined;
  moduleNames(): string[];
}

/** A registry of `modules`, whose codes are added to the catalog (a clash of names or bands is a bug: it throws). */
export function registryOf(modules: readonly HostModule[]): Registry {
  const byName = new Map<string, HostModule>();
  for (const m of modules) {
    if (byName.has(m.name)) throw new Error(`internal: module ${m.name} is registered twice`);
    byName.set(m.name, m);
    registerModuleCodes(m.name, m.about.band, m.about.codes);
  }
  return { MODULES: modules, moduleNamed: (name) => byName.get(name), moduleNames: () => modules.map((m) => m.name) };
}

/** In the order Divingbell lists them; a module added later goes at the end. */
export const { MODULES, moduleNamed, moduleNames } = registryOf([
  sysctl,
  mounts,
  ethtool,
  limits,
  perm,
  exec,
  apt,
  users,
  apparmor,
] as readonly HostModule<unknown>[] as readonly HostModule[]);
