/**
 * Running the CLI as a user does, for the log-group tests.
 *
 * - `cliUnderTest()`: `dist/cli.js` when it has been built (`npm run build`, which `npm test` does first); otherwise the
 *   same entry (src/bin.ts) bundled by `buildHarness()`, so the tests also run before a full build exists.
 * - `buildHarness()`: src/bin.ts bundled like scripts/build.mjs (splitting, ESM) but with packages left external, so a
 *   resolve hook can see exactly which `@aws-sdk/*` modules a run loads.
 * - `runCli()`: spawn with a clean AWS environment (no ~/.aws, no IMDS, no colour) plus what the test gives.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const DIST_CLI = path.join(ROOT, "dist/cli.js");

let harness: Promise<string> | undefined;

/** Harness directories of test processes that are gone (vitest workers do not always run exit hooks). */
function removeDeadHarnesses(): void {
  const dir = path.join(ROOT, ".tmp");
  if (!fs.existsSync(dir)) return;
  for (const name of fs.readdirSync(dir)) {
    const pid = Number(/^log-group-harness-(\d+)$/.exec(name)?.[1]);
    if (!pid || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch {
      fs.rmSync(path.join(dir, name), { recursive: true, force: true });
    }
  }
}

/** Bundle src/bin.ts into .tmp/ with packages external; returns the path of its cli.js. Built once per process. */
export function buildHarness(): Promise<string> {
  harness ??= (async () => {
    const { build } = await import("esbuild");
    removeDeadHarnesses();
    const outdir = path.join(ROOT, ".tmp", `log-group-harness-${process.pid}`);
    fs.rmSync(outdir, { recursive: true, force: true });
    await build({
      entryPoints: { cli: path.join(ROOT, "src/bin.ts") },
      outdir,
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "node",
      target: "node20.19",
      packages: "external",
      chunkNames: "chunks/[name]-[hash]",
      logLevel: "error",
      banner: {
        js: "import { createRequire as __cfsCreateRequire } from 'node:module'; const require = __cfsCreateRequire(import.meta.url);",
      },
    });
    process.once("exit", () => fs.rmSync(outdir, { recursive: true, force: true }));
    return path.join(outdir, "cli.js");
  })();
  return harness;
}

/** Newest modification time of any file under src/ (what the bundle is built from). */
function newestSource(dir = path.join(ROOT, "src")): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** dist/cli.js exists and was built after the last change under src/. */
export function distIsFresh(): boolean {
  return fs.existsSync(DIST_CLI) && fs.statSync(DIST_CLI).mtimeMs >= newestSource();
}

/** The CLI the tests run: the built dist/cli.js when it is up to date, else the harness bundle of the same entry. */
export async function cliUnderTest(): Promise<{ path: string; kind: "dist" | "harness" }> {
  if (distIsFresh()) return { path: DIST_CLI, kind: "dist" };
  if (fs.existsSync(DIST_CLI)) console.warn("dist/cli.js is older than src/: testing a fresh harness bundle instead (run npm run build)");
  return { path: await buildHarness(), kind: "harness" };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

let home: string | undefined;

/** An empty HOME with no AWS config, so the developer's ~/.aws never leaks into a test. */
export function cleanHome(): string {
  home ??= fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "cfs-log-group-home-")));
  return home;
}

/** Environment without any AWS setting of the developer's machine, then `extra` (undefined values delete). */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const h = cleanHome();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: h,
    AWS_CONFIG_FILE: path.join(h, "no-aws-config"),
    AWS_SHARED_CREDENTIALS_FILE: path.join(h, "no-aws-credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
    NO_COLOR: "1",
    NODE_NO_WARNINGS: "1",
  };
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export function runNode(args: string[], opts: { env: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number }): Promise<CliResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: opts.env, cwd: opts.cwd ?? ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}

/** Run `node <cli> ...args` with a clean AWS environment plus `env`. */
export async function runCli(args: string[], env: Record<string, string | undefined> = {}, cwd?: string): Promise<CliResult> {
  const cli = await cliUnderTest();
  return runNode([cli.path, ...args], { env: cleanEnv(env), ...(cwd ? { cwd } : {}) });
}

/** Runs `fn` over `items` with at most `limit` at a time (spawned CLIs on a 2-core box). */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}
