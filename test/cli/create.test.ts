/**
 * The built bin, spawned with pipes (no TTY): help and version, usage errors (exit 2, nothing created), a non-empty
 * target (exit 1, untouched), --force, --dry-run, --json, colour rules, --config, and a full run.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCHEMA, OPTION_KEYS, SERVICE_OPTION_KEYS } from "../../src/options/schema.js";
import { ANSI, PKG, assertBuilt, baseEnv, runCli } from "../helpers/cli.js";
import { cleanupTmp, makeTmp, snapshotTree, stagingLeftovers, writeTree } from "../helpers/tmp.js";

beforeAll(() => assertBuilt());
afterAll(() => cleanupTmp());

const REQUIRED = ["package.json", "tsconfig.json", "src/server.ts", "Dockerfile", ".dockerignore", ".gitignore", "README.md", "ecs/task-definition.json"];
const QUIET = ["--no-install", "--no-git"];

function listFiles(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .map((p) => p.split(path.sep).join("/"))
    .filter((p) => fs.statSync(path.join(dir, p)).isFile())
    .sort();
}

describe.concurrent("--help and --version", () => {
  it("--help lists every schema flag, and every flag it mentions exists", async () => {
    const r = await runCli(["--help"], { cwd: makeTmp() });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const help = r.stdout;
    expect(help).toContain("Usage: create-fargate-service [directory] [options]");
    expect(help).toMatch(/^\s+directory\s/m);
    const known = new Set(["config", "help", "version"]);
    for (const key of OPTION_KEYS) {
      if (key === "directory") continue;
      const spec = SCHEMA[key];
      known.add(spec.flag);
      expect(help, `--${spec.flag}`).toMatch(new RegExp(`(^|[ ,])--${spec.flag}\\b`, "m"));
      if (spec.short) expect(help).toContain(`-${spec.short}, --${spec.flag}`);
      if (spec.arg) expect(help).toContain(`--${spec.flag} ${spec.arg}`);
      if (spec.kind === "boolean") known.add(`no-${spec.flag}`);
      for (const alias of spec.negativeAliases ?? []) {
        known.add(alias);
        expect(help).toContain(`--${alias}`);
      }
    }
    expect(help).toContain("--config <file.json>");
    expect(help).toContain("-h, --help");
    expect(help).toContain("-v, --version");
    const mentioned = [...help.matchAll(/(?<![\w-])--([a-z][a-z0-9-]*)/g)].map((m) => m[1]!);
    expect(mentioned.filter((f) => !known.has(f))).toEqual([]);
  });

  it("-h is --help", async () => {
    const a = await runCli(["-h"], { cwd: makeTmp() });
    const b = await runCli(["--help"], { cwd: makeTmp() });
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });

  it.each([["--version"], ["-v"]])("%s prints the package.json version", async (flag) => {
    const r = await runCli([flag], { cwd: makeTmp() });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(PKG.version);
  });
});

describe.concurrent("usage errors: exit 2, nothing created", () => {
  it("no TTY, no directory, no --yes → names what is missing", async () => {
    const cwd = makeTmp();
    const r = await runCli([], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Missing required options: <directory>");
    expect(r.stderr).toMatch(/--help/);
    expect(r.stdout).toBe("");
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  it("--no-interactive behaves the same even in CI-less environments", async () => {
    const cwd = makeTmp();
    const r = await runCli(["--no-interactive"], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Missing required options: <directory>");
  });

  const SM = "arn:aws:secretsmanager:us-east-1:123456789012:secret:x";
  it.each([
    [["--cpu", "300"], ['"300"', "256, 512, 1024, 2048, 4096, 8192, 16384"]],
    [["--cpu", "256", "--memory", "4096"], ["4096", "512, 1024, 2048"]],
    [["--port", "80"], ["--port 80", "1024–65535"]],
    [["--discovery", "foo"], ['"foo"', "alb, cloudmap, none"]],
    [["--log-retention", "2"], ['"2"', "never"]],
    [["--name", "My_Svc"], ['"My_Svc"', "lowercase"]],
    [["--region", "eu-west-9"], ['"eu-west-9"', "eu-west-1"]],
    [["--secret", "bad"], ['"bad"', "NAME=ARN"]],
    [["--secret", `A=${SM}`, "--secret", `A=${SM}`], ['"A"', "more than once"]],
    [["--min-tasks", "5", "--max-tasks", "2"], ["--min-tasks 5", "--max-tasks 2"]],
    [["--scale-on", "requests", "--discovery", "none"], ["--scale-on requests", "none"]],
    [["--bogus"], ["--bogus"]],
    [["--cpu"], ["--cpu"]],
    [["extra-arg"], ["too many arguments"]],
  ])("%j → exit 2 naming the value; the target does not exist afterwards", async (args, mention) => {
    const cwd = makeTmp();
    for (const extra of [[], ["--yes"]]) {
      const r = await runCli(["svc", ...args, ...extra, ...QUIET], { cwd });
      expect(r.code, r.stderr).toBe(2);
      for (const m of mention) expect(r.stderr).toContain(m);
      expect(r.stdout).toBe("");
      expect(fs.existsSync(path.join(cwd, "svc"))).toBe(false);
      expect(fs.readdirSync(cwd)).toEqual([]);
    }
  });

  it("every bad value is reported at once", async () => {
    const r = await runCli(["svc", "--port", "80", "--discovery", "foo", "--name", "My_Svc"], { cwd: makeTmp() });
    expect(r.code).toBe(2);
    for (const m of ["--port 80", '"foo"', '"My_Svc"']) expect(r.stderr).toContain(m);
  });
});

describe.concurrent("the target", () => {
  it("non-empty → exit 1, conflicts listed, every byte left as it was", async () => {
    const cwd = makeTmp();
    const target = path.join(cwd, "svc");
    writeTree(target, { "README.md": "mine\n", "notes.txt": "keep\n", ".git/HEAD": "ref: refs/heads/main\n", LICENSE: "MIT\n", "src/index.ts": "x" });
    const before = snapshotTree(target);
    const r = await runCli(["svc", "--yes", ...QUIET], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("is not empty");
    for (const c of ["README.md", "notes.txt", "src"]) expect(r.stderr).toMatch(new RegExp(`^\\s+${c}$`, "m"));
    expect(r.stderr).not.toMatch(/^\s+LICENSE$/m);
    expect(r.stderr).toContain("--force");
    expect(snapshotTree(target)).toEqual(before);
    expect(stagingLeftovers(cwd)).toEqual([]);
  });

  it("empty enough (.git and a LICENSE only) → written without --force; .git untouched", async () => {
    const cwd = makeTmp();
    const target = path.join(cwd, "svc");
    writeTree(target, { ".git/HEAD": "ref: refs/heads/main\n", ".git/config": "[core]\n", LICENSE: "MIT\n" });
    const git = snapshotTree(path.join(target, ".git"));
    const r = await runCli(["svc", "--yes", ...QUIET], { cwd });
    expect(r.code, r.stderr).toBe(0);
    for (const f of REQUIRED) expect(fs.existsSync(path.join(target, f)), f).toBe(true);
    expect(snapshotTree(path.join(target, ".git"))).toEqual(git);
    expect(fs.readFileSync(path.join(target, "LICENSE"), "utf8")).toBe("MIT\n");
    expect(stagingLeftovers(cwd)).toEqual([]);
  });

  it("--force overwrites what collides, keeps every other file, never touches .git", async () => {
    const cwd = makeTmp();
    const target = path.join(cwd, "svc");
    writeTree(target, {
      "README.md": "mine\n",
      "notes.txt": "keep\n",
      "src/extra.ts": "keep too\n",
      ".env": "A=1\n",
      ".git/HEAD": "ref: refs/heads/main\n",
      ".git/objects/aa/bbbb": "blob",
    });
    const git = snapshotTree(path.join(target, ".git"));
    const r = await runCli(["svc", "--yes", "--force", "--json", ...QUIET], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { overwritten: string[]; files: string[] };
    expect(summary.overwritten).toEqual(["README.md"]);
    expect(fs.readFileSync(path.join(target, "README.md"), "utf8")).not.toBe("mine\n");
    expect(fs.readFileSync(path.join(target, "notes.txt"), "utf8")).toBe("keep\n");
    expect(fs.readFileSync(path.join(target, "src/extra.ts"), "utf8")).toBe("keep too\n");
    expect(fs.readFileSync(path.join(target, ".env"), "utf8")).toBe("A=1\n");
    expect(snapshotTree(path.join(target, ".git"))).toEqual(git);
    for (const f of summary.files) expect(fs.existsSync(path.join(target, f)), f).toBe(true);
    expect(stagingLeftovers(cwd)).toEqual([]);
  });

  it("a file in place of the target directory → exit 1, file untouched", async () => {
    const cwd = makeTmp();
    fs.writeFileSync(path.join(cwd, "svc"), "a file\n");
    const r = await runCli(["svc", "--yes", ...QUIET], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("not a directory");
    expect(fs.readFileSync(path.join(cwd, "svc"), "utf8")).toBe("a file\n");
  });

  it('"." scaffolds into the current directory, named after it; no staging left beside it', async () => {
    const parent = makeTmp();
    const cwd = path.join(parent, "Orders Service");
    fs.mkdirSync(cwd);
    const r = await runCli([".", "--yes", "--json", ...QUIET], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).options.name).toBe("orders-service");
    expect(JSON.parse(fs.readFileSync(path.join(cwd, "package.json"), "utf8")).name).toBe("orders-service");
    expect(fs.readdirSync(parent)).toEqual(["Orders Service"]);
  });

  it("a nested target whose parents do not exist is created", async () => {
    const cwd = makeTmp();
    const r = await runCli(["apps/billing/api", "--yes", ...QUIET], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(cwd, "apps/billing/api/package.json"), "utf8")).name).toBe("api");
    expect(stagingLeftovers(path.join(cwd, "apps/billing"))).toEqual([]);
  });
});

describe.concurrent("--dry-run", () => {
  it("writes nothing (target absent, no staging anywhere) and lists the files and steps", async () => {
    const cwd = makeTmp();
    const tmp = makeTmp(); // the child's TMPDIR: dry-run staging must be gone from it too
    const r = await runCli(["svc", "--yes", "--dry-run"], { cwd, env: baseEnv({ TMPDIR: tmp }) });
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readdirSync(cwd)).toEqual([]);
    expect(fs.readdirSync(tmp)).toEqual([]);
    for (const f of REQUIRED) expect(r.stdout).toMatch(new RegExp(`^\\s+${f.replace(/\./g, "\\.")}$`, "m"));
    expect(r.stdout).toMatch(/install/);
    expect(r.stdout).toMatch(/git/);
    expect(r.stdout).toMatch(/Nothing was written/);
  });

  it("with --force over a non-empty directory: still writes nothing", async () => {
    const cwd = makeTmp();
    writeTree(path.join(cwd, "svc"), { "README.md": "mine\n", "notes.txt": "x" });
    const before = snapshotTree(cwd);
    const r = await runCli(["svc", "--yes", "--dry-run", "--force"], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(snapshotTree(cwd)).toEqual(before);
  });

  it("with --json: one object with dryRun true and the file list; the listing goes to stderr", async () => {
    const cwd = makeTmp();
    const r = await runCli(["svc", "--yes", "--dry-run", "--json"], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as { dryRun: boolean; files: string[]; ok: boolean };
    expect(s.dryRun).toBe(true);
    expect(s.ok).toBe(true);
    for (const f of REQUIRED) expect(s.files).toContain(f);
    expect(fs.readdirSync(cwd)).toEqual([]);
  });
});

describe.concurrent("--json", () => {
  it("prints exactly one parseable object: options used, files written, steps and their outcome", async () => {
    const cwd = makeTmp();
    const r = await runCli(["svc", "--yes", "--json", "--discovery", "cloudmap", "--cpu", "512", ...QUIET], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as {
      ok: boolean;
      directory: string;
      options: Record<string, unknown>;
      files: string[];
      steps: Array<{ name: string; status: string }>;
      nextSteps: string[];
    };
    expect(r.stdout.trim().startsWith("{")).toBe(true);
    expect(s.ok).toBe(true);
    expect(s.directory).toBe(path.join(cwd, "svc"));
    // Options used: the service options (JSON drops the unset optional ones), no run flags.
    for (const k of Object.keys(s.options)) expect(SERVICE_OPTION_KEYS as string[]).toContain(k);
    for (const k of ["name", "discovery", "port", "cpu", "memory", "arch", "region", "logGroup"]) expect(s.options).toHaveProperty(k);
    for (const k of ["yes", "force", "dryRun", "json", "install", "git"]) expect(s.options).not.toHaveProperty(k);
    expect(s.options).toMatchObject({ name: "svc", discovery: "cloudmap", cpu: 512, memory: 1024 });
    expect(s.files).toEqual(listFiles(path.join(cwd, "svc")));
    expect(s.steps.find((x) => x.name === "install")?.status).toBe("skipped");
    expect(s.steps.find((x) => x.name === "git")?.status).toBe("skipped");
    for (const step of s.steps) expect(["ok", "skipped", "failed"]).toContain(step.status);
    expect(s.nextSteps.length).toBeGreaterThan(0);
    // Progress stays on stderr.
    expect(r.stderr).toMatch(/Generating/);
  });

  it("a refused target still prints one object, with ok false and the error", async () => {
    const cwd = makeTmp();
    writeTree(path.join(cwd, "svc"), { "README.md": "mine\n" });
    const r = await runCli(["svc", "--yes", "--json", ...QUIET], { cwd });
    expect(r.code).toBe(1);
    const s = JSON.parse(r.stdout) as { ok: boolean; error: string };
    expect(s.ok).toBe(false);
    expect(s.error).toMatch(/not empty/);
  });
});

describe.concurrent("colour", () => {
  const hasAnsi = (r: { stdout: string; stderr: string }) => ANSI.test(r.stdout) || ANSI.test(r.stderr);

  it("no TTY → no ANSI escapes (success and failure)", async () => {
    const cwd = makeTmp();
    expect(hasAnsi(await runCli(["svc", "--yes", ...QUIET], { cwd }))).toBe(false);
    expect(hasAnsi(await runCli(["svc", "--yes", ...QUIET], { cwd }))).toBe(false); // not empty now: exit 1
    expect(hasAnsi(await runCli(["x", "--port", "80"], { cwd }))).toBe(false);
  });

  it("NO_COLOR wins over FORCE_COLOR; FORCE_COLOR alone colours (so the check above can fail)", async () => {
    const forced = await runCli(["svc", "--yes", ...QUIET], { cwd: makeTmp(), env: baseEnv({ FORCE_COLOR: "1" }) });
    expect(hasAnsi(forced)).toBe(true);
    const both = await runCli(["svc", "--yes", ...QUIET], { cwd: makeTmp(), env: baseEnv({ FORCE_COLOR: "1", NO_COLOR: "1" }) });
    expect(both.code).toBe(0);
    expect(hasAnsi(both)).toBe(false);
  });
});

describe.concurrent("--config", () => {
  it("reads the answers file; flags override it", async () => {
    const cwd = makeTmp();
    fs.writeFileSync(path.join(cwd, "answers.json"), JSON.stringify({ discovery: "cloudmap", cpu: 512, arch: "arm64", "log-retention": 7 }));
    const r = await runCli(["svc", "--config", "answers.json", "--arch", "x86_64", "--yes", "--json", ...QUIET], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).options).toMatchObject({ discovery: "cloudmap", cpu: 512, memory: 1024, arch: "x86_64", logRetention: 7 });
    const td = JSON.parse(fs.readFileSync(path.join(cwd, "svc/ecs/task-definition.json"), "utf8")) as { cpu: string; memory: string };
    expect([String(td.cpu), String(td.memory)]).toEqual(["512", "1024"]);
  });

  it("unknown keys → exit 2, nothing created", async () => {
    const cwd = makeTmp();
    fs.writeFileSync(path.join(cwd, "answers.json"), JSON.stringify({ cpu: 512, colour: "blue" }));
    const r = await runCli(["svc", "--config", "answers.json", "--yes"], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"colour"');
    expect(fs.readdirSync(cwd)).toEqual(["answers.json"]);
  });
});

describe.concurrent("a full run", () => {
  it("--no-install --no-git: exit 0 and a project with every required file; defaults printed with their flags", async () => {
    const cwd = makeTmp();
    const r = await runCli(["my-svc", "--yes", ...QUIET], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const target = path.join(cwd, "my-svc");
    for (const f of REQUIRED) expect(fs.existsSync(path.join(target, f)), f).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(target, "package.json"), "utf8")).name).toBe("my-svc");
    expect(fs.readFileSync(path.join(target, "Dockerfile"), "utf8")).toMatch(/^FROM /m);
    // Defaults are shown with the flag that sets each.
    for (const flag of ["--discovery alb", "--cpu 256", "--memory 512", "--arch x86_64", "--region us-east-1"]) expect(r.stderr).toContain(flag);
    // Progress on stderr, results on stdout: the next steps.
    expect(r.stderr).toMatch(/Generating/);
    expect(r.stdout).not.toMatch(/Generating|Using defaults/);
    expect(r.stdout).toMatch(/Next steps/);
    expect(r.stdout).toContain("cd my-svc");
    expect(r.stdout).toContain("npm install");
    expect(stagingLeftovers(cwd)).toEqual([]);
  });

  it("every script the next steps tell the user to run exists in the generated package.json", async () => {
    const cwd = makeTmp();
    for (const pm of ["npm", "pnpm", "yarn"]) {
      const dir = `svc-${pm}`;
      const r = await runCli([dir, "--yes", "--json", "--package-manager", pm, ...QUIET], { cwd });
      expect(r.code, r.stderr).toBe(0);
      const { nextSteps } = JSON.parse(r.stdout) as { nextSteps: string[] };
      const scripts = Object.keys((JSON.parse(fs.readFileSync(path.join(cwd, dir, "package.json"), "utf8")) as { scripts: object }).scripts);
      const builtIn = new Set(["install", "test", "exec", "add"]);
      const named = nextSteps
        .filter((s) => !s.startsWith("#"))
        .flatMap((s) => [...s.matchAll(new RegExp(`(?:^|&& )${pm} (?:run )?([a-z][\\w:-]*)`, "g"))].map((m) => m[1]!))
        .filter((name) => !builtIn.has(name) || name === "test");
      expect(named.length, nextSteps.join("\n")).toBeGreaterThan(0);
      for (const name of named) expect(scripts, `${pm}: "${name}" in next steps`).toContain(name);
    }
  });

  it("AWS_REGION sets the default region", async () => {
    const cwd = makeTmp();
    const r = await runCli(["svc", "--yes", "--json", ...QUIET], { cwd, env: baseEnv({ AWS_REGION: "eu-central-1" }) });
    expect(JSON.parse(r.stdout).options.region).toBe("eu-central-1");
  });

  it("the package manager running the command is the default (npm_config_user_agent)", async () => {
    const cwd = makeTmp();
    const r = await runCli(["svc", "--yes", ...QUIET], { cwd, env: baseEnv({ npm_config_user_agent: "pnpm/9.1.0 npm/? node/v20.20.2 linux x64" }) });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("pnpm install");
    expect(r.stdout).toContain("pnpm test");
  });
});

describe.concurrent("install step", () => {
  it("a missing package manager: exit 1, files kept, the command to retry printed", async () => {
    const cwd = makeTmp();
    const emptyPath = makeTmp(); // neither pnpm nor git on PATH
    const r = await runCli(["svc", "--yes", "--no-git", "--package-manager", "pnpm", "--json"], { cwd, env: baseEnv({ PATH: emptyPath }) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("pnpm is not installed or not on PATH");
    expect(r.stderr).toContain("Retry with: cd svc && pnpm install");
    expect(fs.existsSync(path.join(cwd, "svc/package.json"))).toBe(true);
    const s = JSON.parse(r.stdout) as { ok: boolean; steps: Array<{ name: string; status: string; command?: string }> };
    expect(s.ok).toBe(false);
    expect(s.steps.find((x) => x.name === "install")).toMatchObject({ status: "failed", command: "pnpm install" });
  });

  it("--skip-install is --no-install", async () => {
    const cwd = makeTmp();
    const r = await runCli(["svc", "--yes", "--no-git", "--skip-install", "--json"], { cwd, env: baseEnv({ PATH: makeTmp() }) });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).steps.find((x: { name: string }) => x.name === "install").status).toBe("skipped");
  });
});

describe("--json with a usage error", () => {
  it("still prints one JSON object on stdout, with exit 2 and the message, and writes nothing", async () => {
    const cwd = makeTmp("cfs-json-usage-");
    const cases: Array<[string[], RegExp]> = [
      [["svc", "--cpu", "300", "--json"], /--cpu "300"/],
      [["svc", "--bogus", "--json"], /--bogus/],
      [["svc", "--yes", "--cpu", "256", "--memory", "4096", "--json"], /memory 4096 is not valid with cpu 256/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args, { cwd });
      expect(r.code).toBe(2);
      const out = JSON.parse(r.stdout) as { ok: boolean; exitCode: number; error: string };
      expect(out).toMatchObject({ ok: false, exitCode: 2 });
      expect(out.error).toMatch(message);
      expect(fs.existsSync(path.join(cwd, "svc"))).toBe(false);
    }
  });
});

describe("subcommands with --json and a usage error", () => {
  it("log-group and check still print one JSON object on stdout, exit 2", async () => {
    const cwd = makeTmp("cfs-json-sub-");
    for (const args of [["log-group", "/ecs/x", "--bogus", "--json"], ["check", "--format", "json", "--nope"]]) {
      const r = await runCli(args, { cwd });
      expect(r.code).toBe(2);
      expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, exitCode: 2, error: expect.stringMatching(/unknown option/) });
    }
  });
});
