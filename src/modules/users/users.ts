/** users: local accounts with crypt passwords, sudo and ssh keys, expired or purged when removed (Divingbell's uamlite; docs/modules/users.md). */
import type { MapNode } from "../../ir/ir.js";
import { entry, sortedEntries, subMap, text } from "../../ir/tree.js";
import type { HostModule, ShellCall } from "../module.js";
import { bool, listOf, scalarOf, type DictSchema, type RecordSchema } from "../schema.js";
import { cryptHashProblem, isRealHash } from "./crypt-hash.js";
import { sshKeyProblem, UNMANAGED } from "./ssh-key.js";
import { about } from "./about.js";

/** What is done with `~/.ssh/authorized_keys`: left alone, or made to hold exactly these keys (none: removed). */
export type SshKeys = { readonly kind: "Unmanaged" } | { readonly kind: "Managed"; readonly keys: readonly string[] };

export interface UserSetting {
  readonly name: string;
  /** A crypt hash, or `*` (no password) / `!` (locked). */
  readonly password: string;
  readonly sudo: boolean;
  readonly sshKeys: SshKeys;
}

/** What happens to the built-in `ubuntu` account (docs/modules/users.md): decided here, at compile time, from the users' settings. */
export type BuiltinAccount = "expire" | "unexpire" | "managed";

export interface UsersSettings {
  /** Sorted by name. */
  readonly users: readonly UserSetting[];
  readonly purgeExpiredUsers: boolean;
  readonly builtin: BuiltinAccount;
}

export const BUILTIN_ACCOUNT = "ubuntu";

/** useradd's rule for portable names (shadow's is_valid_user_name), and its length limit. */
const USER_NAME = /^[a-z_][a-z0-9_-]*[$]?$/;
const USER_NAME_MAX = 32;

const userSchema: RecordSchema = {
  kind: "Record",
  doc: "One local user.",
  fields: {
    password: {
      doc: "a crypt hash (`$6$...`, `$5$...`, `$y$...`, `$2b$...`, `$1$...`), `*` for no password or `!` for locked; default `*`",
      schema: scalarOf("a crypt hash, `*` or `!`", (n, r) => {
        const problem = cryptHashProblem(n.text);
        // The message describes the problem only: the value is a secret and must not reach logs or CI output.
        if (problem) r.report("DB2802", n.origin, `password is not a usable crypt hash: ${problem}`, { help: "make one with `mkpasswd -m sha-512` or `openssl passwd -6`" });
      }),
    },
    sudo: { doc: "`true` installs /etc/sudoers.d/divingbell-NAME-sudo granting `ALL=(ALL) NOPASSWD:ALL`; default `false`", schema: bool("grant passwordless sudo") },
    ssh_keys: {
      doc: "authorized_keys lines; `[Unmanaged]` leaves the file alone; absent or `[]` removes it",
      schema: listOf(
        "authorized_keys lines, or `[Unmanaged]`",
        scalarOf("one authorized_keys line", (n, r) => {
          if (n.text === UNMANAGED) return;
          const p = sshKeyProblem(n.text);
          if (!p) return;
          const help = n.text.toLowerCase() === UNMANAGED.toLowerCase() ? `did you mean \`${UNMANAGED}\`?` : p.help;
          r.report("DB2803", n.origin, p.message, help ? { help } : {});
        }),
      ),
    },
  },
};

const usersDict: DictSchema = {
  kind: "Dict",
  doc: "Users by name: `set users user NAME { ... }`.",
  keyDoc: "a user name as useradd accepts it: lower-case letters, digits, `_` and `-`, at most 32 characters",
  key: (key, span, r) => {
    if (key.length > USER_NAME_MAX) r.report("DB2801", span, `user name \`${key}\` is longer than ${USER_NAME_MAX} characters`);
    else if (!USER_NAME.test(key)) {
      const help = USER_NAME.test(key.toLowerCase()) ? `user names are lower-case: \`${key.toLowerCase()}\`` : "start with a lower-case letter or `_`, then lower-case letters, digits, `_` or `-` (an optional final `$`)";
      r.report("DB2801", span, `\`${key}\` is not a valid user name`, { help });
    }
  },
  value: userSchema,
};

