/** The compiled objects as text: one multi-document YAML stream, or one file per object. */
import type { Manifest } from "./daemonset.js";
import { yamlDocument, yamlStreamDocument } from "./yaml.js";

export function manifestText(m: Manifest): string {
  return yamlDocument(m.object, m.header);
}

/** Every object in order, as one stream for `kubectl apply -f -`: exactly what `compile` writes, in one string. */
export function manifestStream(ms: readonly Manifest[]): string {
  return [...manifestStreamParts(ms)].join("");
}

/**
 * The same stream in pieces, one per object, made as they are taken: large policies make more text than one string
 * can hold, and a piece written and dropped at once never outlives the next (Secrets carry whole scripts).
 */
export function* manifestStreamParts(ms: readonly Manifest[]): Generator<string> {
  for (const m of ms) yield yamlStreamDocument(m.object, m.header);
}

export interface OutputFile {
  /** A file name without directories: `<kind>-<name>.yaml`, lower-case. */
  readonly path: string;
  readonly text: string;
}

/** One file per object. Names are unique because object names are unique per kind. */
export function manifestFiles(ms: readonly Manifest[]): OutputFile[] {
  const files = ms.map((m) => ({ path: `${m.kind.toLowerCase()}-${m.name}.yaml`, text: manifestText(m) }));
  if (new Set(files.map((f) => f.path)).size !== files.length) throw new Error("internal: two objects would be written to one file");
  return files;
}
