/** What the ethtool folder declares besides its behaviour: its codes, shell files, docs page and samples. */
import { e, w } from "../../diagnostics/codes.js";
import type { ModuleAbout } from "../module.js";

export const about: ModuleAbout = {
  band: "DB23",
  codes: {
    DB2301: e("Reported when an ethtool feature value is not `on` or `off`."),
    DB2302: e("Reported when an ethtool interface or feature name is not a valid name."),
    DB2303: w("Reported when an ethtool feature name is well formed but not one `ethtool -k` is known to print (a misspelling, or a feature of a newer kernel)."),
    DB2304: e("Reported when one ethtool feature of an interface is set under two names, such as `tso` and `tcp-segmentation-offload`."),
  },
  shellFiles: ["src/modules/ethtool/ethtool.sh"],
  docs: "docs/modules/ethtool.md",
  checkSample: "set ethtool ens3 { tx-tcp-segmentation = off  tx-checksum-ip-generic = on }\n",
  benchSample: (n) => `set ethtool ens${3 + (n % 4)} { tx-tcp-segmentation = ${n % 2 ? "on" : "off"}  generic-receive-offload = off }`,
};
