/** The contract of one module's translation from Divingbell's `conf.<module>` to `set <module> ...` settings. */
import type { DMap, DScalar } from "../syntax/print-values.js";
import type { Translation } from "./reader.js";
import type { YMap } from "./yaml-tree.js";

export interface ModuleImport {
  /** Divingbell's name: the key under `conf` and in `manifests.daemonset_<name>` / `divingbell_<name>`. */
  readonly divingbell: string;
  /** The dbellc module it becomes. */
  readonly name: string;
  /**
   * Translates a conf map into `t.out`. In an override, the conf is the override's part only; where Divingbell
   * replaces a whole list that the policy holds as a map, the translation unsets the root's entries first.
   */
  translate(conf: YMap, t: Translation): void;
  /** Whether the map at this path below the module is written as one `{ ... }` block (else one `set` per leaf). */
  blockAt(path: readonly string[]): boolean;
  /** A block written as a plain value instead (`set apt package vim = "2:9.0"`). */
  shorthand?(path: readonly string[], block: DMap): DScalar | undefined;
}
