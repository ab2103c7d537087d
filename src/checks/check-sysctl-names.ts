/**
 * Checks sysctl names and values against the catalogue of a real kernel's /proc/sys: an unknown name is a warning
 * with a did-you-mean (modules and newer kernels add names, so it cannot be an error), and a value that is not
 * numbers where the kernel takes only numbers is an error, as `sysctl -w` would fail on the node.
 */
import { diag, type Diagnostic } from "../diagnostics/diagnostic.js";
import { closest } from "../diagnostics/suggest.js";
import type { ModulePart, Policy } from "../ir/ir.js";
import { SYSCTL_KEY } from "../modules/sysctl/sysctl.js";
import { isIntegers, SysctlCatalogue } from "../modules/sysctl/sysctl-catalogue.js";
import { CATALOGUE, KERNEL_RELEASE } from "../modules/sysctl/sysctl-catalogue.generated.js";
import { EXTRA_CATALOGUE } from "../modules/sysctl/sysctl-catalogue-extra.js";

let catalogue: SysctlCatalogue | undefined;

/** Suggestions cost an edit-distance scan of the catalogue each; a file of thousands of unknown names gets the first ones. */
const MAX_SUGGESTIONS = 200;

export function checkSysctlNames(policy: Policy): Diagnostic[] {
  if (!policy.modules.includes("sysctl")) return [];
  catalogue ??= new SysctlCatalogue(CATALOGUE + EXTRA_CATALOGUE);
  const cat = catalogue;
  const parts: ModulePart[] = [];
  const d = policy.defaults.get("sysctl");
  if (d) parts.push(d);
  for (const r of policy.rules) {
    const p = r.parts.get("sysctl");
    if (p) parts.push(p);
  }
  const out: Diagnostic[] = [];
  const suggestions = new Map<string, string | undefined>();
  for (const part of parts) {
    for (const e of part.sets.entries.values()) {
      if (!SYSCTL_KEY.test(e.key)) continue;
      const type = cat.lookup(e.key);
      if (type === undefined) {
        let hint = suggestions.get(e.key);
        if (!suggestions.has(e.key) && suggestions.size < MAX_SUGGESTIONS) suggestions.set(e.key, (hint = cat.suggest(e.key, closest)));
        out.push(
          diag("DB2104", e.keyOrigin, `\`${e.key}\` is not a sysctl of Linux ${KERNEL_RELEASE}`, {
            help: hint ? `did you mean \`${hint}\`?` : "check the name with `sysctl -a` on a node; a kernel module may add it",
          }),
        );
      } else if (type === "int" && e.value.kind === "Scalar" && e.value.text.trim() !== "" && !isIntegers(e.value.text)) {
        out.push(diag("DB2103", e.value.origin, `\`${e.key}\` takes whole numbers, found \`${e.value.text}\``, { help: "write the number, e.g. `1`; several numbers go in quotes: `\"4096 87380 6291456\"`" }));
      }
    }
  }
  return out;
}
