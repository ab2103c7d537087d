/**
 * The catalogue of kernel sysctl names: made from a real kernel's /proc/sys (sysctl-catalogue.generated.ts, written by
 * test/support/generate-sysctl.ts), read here into a trie. Names below a network interface are kept once, with
 * `<iface>` for the interface (`net.ipv4.conf.<iface>.forwarding`), and numbered directories as `<n>`.
 */
import { byCodeUnit } from "../../ir/order.js";

/** `int`: whitespace-separated integers; `text`: anything; `write`: write-only (no value could be read). */
export type SysctlType = "int" | "text" | "write";

/** The name parts after which the next part is a network interface (including `all` and `default`). */
const IFACE_PARENTS = ["net.ipv4.conf", "net.ipv6.conf", "net.ipv4.neigh", "net.ipv6.neigh", "net.mpls.conf"];
/** Keys whose value can look like a number on one machine but is text (a host name `42`). */
const TEXT_KEYS = new Set(["kernel.hostname", "kernel.domainname", "kernel.core_pattern", "kernel.modprobe", "kernel.poweroff_cmd", "kernel.osrelease", "kernel.ostype", "kernel.version", "kernel.random.boot_id", "kernel.random.uuid"]);

export const IFACE = "<iface>";
export const NUMBER = "<n>";

/**
 * A sysctl name as its parts. As sysctl(8) reads it, the first separator decides the form: slashed
 * (`net/ipv4/conf/eth0.100/rp_filter`), or dotted, where a `/` stands for a `.` inside a part (`eth0/100`).
 */
export function nameParts(key: string): string[] {
  const dot = key.indexOf(".");
  const slash = key.indexOf("/");
  if (slash >= 0 && (dot < 0 || slash < dot)) return key.split("/").filter((p) => p !== "");
  return key.split(".").map((p) => p.replace(/\//g, "."));
}

/** The catalogue pattern of a name: interface and number parts replaced. */
export function patternOf(parts: readonly string[]): string[] {
  const out = [...parts];
  for (let i = 0; i < out.length; i++) {
    if (IFACE_PARENTS.includes(out.slice(0, i).join("."))) out[i] = IFACE;
    else if (/^[0-9]+$/.test(out[i]!)) out[i] = NUMBER;
  }
  return out;
}

/** One catalogue line from a file below /proc/sys and its content (undefined when it cannot be read). */
export function catalogueEntry(path: string, value: string | undefined): { name: string; type: SysctlType } {
  const name = patternOf(path.split("/")).join(".");
  const dotted = path.split("/").join(".");
  if (value === undefined) return { name, type: "write" };
  const type = !TEXT_KEYS.has(dotted) && isIntegers(value) ? "int" : "text";
  return { name, type };
}

/** The catalogue text: sorted lines `NAME TYPE`, one per name (a pattern seen as int and as text is text). */
export function renderCatalogue(entries: readonly { path: string; value: string | undefined }[]): string {
  const types = new Map<string, SysctlType>();
  for (const e of entries) {
    const { name, type } = catalogueEntry(e.path, e.value);
    const prev = types.get(name);
    types.set(name, prev === undefined || prev === type ? type : prev === "write" ? type : type === "write" ? prev : "text");
  }
  return [...types].sort(([a], [b]) => byCodeUnit(a, b)).map(([n, t]) => `${n} ${t}\n`).join("");
}

/** What the kernel's integer handlers take: decimal, `0x` hex or leading-0 octal, signed, separated by blanks. */
export function isIntegers(value: string): boolean {
  const words = value.trim().split(/\s+/);
  return words.length > 0 && words.every((w) => /^[-+]?(?:0[xX][0-9a-fA-F]+|[0-9]+)$/.test(w));
}

interface Trie {
  type?: SysctlType;
  readonly next: Map<string, Trie>;
}

export class SysctlCatalogue {
  private readonly root: Trie = { next: new Map() };
  /** Every name, for suggestions. */
  readonly names: readonly string[];

  constructor(text: string) {
    const names: string[] = [];
    for (const line of text.split("\n")) {
      const [name, type] = line.split(" ");
      if (!name || !type) continue;
      names.push(name);
      let node = this.root;
      for (const part of name.split(".")) {
        let child = node.next.get(part);
        if (!child) node.next.set(part, (child = { next: new Map() }));
        node = child;
      }
      node.type = type as SysctlType;
    }
    this.names = names;
  }

  /** The type of a known name (as written in a policy), or undefined for a name the catalogue does not hold. */
  lookup(key: string): SysctlType | undefined {
    const parts = patternOf(nameParts(key));
    let node: Trie | undefined = this.root;
    for (const p of parts) {
      node = node.next.get(p);
      if (!node) return undefined;
    }
    return node.type;
  }

  /** The known name closest to `key` by `closest`, written with the key's own interface. */
  suggest(key: string, closest: (word: string, candidates: readonly string[]) => string | undefined): string | undefined {
    const parts = nameParts(key);
    const pattern = patternOf(parts).join(".");
    const limit = Math.max(1, Math.floor(pattern.length / 3));
    const near = this.names.filter((n) => Math.abs(n.length - pattern.length) <= limit);
    const found = closest(pattern, near);
    if (found === undefined) return undefined;
    const out = found.split(".").map((p, i) => (p === IFACE || p === NUMBER ? (parts[i] ?? p) : p));
    // Written back in the key's own form: slashed, or dotted with `/` for a dot inside a part.
    const slashed = key.indexOf("/") >= 0 && (key.indexOf(".") < 0 || key.indexOf("/") < key.indexOf("."));
    return slashed ? out.join("/") : out.map((p) => p.replace(/\./g, "/")).join(".");
  }
}
