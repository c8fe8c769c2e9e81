/**
 * What src/bin.ts gets as "./cli.js" in the published bundle (scripts/build.mjs swaps it in): `main` from
 * dist/chunks/core.cjs, one self-contained CommonJS file with the whole scaffold path (src/cli.ts and everything it
 * imports: options, the create command, node-plop, the handlebars runtime, the precompiled templates, src/artifacts),
 * run with node:vm so that V8's bytecode for it can be kept in a compile cache. Parsing and compiling that code, and
 * loading it as a dozen ES modules, was about a fifth of a scaffold; a cached run skips it. The modules the scaffold
 * path loads only on demand (prompts, execa, the log-group step, commander) stay ES module chunks: the core gets them
 * through the host passed in here (src/host.ts).
 *
 * The cache takes Node's variables (`module.enableCompileCache()`, Node ≥ 22.1): $NODE_COMPILE_CACHE names the
 * directory and $NODE_DISABLE_COMPILE_CACHE turns it off. Our file lives in a directory of its own,
 * $NODE_COMPILE_CACHE/create-fargate-service-<uid>, else <tmpdir>/create-fargate-service-compile-cache-<uid> (not
 * Node's shared <tmpdir>/node-compile-cache: creating that for one user would shut other users out of it). The
 * directory must belong to the current user and be private to them, since bytecode read from it runs; on Windows,
 * where there is no uid to check, the cache stays off. It is written once a project has rendered (never by a dry run,
 * which writes nothing anywhere), so it holds the functions rendering compiled too. It is best effort: whatever goes
 * wrong with it, the command goes on. V8 checks that cached data fits the source, the V8 version and its flags; data it
 * rejects is written again.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { createRequire } from "node:module";
import type { main as Main } from "./cli.js";
import { host, type Host } from "./host.js";
import { isSubcommand } from "./subcommands.js";

/** This package's version, put in by scripts/build.mjs (the core reads package.json itself; this chunk need not). */
declare const __CFS_VERSION__: string | undefined;

/** As src/cli.ts's main, which it runs from the core; the subcommands do not need the core, so they skip it. */
export const main: typeof Main = async (argv, io, cwd) => {
  const first = argv[0];
  if (isSubcommand(first)) return (await host.modules.program()).runSubcommand(first, argv);
  // The core sits next to the chunk that holds this code (dist/chunks/).
  return loadCore(fileURLToPath(new URL("./core.cjs", import.meta.url)))(argv, io, cwd);
};

/**
 * The compile-cache file for `code`, or undefined when the cache is off or its directory is not safely ours.
 * With `create`, the directory is made when missing; without it, a missing directory means no cache.
 */
export function compileCacheFile(code: string, { env = process.env, create = true }: { env?: NodeJS.ProcessEnv; create?: boolean } = {}): string | undefined {
  const uid = process.getuid?.();
  // Without a uid (Windows) ownership and mode bits say nothing, so there is no safe directory to read bytecode from.
  if (env.NODE_DISABLE_COMPILE_CACHE || uid === undefined) return undefined;
  const dir = env.NODE_COMPILE_CACHE
    ? path.join(env.NODE_COMPILE_CACHE, `create-fargate-service-${uid}`)
    : path.join(os.tmpdir(), `create-fargate-service-compile-cache-${uid}`);
  try {
    if (create) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = fs.lstatSync(dir);
    if (!st.isDirectory() || st.uid !== uid || (st.mode & 0o077) !== 0) return undefined;
  } catch {
    return undefined;
  }
  // V8 rejects data for other sources or V8 versions anyway; the name keeps installs of other versions from
  // overwriting each other's cache in turn.
  const version = typeof __CFS_VERSION__ === "string" ? __CFS_VERSION__ : "source";
  return path.join(dir, `core-${version}-${process.arch}-v8-${process.versions.v8}-${code.length}.cache`);
}

function loadCore(file: string): typeof Main {
  const code = fs.readFileSync(file, "utf8");
  // Read only: the directory is made when the cache is written (a dry run must not make it).
  const existing = compileCacheFile(code, { create: false });
  let cachedData: Buffer | undefined;
  if (existing) {
    try {
      cachedData = fs.readFileSync(existing);
    } catch {
      // no cache yet
    }
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname, __cfsHost) {${code}\n})`, { filename: file, cachedData });
  let saved = cachedData !== undefined && !script.cachedDataRejected;
  const coreHost: Host = {
    modules: host.modules,
    projectRendered() {
      if (saved) return;
      saved = true;
      const cacheFile = compileCacheFile(code);
      if (cacheFile) saveCache(cacheFile, script.createCachedData());
    },
  };
  const mod = { exports: {} as { main: typeof Main } };
  script.runInThisContext()(mod.exports, createRequire(file), mod, file, path.dirname(file), coreHost);
  return mod.exports.main;
}

function saveCache(file: string, data: Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, data, { mode: 0o600 });
    fs.renameSync(tmp, file); // readers see the old file or the whole new one
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // best effort, like the cache itself
    }
  }
}
