/**
 * Spawn the built CLI (dist/cli.js, as `npm test` builds it) with pipes, no TTY, and a clean, predictable
 * environment. CFS_TEST_CLI points the tests at another build of the same bin.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const CLI = process.env.CFS_TEST_CLI ? path.resolve(process.env.CFS_TEST_CLI) : path.join(ROOT, "dist", "cli.js");
export const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { name: string; version: string };

export function assertBuilt(): void {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Extra node flags, e.g. ["--import", preload]. */
  nodeArgs?: string[];
  timeoutMs?: number;
  /** Called with the child's stderr as it grows; return true to send `signal`. */
  killWhen?: { stderr: RegExp; signal: NodeJS.Signals; delayMs?: number };
}

/** The environment every spawned CLI gets: the parent's PATH and HOME-ish basics, none of its AWS/CI/npm settings. */
export function baseEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const k of ["PATH", "HOME", "TMPDIR", "LANG", "SystemRoot"]) if (process.env[k] !== undefined) env[k] = process.env[k];
  return { ...env, ...extra };
}

export function runCli(args: string[], opts: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), CLI, ...args], {
      cwd: opts.cwd,
      env: opts.env ?? baseEnv(),
      stdio: ["pipe", "pipe", "pipe"],
    });
    child.stdin.end();
    let stdout = "";
    let stderr = "";
    let killed = false;
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 60_000);
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      const k = opts.killWhen;
      if (k && !killed && k.stderr.test(stderr)) {
        killed = true;
        setTimeout(() => child.kill(k.signal), k.delayMs ?? 0);
      }
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Any ANSI escape sequence. */
export const ANSI = /\u001b\[[0-9;]*[A-Za-z]/;
