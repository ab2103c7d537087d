/** toy: a module that lives only in the test tree, built as docs/adding-a-module.md says, to keep that page true. */
import type { HostModule } from "../../../src/modules/module.js";
import { scalarOf, type DictSchema } from "../../../src/modules/schema.js";
import { sortedEntries } from "../../../src/ir/tree.js";
import { about } from "./about.js";

export interface ToySettings {
  readonly notes: readonly { readonly name: string; readonly text: string }[];
}

const schema: DictSchema = {
  kind: "Dict",
  doc: "Notes written to /etc/dbell-toy: `set toy NAME = TEXT`.",
  keyDoc: "the note's file name, lower-case letters",
  key: (key, span, r) => {
    if (!/^[a-z]+$/.test(key)) r.report("DB7001", span, `\`${key}\` is not a valid toy note name`, { help: "use lower-case letters only" });
  },
  value: scalarOf("the note's text, one line", (n, r) => {
    if (/[\u0000-\u001f]/.test(n.text)) r.report("DB7002", n.origin, "toy note contains a control character");
  }),
};

export const toy: HostModule<ToySettings> = {
  name: "toy",
  summary: "notes in /etc/dbell-toy, a module of the test tree",
  schema,
  settings(config) {
    return { notes: sortedEntries(config).map((e) => ({ name: e.key, text: e.value.kind === "Scalar" ? e.value.text : "" })) };
  },
  bashCalls(s) {
    return [...s.notes.map((n) => ({ fn: "toy_want", args: [n.name, n.text] })), { fn: "toy_sync", args: [] }];
  },
  about,
  pod: {
    hostScript: "toy_host.sh",
    runner: "chroot",
    capabilities: [],
    readOnlyRootFilesystem: true,
    hostNetwork: false,
    hostPID: false,
    settingsIn: "ConfigMap",
  },
};
