/**
 * Translation of uamlite into `users` (docs/modules/users.md): the `users` list becomes `user NAME { password sudo ssh_keys }`.
 * Divingbell's variable bleed between users is reported, not reproduced.
 */
import type { Span } from "../../diagnostics/span.js";
import { dlist, dmap, scalar, type DMap } from "../../syntax/print-values.js";
import type { ModuleImport } from "../module-import.js";
import { asMap, asSeq, boolValue, isNull, knownFields, nullValue, textList, textValue, type Translation } from "../reader.js";
import { field, type YMap, type YNode } from "../yaml-tree.js";
import { passwordProblem, refuse, sshKeyProblem } from "./refusals.js";

const UNMANAGED = "Unmanaged";
const USER_FIELDS = ["user_name", "user_sudo", "user_crypt_passwd", "user_sshkeys"];

interface ReadUser {
  readonly name: string;
  readonly nameSpan: Span;
  readonly block: DMap;
  /** Divingbell fields the entry sets. */
  readonly has: ReadonlySet<string>;
  /** Whether its keys were `[Unmanaged]` or `[]`, the case whose settings leaked into the next user. */
  readonly unmanagedKeys: boolean;
}

function sshKeys(t: Translation, n: YNode, where: string, user: string): { keys: string[]; unmanaged: boolean } | undefined {
  const seq = asSeq(t, n, where);
  if (!seq) return undefined;
  if (seq.items.length === 0) return { keys: [UNMANAGED], unmanaged: true };
  const first = seq.items[0]!;
  if (first.kind === "scalar" && first.text === UNMANAGED) {
    if (seq.items.length > 1) t.cx.warn(seq.items[1]!.span, `Divingbell ignores the keys after \`${UNMANAGED}\` in \`${where}\`; dropped`);
    return { keys: [UNMANAGED], unmanaged: true };
  }
  const keys = textList(t, n, where, { singleQuoted: true, echoE: true });
  if (!keys) return undefined;
  // Divingbell failed on the first key that does not pass its check.
  const bad = keys.findIndex((k) => sshKeyProblem(user, k) !== undefined);
  if (bad >= 0) {
    const item = seq.items.find((i) => i.kind === "scalar" && i.text === keys[bad]);
    refuse(t, item?.span ?? n.span, where, sshKeyProblem(user, keys[bad]!)!);
    return undefined;
  }
  return { keys, unmanaged: false };
}

function readUser(t: Translation, m: YMap, where: string): ReadUser | undefined {
  const nameEntry = field(m, "user_name");
  const name = nameEntry && !isNull(nameEntry.value) ? textValue(t, nameEntry.value, `${where}.user_name`) : undefined;
  if (!name) {
    t.cx.error(nameEntry?.value.span ?? m.span, `\`${where}\` has no \`user_name\`; dropped`);
    return undefined;
  }
  const block = dmap();
  const has = new Set<string>();
  let unmanagedKeys = false;
  for (const f of knownFields(t, m, USER_FIELDS, where, "Divingbell reads only user_name, user_sudo, user_crypt_passwd and user_sshkeys")) {
    const key = f.key.text;
    if (key === "user_name" || nullValue(t, f.value, [], `${where}.${key}`)) continue;
    has.add(key);
    if (key === "user_sudo") {
      const v = boolValue(t, f.value, `${where}.user_sudo`, "exact");
      if (v !== undefined) block.entries.set("sudo", scalar(v));
    } else if (key === "user_crypt_passwd") {
      const v = textValue(t, f.value, `${where}.user_crypt_passwd`, { singleQuoted: true });
      const problem = v === undefined ? undefined : passwordProblem(name, v);
      if (problem) refuse(t, f.value.span, `${where}.user_crypt_passwd`, problem, "write a crypt hash, e.g. from `mkpasswd -m sha-512`");
      else if (v !== undefined) block.entries.set("password", scalar(v));
    } else {
      const k = sshKeys(t, f.value, `${where}.user_sshkeys`, name);
      if (k) block.entries.set("ssh_keys", dlist(k.keys));
      unmanagedKeys = k?.unmanaged ?? false;
    }
  }
  return { name, nameSpan: nameEntry!.value.span, block, has, unmanagedKeys };
}

function users(t: Translation, n: YNode): void {
  // `users` is a list, so an override replaces every user of the root.
  if (t.mode === "override" && t.root.entries.has("user")) t.out.unset(["user"]);
  const items = { ...t, mode: "root" as const };
  const seen = new Map<string, string>();
  let previous: ReadUser | undefined;
  asSeq(t, n, "uamlite.users")?.items.forEach((item, i) => {
    const where = `uamlite.users[${i}]`;
    const m = asMap(items, item, where);
    const u = m && readUser(items, m, where);
    if (!u) return;
    if (previous?.unmanagedKeys) {
      const leaked = ["user_sudo", "user_crypt_passwd", "user_sshkeys"].filter((k) => previous!.has.has(k) && !u.has.has(k));
      if (leaked.length) {
        t.cx.warn(u.nameSpan, `Divingbell's script gave \`${u.name}\` the ${leaked.map((k) => `\`${k}\``).join(", ")} of \`${previous.name}\`, the user before it whose keys are unmanaged (a bug); the policy gives \`${u.name}\` only its own settings`);
      }
    }
    const before = seen.get(u.name);
    if (before) t.cx.warn(u.nameSpan, `user \`${u.name}\` is also listed at \`${before}\`: Divingbell ran both entries in order; the policy keeps this later one`);
    seen.set(u.name, where);
    t.out.set(["user", u.name], u.block);
    previous = u;
  });
}

export const usersImport: ModuleImport = {
  divingbell: "uamlite",
  name: "users",
  blockAt: (path) => path.length === 2 && path[0] === "user",
  translate(conf, t) {
    for (const f of knownFields(t, conf, ["users", "purge_expired_users"], "uamlite", "Divingbell reads only users and purge_expired_users")) {
      if (f.key.text === "users") {
        users(t, f.value);
        continue;
      }
      if (nullValue(t, f.value, ["purge_expired_users"], "uamlite.purge_expired_users")) continue;
      const v = boolValue(t, f.value, "uamlite.purge_expired_users", "exact");
      if (v !== undefined) t.out.set(["purge_expired_users"], scalar(v));
    }
  },
};
