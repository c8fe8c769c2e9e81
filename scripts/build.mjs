// Bundle the CLI into dist/: one entry (dist/cli.js) plus lazily loaded chunks for prompts, execa,
// the AWS SDK and subcommands (esbuild code splitting keeps dynamic import() lazy).
// `buildCli()` is exported so test/perf and bench/ can build a private copy and read esbuild's metafile
// (which package each output file holds); the metafile is never written into dist/, so it is not published.
import { build } from "esbuild";
import { rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));

export async function buildCli({ outdir = path.join(ROOT, "dist") } = {}) {
  rmSync(outdir, { recursive: true, force: true });
  return build({
    absWorkingDir: ROOT,
    entryPoints: { cli: "src/bin.ts" },
    outdir,
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
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const result = await buildCli();
  const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  if (process.argv.includes("--stats")) console.log(`dist: ${(bytes / 1024).toFixed(0)} KiB in ${Object.keys(result.metafile.outputs).length} files`);
}
