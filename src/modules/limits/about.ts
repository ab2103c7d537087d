/** What the limits folder declares besides its behaviour: its codes, shell files, docs page and samples. */
import { e } from "../../diagnostics/codes.js";
import type { ModuleAbout } from "../module.js";

export const about: ModuleAbout = {
  band: "DB24",
  codes: {
    DB2401: e("Reported when a limits domain, type, item or value is not valid for pam_limits."),
    DB2402: e("Reported when a limits entry name is not usable as a file name."),
  },
  shellFiles: ["src/modules/limits/limits.sh"],
  docs: "docs/modules/limits.md",
  checkSample: "set limits nofile { domain = \"*\"  type = soft  item = nofile  value = 4096 }\n",
  benchSample: (n) => `set limits nofile-soft { domain = "*"  type = soft  item = nofile  value = ${4096 + n} }`,
};
