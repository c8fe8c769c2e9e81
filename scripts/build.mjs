// Bundle the CLI into dist/: one entry (dist/cli.js) plus lazily loaded chunks for prompts, execa,
// the AWS SDK and subcommands (esbuild code splitting keeps dynamic import() lazy).
import { build } from "esbuild";
import { rmSync } from "node:fs";

rmSync(new URL("../dist", import.meta.url), { recursive: true, force: true });
const result = await build({
  entryPoints: { cli: "src/bin.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20.19",
  minify: true,
  legalComments: "linked",
  chunkNames: "chunks/[name]-[hash]",
  alias: { inquirer: "./scripts/inquirer-stub.mjs" },
  // CommonJS dependencies (handlebars, isbinaryfile) call require(): give ESM chunks a real one.
  banner: {
    js: "import { createRequire as __cfsCreateRequire } from 'node:module'; const require = __cfsCreateRequire(import.meta.url);",
  },
  metafile: true,
  logLevel: "warning",
});
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
if (process.argv.includes("--stats")) console.log(`dist: ${(bytes / 1024).toFixed(0)} KiB in ${Object.keys(result.metafile.outputs).length} files`);
