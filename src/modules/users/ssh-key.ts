/**
 * Checks one authorized_keys line as sshd reads it (sshd(8) "AUTHORIZED_KEYS FILE FORMAT"): optional options, a key
 * type, a base64 public-key blob that decodes into a key of that same type, and an optional comment.
 */
import { didYouMean } from "../../diagnostics/suggest.js";

/** The key types accepted, and the fields their wire-format blob holds after the type name (RFC 4253, 5656, 8709, PROTOCOL.u2f). */
const KEY_FIELDS: Readonly<Record<string, readonly Field[]>> = {
  "ssh-rsa": ["mpint", "mpint"],
  "ssh-dss": ["mpint", "mpint", "mpint", "mpint"],
  "ssh-ed25519": [{ bytes: 32 }],
  "ecdsa-sha2-nistp256": [{ literal: "nistp256" }, { bytes: 65 }],
  "ecdsa-sha2-nistp384": [{ literal: "nistp384" }, { bytes: 97 }],
  "ecdsa-sha2-nistp521": [{ literal: "nistp521" }, { bytes: 133 }],
  "sk-ssh-ed25519@openssh.com": [{ bytes: 32 }, "string"],
  "sk-ecdsa-sha2-nistp256@openssh.com": [{ literal: "nistp256" }, { bytes: 65 }, "string"],
};

type Field = "mpint" | "string" | { readonly bytes: number } | { readonly literal: string };

export const KEY_TYPES: readonly string[] = Object.keys(KEY_FIELDS);

/** The options sshd knows; those marked true take a `="value"`. sshd refuses a line with any other option. */
const OPTIONS: Readonly<Record<string, boolean>> = {
  "agent-forwarding": false, "cert-authority": false, command: true, environment: true, "expiry-time": true, from: true,
  "no-agent-forwarding": false, "no-port-forwarding": false, "no-pty": false, "no-user-rc": false, "no-x11-forwarding": false,
  "no-touch-required": false, permitlisten: true, permitopen: true, "port-forwarding": false, principals: true, pty: false,
  restrict: false, tunnel: true, "user-rc": false, "verify-required": false, "x11-forwarding": false,
};

/** The word that marks a user whose authorized_keys file is left alone. */
export const UNMANAGED = "Unmanaged";

export interface KeyProblem {
  readonly message: string;
  readonly help?: string;
}

/** What is wrong with `line` as an authorized_keys line, or undefined. */
export function sshKeyProblem(line: string): KeyProblem | undefined {
  if (/[\u0000-\u0008\n\u000b-\u001f\u007f]/.test(line)) return { message: "ssh key contains a newline or control character", help: "write each key as its own list item" };
  let rest = line.trim();
  if (rest === "") return { message: "ssh key is empty" };
  if (rest.startsWith("#")) return { message: "ssh key is a comment, not a key" };
  const first = /^\S+/.exec(rest)![0];
  if (!Object.hasOwn(KEY_FIELDS, first) && (Object.hasOwn(OPTIONS, first.toLowerCase()) || /[=,]/.test(first))) {
    const opts = readOptions(rest);
    if (typeof opts === "object") return opts;
    rest = rest.slice(opts).trimStart();
  }
  const m = /^(\S+)(?:[ \t]+(\S+))?/.exec(rest)!;
  const type = m[1]!;
  if (!Object.hasOwn(KEY_FIELDS, type)) {
    const hint = didYouMean(type, KEY_TYPES);
    return { message: `\`${type}\` is not a supported ssh key type`, help: hint ?? `supported types: ${KEY_TYPES.map((t) => `\`${t}\``).join(", ")}` };
  }
  if (m[2] === undefined) return { message: `the \`${type}\` key has no base64 key data after its type` };
  return blobProblem(type, m[2]);
}

/** Reads `opt,opt="v",...` at the start of `s`: the length read, or the problem. */
function readOptions(s: string): number | KeyProblem {
  const re = /([A-Za-z0-9_-]+)(=)?/y;
  let i = 0;
  for (;;) {
    re.lastIndex = i;
    const m = re.exec(s);
    if (!m) return { message: `ssh key does not start with a key type or options`, help: `supported types: ${KEY_TYPES.map((t) => `\`${t}\``).join(", ")}` };
    const name = m[1]!.toLowerCase();
    const takesValue = Object.hasOwn(OPTIONS, name) ? OPTIONS[name] : undefined;
    if (takesValue === undefined) {
      const hint = didYouMean(name, Object.keys(OPTIONS));
      return { message: `\`${m[1]}\` is neither an ssh key type nor an authorized_keys option`, help: hint ?? `see sshd(8), AUTHORIZED_KEYS FILE FORMAT` };
    }
    i = re.lastIndex;
    if (takesValue !== (m[2] !== undefined)) return { message: `authorized_keys option \`${name}\` ${takesValue ? "needs a value: `" + name + '="..."`' : "takes no value"}` };
    if (takesValue) {
      const v = /"(?:[^"\\]|\\.)*"/y;
      v.lastIndex = i;
      if (!v.exec(s)) return { message: `the value of authorized_keys option \`${name}\` must be a double-quoted string` };
      i = v.lastIndex;
    }
    if (s[i] === ",") {
      i++;
      continue;
    }
    if (i >= s.length || !/[ \t]/.test(s[i]!)) return { message: "authorized_keys options must be followed by a space and the key" };
    return i;
  }
}

function blobProblem(type: string, b64: string): KeyProblem | undefined {
  const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(b64) && b64.length % 4 === 0 ? Buffer.from(b64, "base64") : undefined;
  if (!bytes || bytes.toString("base64") !== b64) return { message: `the key data of the \`${type}\` key is not valid base64`, help: "copy the key again; it looks cut or altered" };
  const r = new WireReader(bytes);
  const inner = r.string();
  if (inner === undefined) return { message: `the key data of the \`${type}\` key is too short to hold a key` };
  const innerType = inner.toString("latin1");
  if (innerType !== type) return { message: `the key data holds a \`${printable(innerType)}\` key, but the line says \`${type}\``, help: "the type word and the key data must come from the same key" };
  for (const f of KEY_FIELDS[type]!) {
    const v = r.string();
    const ok = v !== undefined && (f === "mpint" || f === "string" || ("bytes" in f ? v.length === f.bytes : v.toString("latin1") === f.literal));
    if (!ok) return { message: `the key data of the \`${type}\` key is damaged (a field is missing or has the wrong size)` };
  }
  if (!r.atEnd()) return { message: `the key data of the \`${type}\` key has extra bytes after the key` };
  return undefined;
}

function printable(s: string): string {
  return /^[\x21-\x7e]{1,64}$/.test(s) ? s : "unreadable";
}

/** Reads SSH wire-format strings: a 4-byte big-endian length, then that many bytes. */
class WireReader {
  private at = 0;
  constructor(private readonly buf: Buffer) {}
  string(): Buffer | undefined {
    if (this.at + 4 > this.buf.length) return undefined;
    const n = this.buf.readUInt32BE(this.at);
    if (this.at + 4 + n > this.buf.length) return undefined;
    const out = this.buf.subarray(this.at + 4, this.at + 4 + n);
    this.at += 4 + n;
    return out;
  }
  atEnd(): boolean {
    return this.at === this.buf.length;
  }
}

