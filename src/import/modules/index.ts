/** The module translations, in Divingbell's order (the order of the policy's sections). */
import type { ModuleImport } from "../module-import.js";
import { aptImport } from "./apt.js";
import { execImport, permImport } from "./perm-exec.js";
import { apparmorImport, ethtoolImport, limitsImport, mountsImport, sysctlImport } from "./simple.js";
import { usersImport } from "./users.js";

export const MODULE_IMPORTS: readonly ModuleImport[] = [sysctlImport, mountsImport, ethtoolImport, limitsImport, permImport, execImport, aptImport, usersImport, apparmorImport];

export function importerFor(divingbellName: string): ModuleImport | undefined {
  return MODULE_IMPORTS.find((m) => m.divingbell === divingbellName);
}
