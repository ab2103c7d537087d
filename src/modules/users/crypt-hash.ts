/**
 * Checks that a password is a crypt(3) hash that libxcrypt can verify, or `*`/`!` (no password / locked).
 * Every pattern is anchored and pins the scheme's alphabet and lengths; problems never quote the hash.
 */

/** crypt's base-64 alphabet, in its own order (the order matters for the canonical last character). */
const CRYPT64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** bcrypt uses the same characters in a different order. */
const BCRYPT64 = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const C = "[./0-9A-Za-z]";

/**
 * A hash part of n characters encodes `bits` bits, so its last character carries 6n - bits unused bits, which are zero
 * in every hash crypt produces; a hash ending otherwise can never match any password. crypt's own encoding is
 * little-endian (the unused bits are the high bits of the last character); bcrypt's is big-endian (the low bits).
 */
function canonicalEnd(part: string, bits: number, alphabet: string, order: "little" | "big"): boolean {
  const unused = part.length * 6 - bits;
  const last = alphabet.indexOf(part[part.length - 1] ?? "");
  if (last < 0) return false;
  return order === "little" ? last < 1 << (6 - unused) : last % (1 << unused) === 0;
}

interface Scheme {
  readonly name: string;
  readonly prefix: RegExp;
  /** The problem with a hash that starts with this scheme's prefix, if any. */
  readonly problem: (hash: string) => string | undefined;
}

/** `$1$`, `$5$`, `$6$`: MD5-crypt and SHA-crypt. SHA-crypt takes an optional `rounds=N$` (1000..999999999). */
function shaLike(id: string, name: string, maxSalt: number, hashLength: number, bits: number, rounds: boolean): Scheme {
  const re = new RegExp(`^\\$${id}\\$${rounds ? "(?:rounds=([0-9]+)\\$)?" : ""}(${C}{0,${maxSalt}})\\$(${C}*)$`);
  return {
    name,
    prefix: new RegExp(`^\\$${id}\\$`),
    problem(hash) {
      const m = re.exec(hash);
      if (!m) return `a \`$${id}$\` (${name}) hash is \`$${id}$${rounds ? "[rounds=N$]" : ""}SALT$HASH\` with a salt of at most ${maxSalt} characters from [./0-9A-Za-z]`;
      const r = rounds ? m[1] : undefined;
      if (r !== undefined && (!/^[1-9][0-9]*$/.test(r) || Number(r) < 1000 || Number(r) > 999_999_999)) {
        return `\`rounds=\` must be a number from 1000 to 999999999 without leading zeros`;
      }
      const part = m[rounds ? 3 : 2]!;
      if (part.length !== hashLength) return `the hash part of a \`$${id}$\` (${name}) hash has ${hashLength} characters, found ${part.length}`;
      if (!canonicalEnd(part, bits, CRYPT64, "little")) return `the last character of the hash part cannot occur in a \`$${id}$\` hash (it was cut or edited)`;
      return undefined;
    },
  };
}

const bcrypt: Scheme = {
  name: "bcrypt",
  prefix: /^\$2[aby]\$/,
  problem(hash) {
    const m = /^\$2[aby]\$([0-9]{2})\$([./A-Za-z0-9]{22})([./A-Za-z0-9]{31})$/.exec(hash);
    if (!m) return "a bcrypt hash is `$2b$CC$` (a two-digit cost) followed by 53 characters from [./A-Za-z0-9]";
    const cost = Number(m[1]);
    if (cost < 4 || cost > 31) return `the bcrypt cost must be from 04 to 31, found ${m[1]}`;
    if (!canonicalEnd(m[2]!, 128, BCRYPT64, "big") || !canonicalEnd(m[3]!, 184, BCRYPT64, "big")) {
      return "the bcrypt salt or hash ends in a character bcrypt never produces (it was cut or edited)";
    }
    return undefined;
  },
};

/**
 * yescrypt's variable-length number encoding (libxcrypt `decode64_uint32`): the first character says how many follow.
 * Returns the value and the characters used, or undefined.
 */
function decodeUint32(s: string, at: number, min: number): { value: number; next: number } | undefined {
  let c = CRYPT64.indexOf(s[at] ?? "");
  if (c < 0) return undefined;
  let start = 0, end = 47, chars = 1, bits = 0, value = min;
  while (c > end) {
    value += (end + 1 - start) * 2 ** bits;
    start = end + 1;
    end = start + Math.floor((62 - end) / 2);
    chars++;
    bits += 6;
  }
  value += (c - start) * 2 ** bits;
  let next = at + 1;
  while (--chars > 0) {
    c = CRYPT64.indexOf(s[next++] ?? "");
    if (c < 0) return undefined;
    bits -= 6;
    value += c * 2 ** bits;
  }
  return value <= 0xffffffff ? { value, next } : undefined;
}