const schema: RecordSchema = {
  kind: "Record",
  doc: "Local users: `set users user NAME { ... }`, `set users purge_expired_users = true`.",
  fields: {
    user: { schema: usersDict, doc: "the users this node has" },
    purge_expired_users: { schema: bool("delete removed users instead of expiring them"), doc: "`true` deletes users removed from the policy with their home; default `false` (expire them)" },
  },
};

function sshKeysOf(user: MapNode): SshKeys {
  const node = entry(user, "ssh_keys");
  const keys = node?.kind === "List" ? node.items.map((i) => i.text) : [];
  return keys.includes(UNMANAGED) ? { kind: "Unmanaged" } : { kind: "Managed", keys };
}

/**
 * Divingbell's rule for the built-in account: expire it once another user can log in with a password and use sudo,
 * and another (maybe the same) user with sudo has ssh keys; otherwise keep it usable as a fallback console login.
 * When the policy lists the account itself, the policy manages it like any other user.
 */
export function builtinAccountAction(users: readonly UserSetting[]): BuiltinAccount {
  if (users.some((u) => u.name === BUILTIN_ACCOUNT)) return "managed";
  const passwordVote = users.some((u) => u.sudo && isRealHash(u.password));
  const sshVote = users.some((u) => u.sudo && u.sshKeys.kind === "Managed" && u.sshKeys.keys.length > 0);
  return passwordVote && sshVote ? "expire" : "unexpire";
}

export const users: HostModule<UsersSettings> = {
  name: "users",
  summary: "local users: crypt passwords, sudo, ssh keys; removed users are expired or purged",
  schema,
  check(config, report) {
    for (const u of subMap(config, "user")?.entries.values() ?? []) {
      const keys = u.value.kind === "Map" ? entry(u.value, "ssh_keys") : undefined;
      if (keys?.kind !== "List") continue;
      const marker = keys.items.find((i) => i.text === UNMANAGED);
      const real = keys.items.filter((i) => i.text !== UNMANAGED);
      if (marker && real.length > 0) {
        report.report("DB2804", marker.origin, `\`${UNMANAGED}\` is mixed with ssh keys for user \`${u.key}\``, {
          related: real.map((k) => ({ message: "a key listed here", span: k.origin })),
          help: `write \`ssh_keys = [${UNMANAGED}]\` to leave authorized_keys alone, or list only keys to manage it`,
        });
      }
    }
  },
  settings(config) {
    const list = subMap(config, "user");
    const all = (list ? sortedEntries(list) : []).map((e): UserSetting => {
      const u = e.value as MapNode;
      return { name: e.key, password: text(u, "password") ?? "*", sudo: text(u, "sudo") === "true", sshKeys: sshKeysOf(u) };
    });
    return { users: all, purgeExpiredUsers: text(config, "purge_expired_users") === "true", builtin: builtinAccountAction(all) };
  },
  bashCalls(s) {
    // One read of the account databases and of the listed users' files first, so that checking costs no process per
    // user. Every field of every user is an argument of that user's own call: nothing carries over between users.
    const calls: ShellCall[] = [{ fn: "users_load", args: s.users.map((u) => u.name) }];
    calls.push(...s.users.map((u) => ({
      fn: "users_apply",
      args: [u.name, u.password, String(u.sudo), ...(u.sshKeys.kind === "Unmanaged" ? ["unmanaged"] : ["managed", ...u.sshKeys.keys])],
    })));
    calls.push({ fn: "users_finish", args: [s.purgeExpiredUsers ? "purge" : "expire", s.builtin, ...s.users.map((u) => u.name)] });
    return calls;
  },
  // Not privileged (Divingbell's uamlite is, "useradd hangs without it"; no hang shows here). Measured by dropping one
  // capability at a time on a booted node: useradd needs CHOWN (it chowns the new /etc/shadow), userdel --remove
  // DAC_OVERRIDE (the user's own 0700 directories), setpriv SETUID and SETGID (keys are written as the user), chroot
  // SYS_CHROOT. All are in Docker's and containerd's defaults; listed so a runtime with fewer defaults still works.
  about,
  pod: {
    hostScript: "uamlite_host.sh",
    runner: "chroot",
    capabilities: ["CHOWN", "DAC_OVERRIDE", "SETGID", "SETUID", "SYS_CHROOT"],
    readOnlyRootFilesystem: false,
    hostNetwork: false,
    hostPID: false,
    settingsIn: "Secret",
  },
};
