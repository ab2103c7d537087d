/** What the apt folder declares besides its behaviour: its codes, shell files, docs page and samples. */
import { e, w } from "../../diagnostics/codes.js";
import type { ModuleAbout } from "../module.js";

export const about: ModuleAbout = {
  band: "DB27",
  codes: {
    DB2701: e("Reported when an apt package name is not a valid Debian package name."),
    DB2702: e("Reported when an apt package version is not a valid Debian version."),
    DB2703: e("Reported when a debconf entry is not valid (question, type, or answer)."),
    DB2704: e("Reported when an apt repository is not valid (url, distributions, components, or key)."),
    DB2705: w("Reported when apt strict mode is on: every installed package that the policy does not list will be purged."),
    DB2706: e("Reported when an apt package is both requested and blacklisted, or both whitelisted and blacklisted."),
    DB2707: e("Reported when an apt package name is one apt-get would read as something else: a trailing `-` (remove) or a pattern such as `lib.+`."),
    DB2708: w("Reported when an apt package name ends in one `+`, which apt-get reads as \"install\" the name without it unless a package has this exact name."),
  },
  shellFiles: ["src/modules/apt/apt.sh", "src/modules/apt/apt-remove.sh", "src/modules/apt/apt-sources.sh"],
  docs: "docs/modules/apt.md",
  checkSample: "set apt package less = \"590-2\"\nset apt package chrony {}\n",
  benchSample: (n) => `set apt package chrony = "4.3-2+deb12u${n % 9}"`,
};
