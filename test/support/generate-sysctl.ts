/**
 * `npx tsx test/support/generate-sysctl.ts [/proc/sys]`: writes src/modules/sysctl/sysctl-catalogue.generated.ts
 * from a running kernel's /proc/sys. It only lists and reads files there, never writes them.
 */
import { writeFileSync } from "node:fs";
import { release } from "node:os";
import { join } from "node:path";
import { catalogueSource, readProcSys } from "./sysctl-proc.js";

const root = process.argv[2] ?? "/proc/sys";
const out = join(import.meta.dirname, "../../src/modules/sysctl/sysctl-catalogue.generated.ts");
writeFileSync(out, catalogueSource(readProcSys(root), release()));
console.log(`wrote ${out}`);
