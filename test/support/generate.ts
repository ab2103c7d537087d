/** `npm run generate`: rewrites the files derived from the parser. */
import { writeFileSync } from "node:fs";
import { generatedFiles } from "./generated.js";

for (const f of generatedFiles()) {
  writeFileSync(f.path, f.text);
  console.log(`wrote ${f.path}`);
}