/**
 * yescrypt's parameter field: flavor, log2 N, r, then optionally a bit set saying p and t follow (libxcrypt
 * `yescrypt_decode_params_r`). libxcrypt computes only the flavors 0, 1 and its default (`j`), with N of at least 4 and
 * without the g and ROM extensions; any other field makes crypt fail, so the account could never log in.
 */
function yescryptParamsOk(p: string): boolean {
  const flavor = decodeUint32(p, 0, 0);
  if (!flavor || ![0, 1, 47].includes(flavor.value)) return false;
  const nLog2 = decodeUint32(p, flavor.next, 1);
  if (!nLog2 || nLog2.value < 2 || nLog2.value > 63) return false;
  let at = decodeUint32(p, nLog2.next, 1)?.next;
  if (at === undefined) return false;
  if (at < p.length) {
    const have = decodeUint32(p, at, 1);
    if (!have || have.value & ~3) return false;
    at = have.next;
    for (const [bit, min] of [[1, 2], [2, 1]] as const) {
      if (!(have.value & bit)) continue;
      const v = decodeUint32(p, at, min);
      if (!v) return false;
      at = v.next;
    }
  }
  return at === p.length;
}

/**
 * Whether a yescrypt salt decodes exactly (libxcrypt `decode64`): groups of 4 characters make 3 bytes; a final group
 * of 2 or 3 makes 1 or 2 bytes and its unused high bits must be zero; a final group of 1 is invalid.
 */
function yescryptSaltOk(salt: string): boolean {
  const rest = salt.length % 4;
  if (rest === 1) return false;
  return rest === 0 || canonicalEnd(salt.slice(-rest), rest === 2 ? 8 : 16, CRYPT64, "little");
}

/** yescrypt: `$y$PARAMS$SALT$HASH`, a 256-bit hash in 43 characters; salt up to 64 bytes (86 characters). */
const yescrypt: Scheme = {
  name: "yescrypt",
  prefix: /^\$y\$/,
  problem(hash) {
    const m = new RegExp(`^\\$y\\$(${C}+)\\$(${C}{0,86})\\$(${C}*)$`).exec(hash);
    if (!m) return "a yescrypt hash is `$y$PARAMS$SALT$HASH` with parameters, a salt of at most 86 characters and a hash from [./0-9A-Za-z]";
    if (!yescryptParamsOk(m[1]!)) return "the parameter field of the yescrypt hash does not decode (it was cut or edited)";
    if (!yescryptSaltOk(m[2]!)) return "the salt of the yescrypt hash does not decode (it was cut or edited)";
    if (m[3]!.length !== 43) return `the hash part of a yescrypt hash has 43 characters, found ${m[3]!.length}`;
    if (!canonicalEnd(m[3]!, 256, CRYPT64, "little")) return "the last character of the hash part cannot occur in a yescrypt hash (it was cut or edited)";
    return undefined;
  },
};

const SCHEMES: readonly Scheme[] = [
  shaLike("1", "MD5", 8, 22, 128, false),
  shaLike("5", "SHA-256", 16, 43, 256, true),
  shaLike("6", "SHA-512", 16, 86, 512, true),
  bcrypt,
  yescrypt,
];

/** Values that mean "no password": `*` (none) and `!` (locked). */
export const NO_PASSWORD = ["*", "!"] as const;

/** What is wrong with `value` as a password, or undefined when it is a usable hash or `*`/`!`. Never quotes `value`. */
export function cryptHashProblem(value: string): string | undefined {
  if ((NO_PASSWORD as readonly string[]).includes(value)) return undefined;
  const scheme = SCHEMES.find((s) => s.prefix.test(value));
  if (!scheme) {
    return value.startsWith("$")
      ? "the password uses a crypt scheme that is not supported (use `$6$`, `$5$`, `$y$`, `$2b$` or `$1$`)"
      : "the password is not a crypt hash; write the hash, never the password itself";
  }
  return scheme.problem(value);
}

/** True for a real hash, false for `*`/`!`: whether the user can log in with a password. */
export function isRealHash(value: string): boolean {
  return !(NO_PASSWORD as readonly string[]).includes(value);
}
