// Bundle the CLI into dist/: one entry (dist/cli.js) plus lazily loaded chunks for prompts, execa,
// the AWS SDK and subcommands (esbuild code splitting keeps dynamic import() lazy).
// `buildCli()` is exported so test/perf and bench/ can build a private copy and read esbuild's metafile
// (which package each output file holds); the metafile is never written into dist/, so it is not published.
import { build, transform } from "esbuild";
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PACKAGE_VERSION = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).version;

// Templates compiled ahead of time (src/write/precompiled-templates.ts explains why and how a spec is found).
const PRECOMPILED_LINE = "export const PRECOMPILED_TEMPLATES: PrecompiledTemplates = new Map();";

/** TEMPLATE_OPTIONS and isStaticTemplate() from src/write/precompiled-templates.ts, so there is one definition. */
async function loadTemplateModule() {
  const out = await build({
    entryPoints: [path.join(ROOT, "src", "write", "precompiled-templates.ts")],
    bundle: true,
    format: "esm",
    platform: "node",
    write: false,
    logLevel: "silent",
  });
  const url = `data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString("base64")}`;
  return import(url);
}

/** Template text → handlebars spec (JavaScript source) for every file under templates/ that has a mustache and compiles. */
export async function precompileTemplates(dir = path.join(ROOT, "templates")) {
  const { TEMPLATE_OPTIONS, isStaticTemplate } = await loadTemplateModule();
  const { default: Handlebars } = await import("handlebars");
  const specs = new Map();
  const warnings = [];
  const walk = (d) => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
  for (const file of walk(dir).sort()) {
    const source = readFileSync(file, "utf8");
    if (isStaticTemplate(source)) continue; // written as it is, never compiled
    try {
      specs.set(source, Handlebars.precompile(source, { ...TEMPLATE_OPTIONS })); // precompile() adds to its options object
    } catch (err) {
      // Left to compile at run time, where it fails with the template's name, as it would without precompiling.
      warnings.push({ text: `${path.relative(ROOT, file)} does not compile: ${err.message.split("\n")[0]}` });
    }
  }
  return { specs, warnings, files: walk(dir) };
}

const precompiledTemplatesPlugin = {
  name: "precompiled-templates",
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]write[\\/]precompiled-templates\.ts$/ }, async (args) => {
      const source = readFileSync(args.path, "utf8");
      if (!source.includes(PRECOMPILED_LINE)) throw new Error(`${args.path}: the line "${PRECOMPILED_LINE}" is missing`);
      const { specs, warnings, files } = await precompileTemplates();
      const entries = [...specs].map(([text, spec]) => `[${JSON.stringify(text)}, ${spec}]`).join(",\n");
      return { contents: source.replace(PRECOMPILED_LINE, `export const PRECOMPILED_TEMPLATES: PrecompiledTemplates = new Map([\n${entries}\n]);`), loader: "ts", warnings, watchFiles: files };
    });
  },
};

// `handlebars` (ours and node-plop's) → a copy of its entry that loads the compiler on first use: with precompiled
// templates a scaffold never compiles. Only the bare specifier: the shim itself requires handlebars/dist/cjs/….
// The shim requires the compiler from ./handlebars-compiler.cjs, built on its own next to the chunks (see buildCli).
const HANDLEBARS_COMPILER = "handlebars-compiler.cjs";
const lazyHandlebarsPlugin = {
  name: "lazy-handlebars",
  setup(b) {
    b.onResolve({ filter: /^handlebars$/ }, () => ({ path: path.join(ROOT, "scripts", "handlebars-lazy.cjs") }));
    b.onResolve({ filter: /^\.\/handlebars-compiler\.cjs$/ }, (args) =>
      args.importer.endsWith("handlebars-lazy.cjs") ? { path: `./${HANDLEBARS_COMPILER}`, external: true } : undefined,
    );
  },
};

// node-plop's imports that only plop packs and its built-in file actions use (scripts/node-plop-unused.mjs).
const nodePlopUnusedPlugin = {
  name: "node-plop-unused",
  setup(b) {
    b.onResolve({ filter: /^(resolve|tinyglobby|isbinaryfile)$/ }, (args) =>
      /[\\/]node_modules[\\/]node-plop[\\/]/.test(args.importer) ? { path: path.join(ROOT, "scripts", "node-plop-unused.mjs") } : undefined,
    );
  },
};

