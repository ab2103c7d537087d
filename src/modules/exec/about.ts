/** What the exec folder declares besides its behaviour: its codes, shell files, docs page and samples. */
import { e } from "../../diagnostics/codes.js";
import type { ModuleAbout } from "../module.js";

export const about: ModuleAbout = {
  band: "DB26",
  codes: {
    DB2601: e("Reported when an exec script name is not a plain file name."),
    DB2602: e("Reported when an exec environment variable name is not a valid shell identifier."),
    DB2603: e("Reported when an exec timeout is not a positive whole number of seconds."),
    DB2604: e("Reported when an exec script's text is empty (or only blank) or contains a NUL character."),
    DB2605: e("Reported when an exec rerun or retry option cannot take effect: a rerun option without `rerun_policy = always`, a retry option with `rerun_policy = never`, or an `*_interval_persist` without a finite interval."),
    DB2606: e("Reported when an exec script name is one exec uses for its own files: 64 hexadecimal digits (a run record) or a name ending in `.dbell-tmp`."),
  },
  shellFiles: ["src/modules/exec/exec.sh"],
  docs: "docs/modules/exec.md",
  checkSample: "set exec 10-hello { script = \"\"\"\n  #!/bin/bash\n  echo \"it's $(hostname)\"\n  \"\"\"\n  args = [a, 'b c']  env { GREETING = \"hi there\" }  timeout = 60 }\n",
  benchSample: (n) => `set exec 10-tune-${n % 20} {\n  script = """\n    #!/bin/bash\n    echo tuning ${n}\n    """\n  timeout = ${60 + (n % 600)}\n}`,
};
