/** What the perm folder declares besides its behaviour: its codes, shell files, docs page and samples. */
import { e } from "../../diagnostics/codes.js";
import type { ModuleAbout } from "../module.js";

export const about: ModuleAbout = {
  band: "DB25",
  codes: {
    DB2501: e("Reported when a perm mode is not an octal mode (`0640`, `755`) or a symbolic chmod mode."),
    DB2502: e("Reported when a perm owner or group is not a valid user or group name or numeric id."),
    DB2503: e("Reported when a perm path is not absolute."),
    DB2504: e("Reported when an interval is below 60 seconds or above 2147483647, or a finite interval is combined with a rerun policy that never reruns."),
    DB2505: e("Reported when a perm path is one root must not change: `/`, a top-level glob such as `/*`, anything under `/proc`, `/sys` or `/var/divingbell`, or a path with a `.` or `..` part."),
  },
  shellFiles: ["src/modules/perm/perm.sh", "src/modules/perm/perm-apply.sh"],
  docs: "docs/modules/perm.md",
  checkSample: "set perm /etc/kubernetes/*.conf { owner = root  group = root  mode = 0600 }\nset perm rerun_policy = always\n",
  benchSample: (n) => `set perm /etc/kubernetes/pki/node-${n % 50}.key { owner = root  group = root  mode = 0600 }`,
};
