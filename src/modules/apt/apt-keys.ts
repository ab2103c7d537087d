/**
 * ASCII-armored OpenPGP public keys (RFC 4880 §6): checked at compile time and turned into the binary keyring apt reads
 * from /etc/apt/trusted.gpg.d/divingbell.gpg, so the node needs neither gpg nor the deprecated apt-key.
 */

const BEGIN = "-----BEGIN PGP PUBLIC KEY BLOCK-----";
const END = "-----END PGP PUBLIC KEY BLOCK-----";
const PUBLIC_KEY_TAG = 6;

export type Dearmored = { readonly ok: true; readonly bytes: Buffer } | { readonly ok: false; readonly problem: string };

/** OpenPGP's CRC-24 (RFC 4880 §6.1), the `=XXXX` line of an armored block. */
export function crc24(data: Uint8Array): number {
  let crc = 0xb704ce;
  for (const b of data) {
    crc ^= b << 16;
    for (let i = 0; i < 8; i++) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= 0x1864cfb;
    }
  }
  return crc & 0xffffff;
}

/** The packet tag of the first packet: new format `11tttttt`, old format `10ttttll`. */
function firstTag(bytes: Buffer): number | undefined {
  const b = bytes[0];
  if (b === undefined || (b & 0x80) === 0) return undefined;
  return b & 0x40 ? b & 0x3f : (b >> 2) & 0x0f;
}

/** Every public key block in `text`, decoded and concatenated; whitespace around the blocks is allowed. */
export function dearmorKeys(text: string): Dearmored {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const parts: Buffer[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line === "") {
      i++;
      continue;
    }
    if (/^-----BEGIN PGP PRIVATE KEY BLOCK-----$/.test(line)) return { ok: false, problem: "it is a private key; apt needs the public key" };
    if (line !== BEGIN) return { ok: false, problem: `expected \`${BEGIN}\`, found \`${line.slice(0, 40)}\`` };
    i++;
    while (i < lines.length && /^[A-Za-z][A-Za-z0-9-]*: /.test(lines[i]!)) i++;
    let body = "";
    let checksum: string | undefined;
    for (; i < lines.length && lines[i] !== END; i++) {
      const l = lines[i]!;
      if (l === "") continue;
      if (/^=[A-Za-z0-9+/]{4}$/.test(l)) checksum = l.slice(1);
      else if (/^[A-Za-z0-9+/]+={0,2}$/.test(l) && checksum === undefined) body += l;
      else return { ok: false, problem: `line \`${l.slice(0, 40)}\` is not part of an armored key` };
    }
    if (i >= lines.length) return { ok: false, problem: `the key block has no \`${END}\` line` };
    i++;
    if (body.length === 0 || body.length % 4 !== 0) return { ok: false, problem: "the key data is empty or cut short" };
    const bytes = Buffer.from(body, "base64");
    if (checksum !== undefined && Buffer.from(checksum, "base64").readUIntBE(0, 3) !== crc24(bytes)) {
      return { ok: false, problem: "the checksum line does not match the key data (the key was changed or cut)" };
    }
    if (firstTag(bytes) !== PUBLIC_KEY_TAG) return { ok: false, problem: "the block does not start with a public key packet" };
    parts.push(bytes);
  }
  if (parts.length === 0) return { ok: false, problem: "it holds no key block" };
  return { ok: true, bytes: Buffer.concat(parts) };
}
