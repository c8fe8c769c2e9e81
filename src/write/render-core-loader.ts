/**
 * What src/write/load-renderer.ts is in the published bundle (scripts/build.mjs swaps it in): `renderProject` from
 * dist/chunks/render-core.cjs, one self-contained CommonJS file with everything rendering needs (node-plop, the
 * handlebars runtime, the precompiled templates, src/artifacts), run with node:vm so that V8's bytecode for it can be
 * kept in a compile cache. Parsing and compiling that code was about a fifth of a scaffold; a cached run skips it.
 *
 * The cache takes Node's variables (`module.enableCompileCache()`, Node ≥ 22.1): $NODE_COMPILE_CACHE names the
 * directory and $NODE_DISABLE_COMPILE_CACHE turns it off. Our file lives in a directory of its own,
 * $NODE_COMPILE_CACHE/create-fargate-service-<uid>, else <tmpdir>/create-fargate-service-compile-cache-<uid> (not
 * Node's shared <tmpdir>/node-compile-cache: creating that for one user would shut other users out of it). The
 * directory must belong to the current user and be private to them, since bytecode read from it runs; on Windows,
 * where there is no uid to check, the cache stays off. It is best effort: whatever goes wrong with it, rendering goes on. V8
 * checks that cached data fits the source, the V8 version and its flags; data it rejects is written again.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { createRequire } from "node:module";
import type { LoadRenderOptions, RenderProjectFn } from "./load-renderer.js";
import { packageVersion } from "../paths.js";

/**
 * The render core sits next to the chunk that holds this code (dist/chunks/). `writeCache: false` (a dry run, which
 * writes nothing anywhere) still reads an existing cache but never creates or updates one.
 */
export async function loadRenderProject({ writeCache = true }: LoadRenderOptions = {}): Promise<RenderProjectFn> {
  return loadRenderCore(fileURLToPath(new URL("./render-core.cjs", import.meta.url)), writeCache);
}

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
  return path.join(dir, `render-core-${packageVersion()}-${process.arch}-v8-${process.versions.v8}-${code.length}.cache`);
}

function loadRenderCore(file: string, writeCache: boolean): RenderProjectFn {
  const code = fs.readFileSync(file, "utf8");
  const cacheFile = compileCacheFile(code, { create: writeCache });
  let cachedData: Buffer | undefined;
  if (cacheFile) {
    try {
      cachedData = fs.readFileSync(cacheFile);
    } catch {
      // no cache yet
    }
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${code}\n})`, { filename: file, cachedData });
  const mod = { exports: {} as { renderProject: RenderProjectFn } };
  script.runInThisContext()(mod.exports, createRequire(file), mod, file, path.dirname(file));
  const render = mod.exports.renderProject;
  let saved = !writeCache || cacheFile === undefined || (cachedData !== undefined && !script.cachedDataRejected);
  return async (...args) => {
    const files = await render(...args);
    // After a render, the data holds the functions it compiled too (the templates, the document builders).
    if (!saved) {
      saved = true;
      saveCache(cacheFile!, script.createCachedData());
    }
    return files;
  };
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
