/**
 * The scaffold core's V8 compile cache (src/core-loader.ts): the built CLI writes it on the first scaffold,
 * reads it on the next without writing it again, writes it again when V8 rejects it, never changes what a scaffold
 * writes, and stays off when Node's switch says so or when its directory is not private to the user.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildPrivateCopy } from "../../bench/lib/module-graph.mjs";
import { listFiles } from "../../generators/service.js";
import { compileCacheFile } from "../../src/core-loader.js";

let tmp: string;
let cli: string;
let runCount = 0;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cfs-compile-cache-"));
  ({ cli } = await buildPrivateCopy(path.join(tmp, "pkg")));
});

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** Scaffold with the built CLI; returns the exit code, stderr and the tree written (path → content). */
async function scaffold(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string; tree: Record<string, string> }> {
  const cwd = path.join(tmp, `run-${++runCount}`);
  fs.mkdirSync(cwd);
  let stderr = "";
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, [cli, "app", "--yes", "--no-install", "--no-git"], {
      cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", resolve);
  });
  const dir = path.join(cwd, "app");
  const tree = code === 0 ? Object.fromEntries(listFiles(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")])) : {};
  return { code, stderr, tree };
}

const ourDir = (base: string): string => path.join(base, `create-fargate-service-${process.getuid!()}`);

function cacheFiles(base: string): string[] {
  const dir = ourDir(base);
  return fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => path.join(dir, f)) : [];
}

describe.runIf(process.platform !== "win32")("scaffold core compile cache", () => {
  it("is written by the first scaffold, private to the user, and read by the next one without being written again", async () => {
    const base = path.join(tmp, "cache-reuse");
    const first = await scaffold({ NODE_COMPILE_CACHE: base });
    expect(first.code, first.stderr).toBe(0);
    const [file, ...others] = cacheFiles(base);
    expect(others).toEqual([]);
    expect(path.basename(file!)).toMatch(/^core-.+\.cache$/);
    expect(fs.statSync(ourDir(base)).mode & 0o777).toBe(0o700);
    expect(fs.statSync(file!).mode & 0o777).toBe(0o600);
    const written = fs.readFileSync(file!);
    expect(written.length).toBeGreaterThan(10_000);
    const { mtimeMs } = fs.statSync(file!);

    const second = await scaffold({ NODE_COMPILE_CACHE: base });
    expect(second.code, second.stderr).toBe(0);
    // Written again only if it was missing or rejected: unchanged means V8 took it.
    expect(fs.statSync(file!).mtimeMs).toBe(mtimeMs);
    expect(fs.readFileSync(file!).equals(written)).toBe(true);
    expect(second.tree).toEqual(first.tree);
    expect(Object.keys(first.tree).length).toBeGreaterThan(30);
  });

  it("is written again when V8 rejects it (here: garbage), and the scaffold is the same", async () => {
    const base = path.join(tmp, "cache-garbage");
    const reference = await scaffold({ NODE_COMPILE_CACHE: base });
    const [file] = cacheFiles(base);
    const garbage = Buffer.alloc(fs.statSync(file!).size, 0x5a);
    fs.writeFileSync(file!, garbage);
    const run = await scaffold({ NODE_COMPILE_CACHE: base });
    expect(run.code, run.stderr).toBe(0);
    expect(run.tree).toEqual(reference.tree);
    expect(fs.readFileSync(file!).equals(garbage)).toBe(false);
  });

  it("is read but not written by a dry run, which writes nothing anywhere", async () => {
    const base = path.join(tmp, "cache-dry-run");
    const dryRun = async (): Promise<number | null> => {
      const cwd = path.join(tmp, `run-${++runCount}`);
      fs.mkdirSync(cwd);
      return new Promise((resolve) => {
        const env = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_COMPILE_CACHE: base };
        spawn(process.execPath, [cli, "app", "--yes", "--dry-run"], { cwd, env, stdio: "ignore" }).on("close", resolve);
      });
    };
    expect(await dryRun()).toBe(0);
    expect(fs.existsSync(base)).toBe(false);
    // With a cache in place (and then a rejected one), a dry run leaves it as it is.
    await scaffold({ NODE_COMPILE_CACHE: base });
    const [file] = cacheFiles(base);
    fs.writeFileSync(file!, "stale");
    expect(await dryRun()).toBe(0);
    expect(fs.readFileSync(file!, "utf8")).toBe("stale");
  });

  it("is neither read nor written with NODE_DISABLE_COMPILE_CACHE", async () => {
    const base = path.join(tmp, "cache-disabled");
    const run = await scaffold({ NODE_COMPILE_CACHE: base, NODE_DISABLE_COMPILE_CACHE: "1" });
    expect(run.code, run.stderr).toBe(0);
    expect(fs.existsSync(base)).toBe(false);
  });

  it("is not used when its directory is readable by others, or cannot be made; the scaffold goes on", async () => {
    const open = path.join(tmp, "cache-open");
    fs.mkdirSync(ourDir(open), { recursive: true });
    fs.chmodSync(ourDir(open), 0o755);
    const a = await scaffold({ NODE_COMPILE_CACHE: open });
    expect(a.code, a.stderr).toBe(0);
    expect(cacheFiles(open)).toEqual([]);

    const notADir = path.join(tmp, "cache-file");
    fs.writeFileSync(notADir, "");
    const b = await scaffold({ NODE_COMPILE_CACHE: notADir });
    expect(b.code, b.stderr).toBe(0);
    expect(b.tree).toEqual(a.tree);
  });
});

describe.runIf(process.platform !== "win32")("compileCacheFile", () => {
  it("takes Node's variables: a directory of ours in NODE_COMPILE_CACHE, else in the temp dir; off with NODE_DISABLE_COMPILE_CACHE", () => {
    const base = path.join(tmp, "unit");
    const file = compileCacheFile("code", { env: { NODE_COMPILE_CACHE: base } });
    expect(file && path.dirname(file)).toBe(ourDir(base));
    expect(compileCacheFile("code", { env: { NODE_COMPILE_CACHE: base, NODE_DISABLE_COMPILE_CACHE: "1" } })).toBeUndefined();
    // Not Node's shared <tmpdir>/node-compile-cache: one user creating it would shut others out.
    const savedTmpdir = process.env.TMPDIR;
    process.env.TMPDIR = fs.mkdtempSync(path.join(tmp, "tmpdir-")); // os.tmpdir() reads it
    try {
      const fallback = compileCacheFile("code", { env: {} });
      const own = path.join(process.env.TMPDIR, `create-fargate-service-compile-cache-${process.getuid!()}`);
      expect(fallback && path.dirname(fallback)).toBe(own);
      expect(fs.statSync(own).mode & 0o777).toBe(0o700);
      expect(fs.readdirSync(process.env.TMPDIR)).toEqual([path.basename(own)]);
    } finally {
      if (savedTmpdir === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmpdir;
    }
  });

  it("without create, a missing directory means no cache and is not made", () => {
    const base = path.join(tmp, "unit-no-create");
    expect(compileCacheFile("code", { env: { NODE_COMPILE_CACHE: base }, create: false })).toBeUndefined();
    expect(fs.existsSync(base)).toBe(false);
  });

  it("names the file for the source length, V8 version and architecture, so other sources or runtimes do not share it", () => {
    const env = { NODE_COMPILE_CACHE: path.join(tmp, "unit-names") };
    const a = compileCacheFile("a", { env })!;
    expect(compileCacheFile("ab", { env })).not.toBe(a);
    expect(path.basename(a)).toContain(process.versions.v8);
    expect(path.basename(a)).toContain(process.arch);
  });
});
