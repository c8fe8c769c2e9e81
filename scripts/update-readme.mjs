// Rewrites the flag reference in README.md from the options schema (src/options/flag-table.ts).
// test/unit/readme.test.ts fails when the README and the schema disagree; run `npm run docs` to fix it.
import { build } from "esbuild";
import { readFileSync, writeFileSync } from "node:fs";

const out = await build({ entryPoints: ["src/options/flag-table.ts"], bundle: true, format: "esm", platform: "node", write: false });
const { renderFlagTable } = await import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString("base64")}`);
const readme = readFileSync("README.md", "utf8");
const next = readme.replace(/(<!-- flags:start -->)[\s\S]*?(<!-- flags:end -->)/, `$1\n${renderFlagTable()}\n$2`);
if (next === readme) console.log("README.md flag table already up to date");
else {
  writeFileSync("README.md", next);
  console.log("README.md flag table updated");
}
