/**
 * The server's view of the policies being edited: open documents (text from the editor), the other files of each
 * document's policy (read from disk), and one cached analysis per policy. A policy is a directory's `*.dbell` files
 * in name order, as `dbellc check DIR` reads them; a document that is not a file on disk is a policy of its own.
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { TextDocument } from "vscode-languageserver-textdocument";
import { analyze, policyFileNames, type Analysis } from "../compile.js";

export interface Policy {
  /** Identifies the policy: its directory, or the document's URI when it is not a file. */
  readonly key: string;
  /** File names as the analysis uses them (paths, or the URI) in policy order, with their URIs. */
  readonly files: readonly { readonly name: string; readonly uri: string }[];
}

export class Workspace {
  private readonly open = new Map<string, TextDocument>();
  private readonly cache = new Map<string, { readonly stamp: string; readonly analysis: Analysis }>();

  /** Files not open in the editor; a test may replace this to avoid the disk. */
  constructor(private readonly disk: { list(dir: string): readonly string[] | undefined; read(path: string): string | undefined } = realDisk) {}

  setDocument(doc: TextDocument): void {
    this.open.set(doc.uri, doc);
  }

  closeDocument(uri: string): void {
    this.open.delete(uri);
  }

  document(uri: string): TextDocument | undefined {
    return this.open.get(uri);
  }

  openUris(): string[] {
    return [...this.open.keys()];
  }

  policyOf(uri: string): Policy {
    const path = pathOf(uri);
    if (path === undefined || !path.endsWith(".dbell")) return { key: uri, files: [{ name: path ?? uri, uri }] };
    const dir = dirname(path);
    const names = new Set(policyFileNames(this.disk.list(dir) ?? []));
    // A new file not yet saved, and open files of the directory, belong to it as well.
    names.add(basename(path));
    for (const other of this.open.keys()) {
      const p = pathOf(other);
      if (p !== undefined && dirname(p) === dir && p.endsWith(".dbell")) names.add(basename(p));
    }
    const files = policyFileNames([...names]).map((n) => {
      const p = join(dir, n);
      return { name: p, uri: pathToFileURL(p).href };
    });
    return { key: dir, files };
  }

  /** The text of a file of a policy: the editor's if it is open, else the disk's ("" if it is gone). */
  text(file: { readonly name: string; readonly uri: string }): string {
    return this.open.get(file.uri)?.getText() ?? this.disk.read(file.name) ?? "";
  }

  /** A document for offset/position conversion, for open and closed files alike. */
  textDocument(file: { readonly name: string; readonly uri: string }): TextDocument {
    return this.open.get(file.uri) ?? TextDocument.create(file.uri, "dbell", 0, this.text(file));
  }

  /** The analysis of a policy, recomputed only when the file list, an open document's version or a file on disk changed. */
  analysis(policy: Policy): Analysis {
    const texts = policy.files.map((f) => ({ file: f.name, text: this.text(f) }));
    const stamp = policy.files.map((f, i) => `${f.uri}\0${this.open.get(f.uri)?.version ?? texts[i]!.text}`).join("\0\0");
    const hit = this.cache.get(policy.key);
    if (hit && hit.stamp === stamp) return hit.analysis;
    const analysis = analyze(texts);
    this.cache.set(policy.key, { stamp, analysis });
    return analysis;
  }

  /** The file entry of `uri` in its policy. */
  fileOf(uri: string): { policy: Policy; file: { readonly name: string; readonly uri: string } } {
    const policy = this.policyOf(uri);
    return { policy, file: policy.files.find((f) => f.uri === uri) ?? policy.files[0]! };
  }
}

const realDisk = {
  list(dir: string): readonly string[] | undefined {
    try {
      return readdirSync(dir);
    } catch {
      return undefined;
    }
  },
  read(path: string): string | undefined {
    try {
      return readFileSync(path, "utf8");
    } catch {
      return undefined;
    }
  },
};

export function pathOf(uri: string): string | undefined {
  if (!uri.startsWith("file:")) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
