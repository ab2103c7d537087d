/** A node's settings for one module as `explain` reports them, keyed by path, with a digest to compare them at a glance. */
import { createHash } from "node:crypto";
import type { ExplainedValue } from "../lower/explain.js";

export interface Setting {
  /** The path below the module, joined by spaces: `vm.swappiness`, `user ops sudo`. */
  readonly key: string;
  readonly value: string | readonly string[];
}

export interface SettingsView {
  /** In explain's order. */
  readonly settings: readonly Setting[];
  readonly byKey: ReadonlyMap<string, Setting>;
  /** 12 hex digits of a SHA-256 over the settings sorted by key: equal settings, equal digest, whatever their order. */
  readonly digest: string;
}

export function settingsView(values: readonly ExplainedValue[]): SettingsView {
  const settings = values.map((v) => ({ key: v.path.join(" "), value: v.value }));
  const byKey = new Map(settings.map((s) => [s.key, s]));
  const h = createHash("sha256");
  for (const key of [...byKey.keys()].sort()) {
    const v = byKey.get(key)!.value;
    // Lists and scalars hash apart even when their text is alike.
    h.update(key).update("\0").update(typeof v === "string" ? `s${v}` : `l${v.join("\u001f")}`).update("\u001e");
  }
  return { settings, byKey, digest: h.digest("hex").slice(0, 12) };
}

export function sameValue(a: Setting["value"], b: Setting["value"]): boolean {
  if (typeof a === "string" || typeof b === "string") return a === b;
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** A value as one short line: plain words as they are, other text quoted, long or multi-line text cut. */
export function valueText(v: Setting["value"]): string {
  if (typeof v !== "string") return `[${v.map(scalarText).join(", ")}]`;
  return scalarText(v);
}

function scalarText(v: string): string {
  if (/^[A-Za-z0-9_./*?~@%+:!^=-]+$/.test(v)) return v;
  const lines = v.split("\n").length;
  const cut = v.length > 48 ? JSON.stringify(v.slice(0, 45)).slice(0, -1) + '..."' : JSON.stringify(v);
  return lines > 1 ? `${cut} (${lines} lines)` : cut;
}