// `create-fargate-service --help` prints text rendered by commander at build time (see src/bin.ts): the entry is built
// with a placeholder, then `cli.js -h --help` (two arguments: the commander path) renders the help to a pipe and the
// placeholder is replaced with it. The output directory must sit in a package root (package.json and templates/).
const HELP_PLACEHOLDER = "@@create-fargate-service:help@@";

// CommonJS dependencies (handlebars, the esbuild helper for require()) call require(): ESM chunks get a real one
// from this banner. A chunk that never says `require` loses it again (dropUnusedRequireBanners), so loading it costs
// no node:module import, import.meta and createRequire() (each of ~10 chunks on the scaffold path paid them).
const REQUIRE_BANNER =
  "import { createRequire as __cfsCreateRequire } from 'node:module'; const require = __cfsCreateRequire(import.meta.url);";

async function dropUnusedRequireBanners(metafile) {
  const PROBE = "__cfsFreeRequire";
  for (const [out, info] of Object.entries(metafile.outputs)) {
    if (!out.endsWith(".js")) continue;
    const file = path.resolve(ROOT, out);
    const code = readFileSync(file, "utf8");
    if (!code.includes(`${REQUIRE_BANNER}\n`)) continue;
    const rest = code.replace(`${REQUIRE_BANNER}\n`, ""); // after the entry's #! line, first in the others
    // Does the code refer to `require` as a variable (not just say it in a string, as templates do)? esbuild's
    // define replaces only free identifiers.
    const probed = await transform(rest, { format: "esm", define: { require: PROBE }, logLevel: "silent" });
    if (probed.code.includes(PROBE)) continue;
    writeFileSync(file, rest);
    info.bytes = Buffer.byteLength(rest);
  }
}

function embedHelp(outdir) {
  const entry = path.join(outdir, "cli.js");
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !["FORCE_COLOR", "NO_COLOR", "CLICOLOR_FORCE"].includes(k)));
  const help = execFileSync(process.execPath, [entry, "-h", "--help"], { env, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (!help.startsWith("Usage:")) throw new Error(`build: unexpected --help output:\n${help}`);
  const code = readFileSync(entry, "utf8");
  // `--help` loads nothing but the entry (src/bin.ts), so it must not need the banner (~5 % of its run time).
  if (code.includes(REQUIRE_BANNER)) throw new Error(`build: ${entry} uses require; --help would pay for createRequire()`);
  const literal = new RegExp(`(["'\`])${HELP_PLACEHOLDER}\\1`, "g");
  if (!literal.test(code)) throw new Error(`build: the help placeholder is missing from ${entry}`);
  writeFileSync(entry, code.replace(literal, () => JSON.stringify(help)));
}

// The scaffold path (src/cli.ts and what it imports) is one CommonJS file, dist/chunks/core.cjs, that src/core-loader.ts
// runs with node:vm and a V8 compile cache; the entry gets that loader in place of ./cli.js. In the core, src/host.ts
// is the host object the loader passes in (a parameter of the function that wraps the core), so the modules it
// imports on demand stay ES module chunks. CommonJS code has no import.meta: the banner gives the one src/paths.ts reads.
const CORE = "core.cjs";
const coreLoaderPlugin = {
  name: "core-loader",
  setup(b) {
    b.onResolve({ filter: /^\.\/cli\.js$/ }, (args) =>
      args.importer.endsWith(`${path.sep}bin.ts`) ? { path: path.join(ROOT, "src", "core-loader.ts") } : undefined,
    );
  },
};
const coreHostPlugin = {
  name: "core-host",
  setup(b) {
    b.onResolve({ filter: /[\\/]host\.js$/ }, () => ({ path: "host", namespace: "core-host" }));
    b.onLoad({ filter: /.*/, namespace: "core-host" }, () => ({ contents: "export const host = __cfsHost;", loader: "js" }));
  },
};
const IMPORT_META_URL_BANNER = 'var __cfsImportMetaUrl = require("node:url").pathToFileURL(__filename).href;';

/** What every bundle shares: Node, the oldest supported version, minified, licences in a .LEGAL.txt beside it. */
const COMMON = {
  absWorkingDir: ROOT,
  bundle: true,
  platform: "node",
  target: "node20.19",
  minify: true,
  legalComments: "linked",
  metafile: true,
  logLevel: "warning",
};

/**
 * dist/ bundles its dependencies, so it carries their licenses: dist/THIRD-PARTY-LICENSES.md lists every package
 * whose code is in a bundle (from esbuild's metafiles) with its version and license, then each license text once,
 * with the packages it covers. A package without a license file is listed with its declared license and author.
 */
function writeThirdPartyLicenses(builds, outdir) {
  const packageDirs = new Set();
  for (const { metafile } of builds) {
    for (const input of Object.keys(metafile.inputs)) {
      const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input); // the innermost package
      if (m) packageDirs.add(m[1]);
    }
  }
  const packages = [...packageDirs].map((dir) => {
    const abs = path.join(ROOT, dir);
    const pkg = JSON.parse(readFileSync(path.join(abs, "package.json"), "utf8"));
    const files = readdirSync(abs).filter((f) => /^(licen[cs]e|copying|notice)(\.|$)/i.test(f)).sort();
    const text = files.map((f) => readFileSync(path.join(abs, f), "utf8").trim()).join("\n\n");
    const author = typeof pkg.author === "string" ? pkg.author : pkg.author?.name;
    return { name: pkg.name, version: pkg.version, license: pkg.license ?? "see its license text", author, text };
  });
  packages.sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
  const lines = [
    "# Third-party licenses",
    "",
    "The files in dist/ bundle code from these packages (generated by scripts/build.mjs from the bundles' contents).",
    "",
    "| package | version | license |",
    "|---|---|---|",
    ...packages.map((p) => `| ${p.name} | ${p.version} | ${p.license} |`),
  ];
  const byText = new Map();
  for (const p of packages.filter((x) => x.text)) byText.set(p.text, [...(byText.get(p.text) ?? []), p]);
  for (const [text, group] of byText) {
    lines.push("", `## ${group.map((p) => `${p.name} ${p.version}`).join(", ")}`, "", "```text", text, "```");
  }
  const without = packages.filter((p) => !p.text);
  if (without.length) {
    lines.push("", "## Packages that ship no license file", "");
    for (const p of without) lines.push(`- ${p.name} ${p.version}: ${p.license}${p.author ? `, by ${p.author}` : ""}`);
  }
  writeFileSync(path.join(outdir, "THIRD-PARTY-LICENSES.md"), `${lines.join("\n")}\n`);
}

