/** Value checks for the fields of a mount: what systemd accepts in a `.mount` unit file, reported at the value. */
import type { ScalarNode } from "../../ir/ir.js";
import { scalarOf, type Reporter, type ScalarSchema } from "../schema.js";

const CONTROL = /[\u0000-\u001f\u007f]/;

/** systemd's limit on a unit name, suffix included (UNIT_NAME_MAX - 1). */
const UNIT_NAME_MAX = 255;

/**
 * Problems that break or silently change a value in a unit file line `Key=value`: a newline ends the line, a
 * trailing backslash joins the next line, and the unit parser strips leading and trailing whitespace.
 * (`%` starts a systemd specifier; the host script writes it as `%%`, so it needs no check here.)
 */
function unitLineProblem(text: string): string | undefined {
  if (text.includes("\n") || text.includes("\r")) return "contains a newline";
  if (CONTROL.test(text)) return "contains a control character";
  if (text !== text.trim()) return "starts or ends with whitespace, which systemd strips";
  if (text.endsWith("\\")) return "ends with a backslash, which joins the next line of the unit file";
  return undefined;
}

/** A value written into one line of the unit file. */
export function unitValue(doc: string, what: string, opts: { allowEmpty?: boolean } = {}): ScalarSchema {
  return scalarOf(doc, (n, r) => {
    if (n.text === "" && !opts.allowEmpty) return r.report("DB2008", n.origin, `${what} is empty`);
    const problem = unitLineProblem(n.text);
    if (problem) r.report("DB2203", n.origin, `${what} ${problem}`, { help: "the value goes into one line of a systemd unit file" });
  });
}

/** The file system type, as `mount -t` takes it (`ext4`, `tmpfs`, `nfs4`, `fuse.sshfs`). */
export const FS_TYPE = /^[A-Za-z0-9][A-Za-z0-9_.+-]*$/;

export const fsType = scalarOf("the file system type, as `mount -t` takes it (`ext4`, `tmpfs`, `nfs4`)", (n, r) => {
  if (n.text === "") return r.report("DB2008", n.origin, "mount type is empty");
  if (!FS_TYPE.test(n.text)) r.report("DB2203", n.origin, `\`${n.text}\` is not a file system type`, { help: "a type is one word such as `ext4`, `xfs`, `tmpfs` or `nfs4`" });
});

const UNIT_SUFFIXES = ["service", "socket", "device", "mount", "automount", "swap", "target", "path", "timer", "slice", "scope"];
const UNIT_NAME = new RegExp(`^[A-Za-z0-9:_.\\\\@-]+\\.(?:${UNIT_SUFFIXES.join("|")})$`);

/** `before`/`after`: space-separated systemd unit names; an empty value keeps the line empty. */
export function unitList(doc: string, field: string): ScalarSchema {
  return scalarOf(doc, (n, r) => {
    const problem = unitLineProblem(n.text);
    if (problem) return r.report("DB2203", n.origin, `mount \`${field}\` ${problem}`);
    for (const name of n.text.split(/\s+/).filter((w) => w !== "")) {
      if (!UNIT_NAME.test(name)) {
        r.report("DB2203", n.origin, `\`${name}\` is not a systemd unit name`, { help: `write unit names with their suffix, separated by spaces: \`docker.service network-online.target\`` });
        return;
      }
    }
  });
}

/** The path written normalised: no empty, `.` or `..` parts, no trailing slash. */
export function normalisePath(path: string): string {
  const parts: string[] = [];
  for (const p of path.split("/")) {
    if (p === "" || p === ".") continue;
    if (p === "..") parts.pop();
    else parts.push(p);
  }
  return `/${parts.join("/")}`;
}

/** What `systemd-escape -p --suffix=mount PATH` prints for a normalised absolute path. */
export function mountUnitName(path: string): string {
  const bytes = new TextEncoder().encode(path.replace(/^\/+|\/+$/g, ""));
  let out = "";
  for (let i = 0; i < bytes.length; i++) {
    const c = String.fromCharCode(bytes[i]!);
    if (c === "/") out += "-";
    else if (/[A-Za-z0-9:_]/.test(c) || (c === "." && i > 0)) out += c;
    else out += `\\x${bytes[i]!.toString(16).padStart(2, "0")}`;
  }
  return `${out}.mount`;
}

/** Mount points that would hide what the node or dbellc needs: the kernel's file systems, exactly. */
const KERNEL_DIRS = ["/proc", "/sys", "/dev"];
/** Directories a mount on or below would hide: systemd's unit files (the mount's own among them), dbellc's state. */
const STATE_DIRS = ["/etc/systemd/system", "/var/divingbell"];

const under = (path: string, dir: string): boolean => path === dir || path.startsWith(`${dir}/`);

/** Why mounting on `path` (normalised) is dangerous, if it is: an error, or a warning for a parent of a state dir. */
export function mountTargetDanger(path: string): { severity: "error" | "warning"; why: string } | undefined {
  if (KERNEL_DIRS.includes(path)) return { severity: "error", why: `would hide the kernel's \`${path}\`, which the node's programs need` };
  const dir = STATE_DIRS.find((d) => under(path, d));
  if (dir === "/etc/systemd/system") return { severity: "error", why: "would hide systemd's unit files, the mount units among them" };
  if (dir) return { severity: "error", why: "would hide the originals Divingbell and dbellc saved in /var/divingbell, so nothing could be reverted" };
  const child = STATE_DIRS.find((d) => d.startsWith(`${path}/`));
  if (child) return { severity: "warning", why: `would hide \`${child}\` unless the mounted file system has it too` };
  return undefined;
}

/** A value that `mount` gets as an argument: one starting with `-` would be read as an option. */
export function argumentValue(doc: string, what: string): ScalarSchema {
  const line = unitValue(doc, what);
  return scalarOf(doc, (n, r) => {
    line.check(n, r);
    if (n.text.startsWith("-")) r.report("DB2207", n.origin, `${what} \`${n.text}\` starts with \`-\`, which \`mount\` would read as an option`);
  });
}

/** The mount point: absolute, not `/`, written the way systemd names the unit after it. */
export const mountTarget = scalarOf("the mount point, an absolute path (`/var/lib/docker`); created if missing", (n: ScalarNode, r: Reporter) => {
  const t = n.text;
  if (t === "") return r.report("DB2201", n.origin, "mount target is empty", { help: "write an absolute path such as `/mnt/data`" });
  const problem = unitLineProblem(t);
  if (problem) return r.report("DB2203", n.origin, `mount target ${problem}`);
  if (!t.startsWith("/")) return r.report("DB2201", n.origin, `mount target \`${t}\` is not an absolute path`, { help: `write \`/${t}\`` });
  const normal = normalisePath(t);
  if (normal === "/") return r.report("DB2201", n.origin, "the root file system `/` cannot be a mount target");
  if (normal !== t) return r.report("DB2204", n.origin, `mount target \`${t}\` is not a normalised path`, { help: `write \`${normal}\`` });
  if (mountUnitName(t).length > UNIT_NAME_MAX) {
    return r.report("DB2204", n.origin, `mount target is too long: its systemd unit name would exceed ${UNIT_NAME_MAX} characters`);
  }
  const danger = mountTargetDanger(t);
  if (danger) r.report(danger.severity === "error" ? "DB2205" : "DB2206", n.origin, `a mount on \`${t}\` ${danger.why}`, danger.severity === "warning" ? { help: "mount the file system somewhere else, or check that it holds that directory" } : { help: "mount the file system on a directory of its own" });
});
