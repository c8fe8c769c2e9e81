/**
 * Failures during generation leave the target exactly as it was and no staging directory behind:
 * - a template that fails in strict mode (runCreate's templatesDir override: a copy of templates/ plus one broken file);
 * - a commit that cannot complete (a directory where a generated file goes, with --force);
 * - the CLI killed (SIGINT / SIGTERM) while it renders, with writes slowed down by a preload so the kill lands mid-way.
 */
import fs from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCreate } from "../../src/commands/create.js";
import { parseGiven } from "../../src/options/resolve.js";
import { ROOT, assertBuilt, baseEnv, runCli } from "../helpers/cli.js";
import { cleanupTmp, makeTmp, snapshotTree, stagingLeftovers, writeTree } from "../helpers/tmp.js";

afterAll(() => cleanupTmp());

function memIo() {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (into: string[]) => new Writable({ write: (c, _e, cb) => (into.push(String(c)), cb()) });
  return { io: { stdout: sink(out), stderr: sink(err), env: { NO_COLOR: "1" } as NodeJS.ProcessEnv }, out: () => out.join(""), err: () => err.join("") };
}

/** A copy of templates/ with one more template, rendered after every other base file, that names an undefined variable. */
function brokenTemplates(): string {
  const dir = path.join(makeTmp("cfs-templates-"), "templates");
  fs.cpSync(path.join(ROOT, "templates"), dir, { recursive: true });
  writeTree(dir, { "service/base/zz-last/broken.txt": "port {{port}} and {{undefinedVariable}}\n" });
  return dir;
}

async function create(cwd: string, argv: Record<string, unknown>, templatesDir?: string) {
  const m = memIo();
  const code = await runCreate({ given: parseGiven({ yes: true, install: false, git: false, ...argv }), io: m.io, cwd, isTTY: false, templatesDir });
  return { code, stdout: m.out(), stderr: m.err() };
}

describe("a template fails to render (strict mode)", () => {
  let templates: string;
  beforeAll(() => {
    templates = brokenTemplates();
  });

  it("the same templates without the broken file render fine (the failure is the injected one)", async () => {
    const cwd = makeTmp();
    const ok = path.join(makeTmp("cfs-templates-"), "templates");
    fs.cpSync(templates, ok, { recursive: true });
    fs.rmSync(path.join(ok, "service/base/zz-last"), { recursive: true });
    expect((await create(cwd, { directory: "svc" }, ok)).code).toBe(0);
  });

  it("missing target: exit 1 naming the template and the variable; still missing, no staging left", async () => {
    const cwd = makeTmp();
    const r = await create(cwd, { directory: "svc" }, templates);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/zz-last\/broken\.txt/);
    expect(r.stderr).toMatch(/undefinedVariable/);
    expect(r.stderr).toContain("Nothing was written");
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  it("existing target with allow-listed files only: byte-identical afterwards", async () => {
    const cwd = makeTmp();
    const target = path.join(cwd, "svc");
    writeTree(target, { ".git/HEAD": "ref: refs/heads/main\n", ".git/config": "[core]\n", LICENSE: "MIT\n", ".vscode/settings.json": "{}" });
    const before = snapshotTree(cwd);
    const r = await create(cwd, { directory: "svc" }, templates);
    expect(r.code).toBe(1);
    expect(snapshotTree(cwd)).toEqual(before);
  });

  it("non-empty target with --force: byte-identical afterwards", async () => {
    const cwd = makeTmp();
    writeTree(path.join(cwd, "svc"), { "README.md": "mine\n", "package.json": "{}\n", "notes.txt": "x\n" });
    const before = snapshotTree(cwd);
    const r = await create(cwd, { directory: "svc", force: true }, templates);
    expect(r.code).toBe(1);
    expect(snapshotTree(cwd)).toEqual(before);
  });

  it("--json: one object with ok false and the error", async () => {
    const cwd = makeTmp();
    const r = await create(cwd, { directory: "svc", json: true }, templates);
    expect(r.code).toBe(1);
    const s = JSON.parse(r.stdout) as { ok: boolean; error: string; files: string[] };
    expect(s.ok).toBe(false);
    expect(s.error).toMatch(/undefinedVariable/);
    expect(s.files).toEqual([]);
  });

  it("--dry-run fails the same way and leaves nothing in the temp dir", async () => {
    const cwd = makeTmp();
    const r = await create(cwd, { directory: "svc", dryRun: true }, templates);
    expect(r.code).toBe(1);
    expect(fs.readdirSync(cwd)).toEqual([]);
  });
});

describe("the commit fails part-way", () => {
  it("--force with a directory where a generated file goes: exit 1, the target byte-identical, no staging or backup left", async () => {
    const cwd = makeTmp();
    writeTree(path.join(cwd, "svc"), { "README.md": "mine\n", "Dockerfile/notes.md": "my notes\n", ".git/HEAD": "ref\n" });
    const before = snapshotTree(cwd);
    const r = await create(cwd, { directory: "svc", force: true });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/could not write/);
    expect(r.stderr).toMatch(/Dockerfile/);
    expect(snapshotTree(cwd)).toEqual(before);
  });
});

