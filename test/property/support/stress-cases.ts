/** The worst inputs found for `check` and `import`, each generated at a given size (bytes). */

export interface StressCase {
  readonly name: string;
  readonly command: "check" | "import";
  readonly file: string;
  readonly bytes: (size: number) => Buffer;
}

const repeat = (unit: string, size: number): Buffer => Buffer.from(unit.repeat(Math.max(1, Math.floor(size / unit.length))));

/** "Billion laughs": nine levels, each listing the previous one nine times (301 bytes; Helm refuses it). */
function aliasBomb(): Buffer {
  const lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) lines.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(",")}]`);
  return Buffer.from(lines.join("\n") + "\nconf: {}\n");
}

/** As much alias expansion as import allows (just under 50,000 values): a package list repeated by override entries. */
function aliasAtLimit(size: number): Buffer {
  const n = Math.max(10, Math.floor(size / 40));
  let y = `conf:\n  apt:\n    packages: &p [${Array.from({ length: 2000 }, (_, i) => `{name: p${i}}`).join(",")}]\n  overrides:\n    divingbell_apt:\n      labels:\n`;
  for (let i = 0; i < Math.min(n, 8); i++) y += `      - {label: {key: k${i}, values: [v]}, conf: {apt: {packages: *p}}}\n`;
  return Buffer.from(y);
}

/** Label overrides that two modules list in opposite orders (every pair conflicts), and host overrides. */
function labelOrders(entries: number): Buffer {
  const lines = ["conf:", "  sysctl: {vm.swappiness: 1}", '  limits: {a: {domain: "*", type: soft, item: nofile, value: 1}}', "  overrides:", "    divingbell_sysctl:", "      labels:"];
  for (let i = 0; i < entries; i++) lines.push(`      - {label: {key: k${i}, values: [v]}, conf: {sysctl: {vm.swappiness: ${i}}}}`);
  lines.push("      hosts:");
  for (let i = 0; i < entries; i++) lines.push(`      - {name: h${i}, conf: {sysctl: {vm.swappiness: 5}}}`);
  lines.push("    divingbell_limits:", "      labels:");
  for (let i = entries - 1; i >= 0; i--) lines.push(`      - {label: {key: k${i}, values: [v]}, conf: {limits: {a: {value: ${i}}}}}`);
  return Buffer.from(lines.join("\n") + "\n");
}

export const STRESS_CASES: readonly StressCase[] = [
  { name: "`set` repeated on one line", command: "check", file: "set.dbell", bytes: (s) => repeat("set ", s) },
  { name: "a run of double quotes", command: "check", file: "quotes.dbell", bytes: (s) => repeat('"', s) },
  { name: "a run of single quotes", command: "check", file: "squotes.dbell", bytes: (s) => repeat("'", s) },
  { name: "an unclosed multi-line string of quotes", command: "check", file: "triple.dbell", bytes: (s) => Buffer.concat([Buffer.from('"""\n'), repeat('"', s)]) },
  { name: "a run of `$`", command: "check", file: "dollar.dbell", bytes: (s) => repeat("$", s) },
  { name: "`$` and a space, repeated", command: "check", file: "dollars.dbell", bytes: (s) => repeat("$ ", s) },
  { name: "a run of `{`", command: "check", file: "braces.dbell", bytes: (s) => repeat("{", s) },
  { name: "a run of `[`", command: "check", file: "brackets.dbell", bytes: (s) => repeat("[", s) },
  { name: "blocks nested without end", command: "check", file: "nest.dbell", bytes: (s) => Buffer.concat([Buffer.from("set exec a { "), repeat("b { ", s)]) },
  { name: "one very long line", command: "check", file: "long.dbell", bytes: (s) => Buffer.from(`set sysctl kernel.pid_max = ${"x".repeat(s)} $\n`) },
  { name: "terminal escapes in a string", command: "check", file: "ctrl.dbell", bytes: (s) => Buffer.from(`set sysctl kernel.core_pattern = "${"\x1b]0;x\x07".repeat(s / 6)}"\n`) },
  { name: "unknown escapes in a string", command: "check", file: "esc.dbell", bytes: (s) => Buffer.from(`set sysctl kernel.core_pattern = "${"\\q".repeat(s / 2)}"\n`) },
  { name: "bytes that are not UTF-8", command: "check", file: "latin1.dbell", bytes: (s) => Buffer.concat([Buffer.from('set sysctl kernel.core_pattern = "'), Buffer.from("a\xff".repeat(s / 2), "latin1"), Buffer.from('"\n')]) },
  { name: "a typo on every line", command: "check", file: "typos.dbell", bytes: (s) => repeat("set sysctll a = 1\n", s) },
  { name: "unknown sysctl names, all different", command: "check", file: "names.dbell", bytes: (s) => Buffer.from(Array.from({ length: Math.floor(s / 30) }, (_, i) => `set sysctl vm.swapines${i} = 1\n`).join("")) },
  { name: "keys that name JavaScript object properties", command: "check", file: "proto.dbell", bytes: (s) => repeat("set perm constructor = 1\nset apt toString = true\nset sysctl __proto__ = 1\n", s) },
  { name: "an alias bomb", command: "import", file: "bomb.yaml", bytes: () => aliasBomb() },
  { name: "alias expansion at the limit", command: "import", file: "aliases.yaml", bytes: (s) => aliasAtLimit(s) },
  { name: "a self-referencing anchor", command: "import", file: "self.yaml", bytes: () => Buffer.from("conf: {sysctl: &x {a.b: *x}}\n") },
  { name: "a number as long as the file", command: "import", file: "number.yaml", bytes: (s) => Buffer.from(`conf:\n  sysctl:\n    kernel.pid_max: ${"1".repeat(s)}\n`) },
  { name: "YAML nested without end", command: "import", file: "deep.yaml", bytes: (s) => Buffer.concat([Buffer.from("conf: "), repeat("[", s)]) },
  { name: "label overrides in opposite orders, as many as are ordered exactly", command: "import", file: "orders.yaml", bytes: () => labelOrders(1000) },
  { name: "label overrides in opposite orders, too many to order exactly", command: "import", file: "orders-big.yaml", bytes: (s) => labelOrders(Math.floor(s / 200)) },
  { name: "every key written twice", command: "import", file: "dups.yaml", bytes: (s) => { const n = Math.floor(s / 32); const keys = (v: number) => Array.from({ length: n }, (_, i) => `    k${i}.x: ${v}\n`).join(""); return Buffer.from(`conf:\n  sysctl:\n${keys(1)}${keys(2)}`); } },
  { name: "an override of nulls for every key", command: "import", file: "nulls.yaml", bytes: (s) => { const n = Math.floor(s / 40); const keys = (v: string, pad: string) => Array.from({ length: n }, (_, i) => `${pad}k${i}.x: ${v}\n`).join(""); return Buffer.from(`conf:\n  sysctl:\n${keys("1", "    ")}  overrides:\n    divingbell_sysctl:\n      hosts:\n      - name: h1\n        conf:\n          sysctl:\n${keys("~", "            ")}`); } },
  { name: "many sysctl keys", command: "import", file: "keys.yaml", bytes: (s) => Buffer.from("conf:\n  sysctl:\n" + Array.from({ length: Math.floor(s / 20) }, (_, i) => `    k${i}.x: ${i}\n`).join("")) },
];
