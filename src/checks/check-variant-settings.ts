/** Checks every variant's merged configuration: required fields, then the module's own cross-field checks. */
import { DiagnosticBag, type Diagnostic } from "../diagnostics/diagnostic.js";
import { moduleNamed } from "../modules/registry.js";
import { checkRequired, hasRequired } from "../modules/schema.js";
import type { Resolution } from "../lower/variants.js";
import type { Variant } from "../ir/variant.js";

export interface VariantCheck {
  readonly diagnostics: readonly Diagnostic[];
  /** Variants whose configuration has an error; their settings must not be built. */
  readonly broken: ReadonlySet<Variant>;
}

export function checkVariantSettings(res: Resolution): VariantCheck {
  const out: Diagnostic[] = [];
  const broken = new Set<Variant>();
  for (const m of res.policy.modules) {
    const mod = moduleNamed(m)!;
    if (!mod.check && !hasRequired(mod.schema)) continue;
    for (const v of res.all(m)) {
      const bag = new DiagnosticBag();
      checkRequired(v.config, mod.schema, m, bag);
      mod.check?.(v.config, bag);
      if (bag.items.some((d) => d.severity === "error")) broken.add(v);
      out.push(...bag.items);
    }
  }
  return { diagnostics: out, broken };
}
