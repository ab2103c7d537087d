/** What the apparmor folder declares besides its behaviour: its codes, shell files, docs page and samples. */
import { e, w } from "../../diagnostics/codes.js";
import type { ModuleAbout } from "../module.js";

export const about: ModuleAbout = {
  band: "DB29",
  codes: {
    DB2901: e("Reported when an AppArmor profile name is not a plain file name or its text is empty."),
    DB2902: e("Reported when an AppArmor profile name is one AppArmor uses itself in /etc/apparmor.d (`abstractions`, `local`, ...) or one its boot loader skips (`*.dpkg-new`, `*~`, ...)."),
    DB2903: w("Reported when two AppArmor profile files declare the same profile name, so one replaces the other in the kernel."),
  },
  shellFiles: ["src/modules/apparmor/apparmor.sh"],
  docs: "docs/modules/apparmor.md",
  checkSample: "set apparmor profile dbell-test = \"\"\"\n  profile dbell-test /usr/bin/true {\n    /usr/bin/true mr,\n  }\n  \"\"\"\n",
  benchSample: (n) => `set apparmor complain_mode = ${n % 2 ? "true" : "false"}`,
};
