// Which packages a run of the bundled CLI actually loads.
//
// In dist/ the code of every dependency is bundled into chunk files, so "was execa loaded?" means "was a chunk
// that holds execa's code loaded?". esbuild's metafile says which source files (and so which packages) each
// output file holds; a module.register() resolve hook in the child process logs every URL it resolves.
// Used by test/perf/modules.test.ts and bench/scaffold.mjs. Plain ESM so `node bench/scaffold.mjs` needs no
// TypeScript; types are in module-graph.d.mts.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Modules that must stay off the paths that do not use them (the prefixes match package names). */
export const HEAVY = {
  prompts: ["inquirer", "@inquirer/", "rxjs"],
  execa: ["execa"],
  aws: ["@aws-sdk/", "@smithy/", "@aws-crypto/", "@aws/"],
  render: ["node-plop", "handlebars"],
};

/** "node_modules/a/node_modules/@s/b/x.js" → "@s/b" (the innermost package); undefined for our own sources. */
export function packageOf(input) {
  const m = /(?:^|[\\/])node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)(?![\s\S]*node_modules)/.exec(input);
  return m ? m[1].replace(/\\/g, "/") : undefined;
}

/**
 * Output file (relative to the dist directory, "/"-separated) → the packages and our own source files in it.
 * `metafile` is esbuild's; its paths are relative to the build's absWorkingDir (`workingDir`).
 */
export function chunkContents(metafile, distDir, workingDir = ROOT) {
  const map = new Map();
  for (const [out, info] of Object.entries(metafile.outputs)) {
    const rel = path.relative(distDir, path.resolve(workingDir, out)).split(path.sep).join("/");
    const packages = new Set();
    const sources = [];
    for (const input of Object.keys(info.inputs)) {
      const pkg = packageOf(input);
      if (pkg) packages.add(pkg);
      else sources.push(input);
    }
    map.set(rel, { bytes: info.bytes, packages, sources });
  }
  return map;
}

/** Does `pkg` match one of the prefixes ("@inquirer/" matches a scope; "execa" matches exactly)? */
export function matches(pkg, prefixes) {
  return prefixes.some((p) => (p.endsWith("/") ? pkg.startsWith(p) : pkg === p));
}

/**
 * Build a private copy of the package into `dir` (dir/dist, dir/package.json, dir/templates → the repo's), with the
 * same options as `npm run build`. Returns the CLI path and the chunk → contents map.
 */
export async function buildPrivateCopy(dir) {
  const { buildCli } = await import(pathToFileURL(path.join(ROOT, "scripts", "build.mjs")).href);
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(path.join(ROOT, "package.json"), path.join(dir, "package.json"));
  const templates = path.join(dir, "templates");
  if (!fs.existsSync(templates)) fs.symlinkSync(path.join(ROOT, "templates"), templates, "dir");
  const distDir = path.join(dir, "dist");
  const result = await buildCli({ outdir: distDir });
  return { cli: path.join(distDir, "cli.js"), distDir, chunks: chunkContents(result.metafile, distDir) };
}

/** Write the resolve hook into `dir`; returns the file to pass to `node --import`. It logs ES modules and CommonJS files. */
export function writeResolveHook(dir) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, "resolve-log-hook.mjs"),
    `import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (process.env.CFS_MODULE_LOG) appendFileSync(process.env.CFS_MODULE_LOG, r.url + "\\n");
  return r;
}
`,
  );
  // The hook sees ES modules only: files loaded with require() (the handlebars compiler) are in require.cache, and
  // code run with node:vm (the scaffold core, src/core-loader.ts) is logged by its vm.Script filename.
  const register = path.join(dir, "resolve-log-register.mjs");
  fs.writeFileSync(
    register,
    `import { appendFileSync } from "node:fs";
import { createRequire, register } from "node:module";
import { pathToFileURL } from "node:url";
import vm from "node:vm";
register("./resolve-log-hook.mjs", import.meta.url);
const scripts = [];
vm.Script = class extends vm.Script {
  constructor(code, options) {
    super(code, options);
    if (options?.filename) scripts.push(options.filename);
  }
};
process.on("exit", () => {
  const files = [...Object.keys(createRequire(import.meta.url).cache), ...scripts].map((f) => pathToFileURL(f).href + "\\n");
  if (process.env.CFS_MODULE_LOG && files.length > 0) appendFileSync(process.env.CFS_MODULE_LOG, files.join(""));
});
`,
  );
  return register;
}

let runCount = 0;

/**
 * Run `node --import <register> <cli> ...args` and report what it loaded: the dist files (relative), their bytes,
 * the packages bundled in them, and the node: builtins imported as ES modules.
 */
export async function loadedModules({ cli, distDir, chunks, register, args, cwd, env = process.env, stdin = "ignore", timeoutMs = 60_000 }) {
  const log = path.join(path.dirname(register), `modules-${process.pid}-${++runCount}.log`);
  fs.writeFileSync(log, "");
  const child = spawn(process.execPath, ["--import", pathToFileURL(register).href, cli, ...args], {
    cwd,
    env: { ...env, CFS_MODULE_LOG: log },
    stdio: [stdin, "pipe", "pipe"],
  });
  child.stdin?.end(); // "pipe": an empty stdin that is closed at once
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const code = await new Promise((resolve) => child.on("close", (c, signal) => resolve(c ?? signal)));
  clearTimeout(timer);
  const urls = [...new Set(fs.readFileSync(log, "utf8").split("\n").filter(Boolean))];
  fs.rmSync(log, { force: true });
  const files = [];
  const builtins = [];
  const unknown = [];
  for (const url of urls) {
    if (url.startsWith("node:")) builtins.push(url.slice(5));
    else if (url.startsWith("file:")) {
      const rel = path.relative(distDir, fileURLToPath(url)).split(path.sep).join("/");
      if (rel === "" || rel.startsWith("..")) unknown.push(url);
      else files.push(rel);
    } else unknown.push(url);
  }
  const packages = new Set();
  let bytes = 0;
  for (const f of files) {
    const c = chunks.get(f);
    if (!c) {
      unknown.push(f);
      continue;
    }
    bytes += c.bytes;
    for (const p of c.packages) packages.add(p);
  }
  return { code, stdout, stderr, files: files.sort(), packages: [...packages].sort(), builtins: builtins.sort(), unknown, bytes };
}
