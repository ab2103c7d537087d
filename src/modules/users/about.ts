/** What the users folder declares besides its behaviour: its codes, shell files, docs page and samples. */
import { e } from "../../diagnostics/codes.js";
import type { ModuleAbout } from "../module.js";

/** A well-formed ed25519 public key line for the benchmark (type, then base64 of the length-prefixed type and key). */
function sshKey(n: number): string {
  const type = Buffer.from("ssh-ed25519");
  const blob = Buffer.alloc(4 + type.length + 4 + 32, n + 1);
  blob.writeUInt32BE(type.length, 0);
  type.copy(blob, 4);
  blob.writeUInt32BE(32, 4 + type.length);
  return `ssh-ed25519 ${blob.toString("base64")}`;
}

export const about: ModuleAbout = {
  band: "DB28",
  codes: {
    DB2801: e("Reported when a user name is not a valid local user name."),
    DB2802: e("Reported when a password is not a crypt hash of a supported scheme (`$1$`, `$5$`, `$6$`, `$2a$`/`$2b$`/`$2y$`, `$y$`) or `*`/`!`."),
    DB2803: e("Reported when an ssh key is not a valid authorized_keys line."),
    DB2804: e("Reported when `Unmanaged` is mixed with real keys in `ssh_keys`."),
  },
  shellFiles: ["src/modules/users/users.sh"],
  docs: "docs/modules/users.md",
  checkSample: "set users user ops { password = '$6$abcdefgh$q8PNuqrgWlkWKSE0DQ6eMQS9.Fxwd1ch8wCJ8zp0fygUC5Uhd2FqxHUQ8shWbXCYnFEvgc3SH5ePvzSywvyJ0.'  sudo = true  ssh_keys = [\"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOWfNIEgVBmR3R6EM10RwVjXXxRG3iKE2oxOxMHfEzqr ops@bastion\"] }\n",
  benchSample: (n) => `set users user svc-${n % 30} { sudo = ${n % 2 ? "true" : "false"}  ssh_keys = ["${sshKey(n % 10)} svc@bastion"] }`,
};
