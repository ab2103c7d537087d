/** What the toy folder declares besides its behaviour: its codes, shell files, docs page and samples. */
import { e } from "../../../src/diagnostics/codes.js";
import type { ModuleAbout } from "../../../src/modules/module.js";

export const about: ModuleAbout = {
  band: "DB70",
  codes: {
    DB7001: e("Reported when a toy note name is not lower-case letters (the toy module exists only in dbellc's tests)."),
    DB7002: e("Reported when a toy note contains a control character (the toy module exists only in dbellc's tests)."),
  },
  shellFiles: ["test/support/toy-module/toy.sh"],
  docs: "test/support/toy-module/toy.md",
  checkSample: "set toy hello = \"it's $(hostname)\"\nset toy motd = plain\n",
  benchSample: (n) => `set toy note = "note ${n}"`,
};
