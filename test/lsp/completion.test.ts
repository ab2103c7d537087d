/** Completion contexts, in-process: what the tokens before the cursor ask for. */
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/compile.js";
import { complete } from "../../src/lsp/completion.js";

/** Completion labels at the `|` in `text`. */
function labelsAt(text: string): string[] {
  const offset = text.indexOf("|");
  const src = text.slice(0, offset) + text.slice(offset + 1);
  return complete(analyze([{ file: "p.dbell", text: src }]), src, offset).map((i) => i.label);
}

describe("completion", () => {
  it("offers statement keywords at the top level and after a finished statement", () => {
    expect(labelsAt("|")).toEqual(["set", "unset", "disable", "on"]);
    expect(labelsAt("set sysctl vm.a = 1\n|")).toEqual(["set", "unset", "disable", "on"]);
    expect(labelsAt("set sysctl vm.a = 1\nse|")).toEqual(["set", "unset", "disable", "on"]);
    expect(labelsAt("on host h {\n  |\n}")).toEqual(["set", "unset"]);
  });

  it("offers modules after set, unset and disable", () => {
    expect(labelsAt("disable |")).toContain("ethtool");
    expect(labelsAt("unset mou|")).toContain("mounts");
  });

  it("offers a record's fields after the module and its keys, and in blocks", () => {
    expect(labelsAt("set mounts scratch |")).toEqual(expect.arrayContaining(["target", "device", "type", "options"]));
    expect(labelsAt("set exec hello {\n  script = \"x\"\n  |\n}")).toEqual(expect.arrayContaining(["rerun_policy", "timeout"]));
  });

  it("offers enum words after `=`, in blocks and in `set` statements", () => {
    expect(labelsAt("set exec hello { rerun_policy = |")).toEqual(["always", "never", "once_successfully"]);
    expect(labelsAt("set users user ops { sudo = |")).toEqual(["true", "false"]);
    expect(labelsAt("set apt strict = |")).toEqual(["true", "false"]);
  });

  it("offers `label`/`host`, then names used elsewhere in the policy", () => {
    const rules = "on host gw-1 set sysctl vm.a = 1\non label rack in [r1, r2] set sysctl vm.a = 2\n";
    expect(labelsAt(rules + "on |")).toEqual(["label", "host"]);
    expect(labelsAt(rules + "on host |")).toEqual(["gw-1"]);
    expect(labelsAt(rules + "on label |")).toEqual(["rack"]);
    expect(labelsAt(rules + "on label rack |")).toEqual(["in"]);
    expect(labelsAt(rules + "on label rack in [r1, |")).toEqual(["r1", "r2"]);
  });
});
