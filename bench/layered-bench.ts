/**
 * Layered rules: output size (objects, node-selector terms, bytes) and in-process compile time for k independent
 * roles, each on its own label key and layering sysctl and mounts (`npx tsx bench/layered-bench.ts 5 10 15`).
 * Independent roles combine in 2^k ways, so past the term limit (docs/language.md) `check` refuses with DB3010.
 */
import { analyze, compileManifests } from "../src/compile.js";
import { manifestStream } from "../src/backends/k8s/manifests.js";

function rolesPolicy(k: number): string {
  const lines = ["set sysctl vm.swappiness = 60"];
  for (let i = 0; i < k; i++) {
    lines.push(`layer on label node-role.example.com/role-${i} in [yes] {`, `  set sysctl net.core.r${i} = ${i + 1}`, `  set mounts role-${i} { target = /srv/role-${i}  device = tmpfs  type = tmpfs }`, "}");
  }
  return lines.join("\n") + "\n";
}

function termsOf(object: unknown): number {
  const t = (object as { spec?: { template?: { spec?: { affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: unknown[] } } } } } } }).spec?.template?.spec?.affinity;
  return t?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms.length ?? 0;
}

const sizes = process.argv.slice(2).map(Number);
for (const k of sizes.length ? sizes : [5, 10, 15]) {
  const text = rolesPolicy(k);
  const t0 = performance.now();
  const a = analyze([{ file: "roles.dbell", text }]);
  if (!a.ok) {
    const ms = performance.now() - t0;
    console.log(`${k} roles: refused in ${ms.toFixed(0)} ms: ${a.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`).join("; ")}`);
    continue;
  }
  const manifests = compileManifests(a);
  const bytes = Buffer.byteLength(manifestStream(manifests));
  const ms = performance.now() - t0;
  const ds = manifests.filter((m) => m.kind === "DaemonSet");
  const terms = ds.reduce((n, m) => n + termsOf(m.object), 0);
  console.log(`${k} roles: ${manifests.length} objects (${ds.length} DaemonSets), ${terms} node-selector terms, ${(bytes / 1024).toFixed(0)} KiB, ${ms.toFixed(0)} ms`);
}
