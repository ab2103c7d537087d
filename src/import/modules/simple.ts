/** Translations of the map-shaped modules: sysctl, mounts, ethtool, limits and apparmor (docs/import.md, What becomes what). */
import { scalar } from "../../syntax/print-values.js";
import type { ModuleImport } from "../module-import.js";
import { asMap, boolValue, keyName, knownFields, nullValue, startEntry, textValue, type Translation } from "../reader.js";
import { goText, resolve } from "../yaml11.js";
import type { YMap, YNode } from "../yaml-tree.js";

/** `NAME: { field: value ... }` entries whose fields are text, renamed on the way. */
function namedRecords(t: Translation, conf: YMap, module: string, fields: Readonly<Record<string, string>>, ignored: string): void {
  for (const e of conf.entries) {
    const name = keyName(t, e.key, module);
    const where = `${module}.${name}`;
    if (nullValue(t, e.value, [name], where)) continue;
    const m = asMap(t, e.value, where);
    if (!m) continue;
    startEntry(t, [name]);
    for (const f of knownFields(t, m, Object.keys(fields), where, ignored)) {
      const to = fields[f.key.text]!;
      if (nullValue(t, f.value, [name, to], `${where}.${f.key.text}`)) continue;
      const v = textValue(t, f.value, `${where}.${f.key.text}`, { singleQuoted: true });
      if (v !== undefined) t.out.set([name, to], scalar(v));
    }
  }
}

export const sysctlImport: ModuleImport = {
  divingbell: "sysctl",
  name: "sysctl",
  blockAt: () => false,
  translate(conf, t) {
    for (const e of conf.entries) {
      const key = keyName(t, e.key, "sysctl");
      if (nullValue(t, e.value, [key], `sysctl.${key}`)) continue;
      const v = textValue(t, e.value, `sysctl.${key}`, { singleQuoted: true });
      if (v !== undefined) t.out.set([key], scalar(v));
    }
  },
};

export const mountsImport: ModuleImport = {
  divingbell: "mounts",
  name: "mounts",
  blockAt: (path) => path.length === 1,
  translate(conf, t) {
    const fields = { mnt_tgt: "target", device: "device", type: "type", options: "options", before: "before", after: "after" };
    namedRecords(t, conf, "mounts", fields, "Divingbell only exported it as a shell variable");
  },
};

export const limitsImport: ModuleImport = {
  divingbell: "limits",
  name: "limits",
  blockAt: (path) => path.length === 1,
  translate(conf, t) {
    namedRecords(t, conf, "limits", { domain: "domain", type: "type", item: "item", value: "value" }, "Divingbell reads only domain, type, item and value");
  },
};

/** ethtool's value: YAML booleans became on/off; anything else made Divingbell's script stop. */
function onOff(t: Translation, n: YNode, where: string): string | undefined {
  if (n.kind !== "scalar") {
    t.cx.error(n.span, `\`${where}\` should be on or off, found a ${n.kind === "map" ? "map" : "list"}`);
    return undefined;
  }
  const r = resolve(n);
  if (r.kind === "bool") return r.value ? "on" : "off";
  if (r.kind === "string" && (r.value === "on" || r.value === "off")) return r.value;
  t.cx.error(n.span, `\`${where}\` is \`${n.text}\`: Divingbell stopped with "Expected 'on' or 'off', got '${goText(r)}'"; dropped`, "write on or off");
  return undefined;
}

export const ethtoolImport: ModuleImport = {
  divingbell: "ethtool",
  name: "ethtool",
  blockAt: (path) => path.length === 1,
  translate(conf, t) {
    for (const e of conf.entries) {
      const dev = keyName(t, e.key, "ethtool");
      if (nullValue(t, e.value, [dev], `ethtool.${dev}`)) continue;
      const m = asMap(t, e.value, `ethtool.${dev}`);
      if (!m) continue;
      startEntry(t, [dev]);
      for (const f of m.entries) {
        const feature = keyName(t, f.key, `ethtool.${dev}`);
        const where = `ethtool.${dev}.${feature}`;
        if (nullValue(t, f.value, [dev, feature], where)) continue;
        const v = onOff(t, f.value, where);
        if (v !== undefined) t.out.set([dev, feature], scalar(v));
      }
    }
  },
};

export const apparmorImport: ModuleImport = {
  divingbell: "apparmor",
  name: "apparmor",
  blockAt: () => false,
  translate(conf, t) {
    for (const f of knownFields(t, conf, ["profiles", "complain_mode"], "apparmor", "Divingbell reads only profiles and complain_mode")) {
      if (f.key.text === "complain_mode") {
        if (nullValue(t, f.value, ["complain_mode"], "apparmor.complain_mode")) continue;
        const v = boolValue(t, f.value, "apparmor.complain_mode", "truthy");
        if (v !== undefined) t.out.set(["complain_mode"], scalar(v));
        continue;
      }
      if (nullValue(t, f.value, ["profile"], "apparmor.profiles")) continue;
      const profiles = asMap(t, f.value, "apparmor.profiles");
      for (const p of profiles?.entries ?? []) {
        const name = keyName(t, p.key, "apparmor.profiles");
        if (nullValue(t, p.value, ["profile", name], `apparmor.profiles.${name}`)) continue;
        const text = textValue(t, p.value, `apparmor.profiles.${name}`, { singleQuoted: true, echoE: true });
        if (text !== undefined) t.out.set(["profile", name], scalar(text));
      }
    }
  },
};
