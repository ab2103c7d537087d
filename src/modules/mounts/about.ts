/** What the mounts folder declares besides its behaviour: its codes, shell files, docs page and samples. */
import { e, w } from "../../diagnostics/codes.js";
import type { ModuleAbout } from "../module.js";

export const about: ModuleAbout = {
  band: "DB22",
  codes: {
    DB2201: e("Reported when a mount target is not an absolute path, or is `/`."),
    DB2202: e("Reported when two mounts of one variant have the same target."),
    DB2203: e("Reported when a mount device, type, option, or unit name contains a character that would break the systemd unit file."),
    DB2204: e("Reported when a mount target is not written normalised (`//`, `/./`, `/../` or a trailing `/`), or is too long for a systemd unit name."),
    DB2205: e("Reported when a mount target would hide what the node or dbellc needs: `/proc`, `/sys`, `/dev`, or `/etc/systemd/system` or `/var/divingbell` and below."),
    DB2206: w("Reported when a mount target is a parent of `/etc/systemd/system` or `/var/divingbell` (`/etc`, `/var`), which the mount hides unless the mounted file system holds them too."),
    DB2207: e("Reported when a mount device or options start with `-`, which `mount` would read as an option."),
  },
  shellFiles: ["src/modules/mounts/mounts.sh"],
  docs: "docs/modules/mounts.md",
  checkSample: "set mounts scratch { target = /var/lib/scratch  device = tmpfs  type = tmpfs  options = \"size=1G,mode=1777\" }\n",
  benchSample: (n) => `set mounts scratch { target = /var/lib/scratch  device = tmpfs  type = tmpfs  options = "size=${1 + (n % 32)}G,mode=1777,nosuid,nodev" }`,
};