describe("the CLI is killed while it renders", () => {
  let preload: string;
  beforeAll(() => {
    assertBuilt();
    // Slow down every write into a staging directory, so a signal sent once generation starts lands mid-way.
    preload = path.join(makeTmp("cfs-preload-"), "slow-writes.mjs");
    fs.writeFileSync(
      preload,
      `import fs from "node:fs";
const staged = (file) => String(file).includes("create-fargate-service-");
const writeAsync = fs.promises.writeFile;
fs.promises.writeFile = async function (file, ...rest) {
  if (staged(file)) await new Promise((r) => setTimeout(r, 100));
  return writeAsync.call(this, file, ...rest);
};
const writeSync = fs.writeFileSync;
fs.writeFileSync = function (file, ...rest) {
  if (staged(file)) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
  return writeSync.call(this, file, ...rest);
};
`,
    );
  });

  // Repeated: the kill lands at a different point each time (a write in flight was once seen to re-create staging).
  it.each([
    ["SIGINT", 130],
    ["SIGTERM", 143],
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const)("%s → exit %i, target still missing, no staging left", async (signal, exitCode) => {
    const cwd = makeTmp();
    const r = await runCli(["svc", "--yes", "--no-install", "--no-git"], {
      cwd,
      env: baseEnv(),
      nodeArgs: ["--import", preload],
      killWhen: { stderr: /Generating/, signal, delayMs: 300 },
    });
    expect(r.code, r.stderr).toBe(exitCode);
    expect(r.stderr).toMatch(/cancelled; nothing was written/i);
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  it("a pre-existing target with allow-listed files stays byte-identical", async () => {
    const cwd = makeTmp();
    writeTree(path.join(cwd, "svc"), { ".git/HEAD": "ref: refs/heads/main\n", LICENSE: "MIT\n" });
    const before = snapshotTree(cwd);
    const r = await runCli(["svc", "--yes", "--no-install", "--no-git"], {
      cwd,
      env: baseEnv(),
      nodeArgs: ["--import", preload],
      killWhen: { stderr: /Generating/, signal: "SIGINT", delayMs: 300 },
    });
    expect(r.code, r.stderr).toBe(130);
    expect(snapshotTree(cwd)).toEqual(before);
    expect(stagingLeftovers(cwd)).toEqual([]);
  });

  it("without a kill the slowed-down run completes (the preload only delays)", async () => {
    const cwd = makeTmp();
    const r = await runCli(["svc", "--yes", "--no-install", "--no-git"], { cwd, env: baseEnv(), nodeArgs: ["--import", preload] });
    expect(r.code, r.stderr).toBe(0);
    expect(fs.existsSync(path.join(cwd, "svc/package.json"))).toBe(true);
  });
});