export async function buildCli({ outdir = path.join(ROOT, "dist") } = {}) {
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    ...COMMON,
    entryPoints: { cli: "src/bin.ts" },
    outdir,
    splitting: true,
    format: "esm",
    chunkNames: "chunks/[name]-[hash]",
    banner: { js: REQUIRE_BANNER },
    define: { __CFS_HELP__: JSON.stringify(HELP_PLACEHOLDER), __CFS_VERSION__: JSON.stringify(PACKAGE_VERSION) },
    plugins: [coreLoaderPlugin],
  });
  const core = await build({
    ...COMMON,
    entryPoints: ["src/cli.ts"],
    outfile: path.join(outdir, "chunks", CORE),
    format: "cjs",
    // node-plop imports inquirer 9 for a prompt layer our generator never uses.
    alias: { inquirer: "./scripts/inquirer-stub.mjs" },
    banner: { js: IMPORT_META_URL_BANNER },
    define: { "import.meta.url": "__cfsImportMetaUrl" },
    plugins: [coreHostPlugin, precompiledTemplatesPlugin, lazyHandlebarsPlugin, nodePlopUnusedPlugin],
  });
  // Every chunk lives in chunks/, so the shim's require("./handlebars-compiler.cjs") finds this file.
  const compiler = await build({
    ...COMMON,
    entryPoints: ["scripts/handlebars-compiler.cjs"],
    outfile: path.join(outdir, "chunks", HANDLEBARS_COMPILER),
    format: "cjs",
  });
  await dropUnusedRequireBanners(result.metafile);
  writeThirdPartyLicenses([result, core, compiler], outdir);
  for (const other of [core, compiler]) {
    Object.assign(result.metafile.outputs, other.metafile.outputs);
    Object.assign(result.metafile.inputs, other.metafile.inputs);
  }
  embedHelp(outdir);
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const result = await buildCli();
  const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  if (process.argv.includes("--stats")) console.log(`dist: ${(bytes / 1024).toFixed(0)} KiB in ${Object.keys(result.metafile.outputs).length} files`);
}
