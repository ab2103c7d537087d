/** What the sysctl folder declares besides its behaviour: its codes, shell files, docs page and samples. */
import { e, w } from "../../diagnostics/codes.js";
import type { ModuleAbout } from "../module.js";

export const about: ModuleAbout = {
  band: "DB21",
  codes: {
    DB2101: e("Reported when a sysctl key is not a valid tunable name (dotted or slashed path of `[A-Za-z0-9_-]` parts)."),
    DB2102: e("Reported when a sysctl value is empty or contains characters the kernel interface cannot take (newline, `=`)."),
    DB2103: e("Reported when a sysctl that takes only whole numbers (per the catalogue of a real kernel's /proc/sys) is given something else (`vm.nr_hugepages = lots`)."),
    DB2104: w("Reported when a sysctl name is not in the catalogue of a real kernel's /proc/sys: a misspelling (`vm.swapiness`), or a name a kernel module or a newer kernel adds."),
  },
  shellFiles: ["src/modules/sysctl/sysctl.sh"],
  docs: "docs/modules/sysctl.md",
  checkSample: "set sysctl net.ipv4.ip_forward = 1\nset sysctl net.ipv4.ip_local_port_range = \"32768 60999\"\n",
  benchSample: (n) => [`set sysctl vm.swappiness = ${n % 100}`, `set sysctl net.core.somaxconn = ${1024 + n}`, `set sysctl vm.nr_hugepages = ${(n % 64) * 512}`][n % 3]!,
};
