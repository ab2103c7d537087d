/**
 * The node inventory the server compares selectors with (`initializationOptions.inventory` or the `dbell.inventory`
 * setting, relative to the workspace root): a `kubectl get nodes -o json|yaml` file, read once and read again only
 * when its size or modification time changes, so a hover costs one `stat`. A file that cannot be used becomes one
 * message, never an exception.
 */
import { readFileSync, statSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { readInventory, type Inventory } from "../plan/inventory.js";

export interface InventoryState {
  readonly inventory?: Inventory;
  /** Why the configured file cannot be used, in one line. */
  readonly problem?: string;
}

export class InventoryFile {
  private configured?: { readonly path: string; readonly shown: string };
  private cached?: { readonly stamp: string; readonly state: InventoryState };

  /** `setting` as written by the user: absolute, or relative to `root` (the current directory without a root). */
  configure(setting: string | undefined, root: string | undefined): boolean {
    const path = setting ? resolve(root ?? process.cwd(), setting) : undefined;
    if (path === this.configured?.path) return false;
    const rel = path && root ? relative(root, path) : undefined;
    this.configured = path ? { path, shown: rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path } : undefined;
    this.cached = undefined;
    return true;
  }

  /** The configured file's absolute path. */
  get path(): string | undefined {
    return this.configured?.path;
  }

  /** The inventory as the file is now; nothing when none is configured. */
  current(): InventoryState {
    const c = this.configured;
    if (!c) return {};
    let stamp: string;
    try {
      const st = statSync(c.path);
      stamp = `${st.ino}:${st.size}:${st.mtimeMs}`;
    } catch (e) {
      stamp = `missing:${(e as NodeJS.ErrnoException).code ?? ""}`;
    }
    if (this.cached?.stamp === stamp) return this.cached.state;
    const state = load(c.path, c.shown);
    this.cached = { stamp, state };
    return state;
  }
}

function load(path: string, shown: string): InventoryState {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === "ENOENT" ? "no such file" : err.code === "EISDIR" ? "it is a directory" : (err.code ?? err.message);
    return { problem: `dbellc: cannot read the inventory ${path} (${why}) [DB9002]; selector hovers show no node counts` };
  }
  const r = readInventory(shown, text);
  if (r.inventory) return { inventory: r.inventory };
  const first = r.diagnostics[0];
  const more = r.diagnostics.length > 1 ? ` (and ${r.diagnostics.length - 1} more; \`dbellc plan --nodes ${shown}\` lists them)` : "";
  return { problem: `dbellc: the inventory ${first ? place(first, text) : shown} cannot be used: ${first?.message ?? "unreadable"} [${first?.code ?? "DB6002"}]${more}` };
}

/** `file:line:column` of a diagnostic in the inventory's text, 1-based as editors show it. */
function place(d: Diagnostic, text: string): string {
  const before = text.slice(0, d.span.start);
  const line = before.split("\n").length;
  return `${d.span.file}:${line}:${d.span.start - before.lastIndexOf("\n")}`;
}
