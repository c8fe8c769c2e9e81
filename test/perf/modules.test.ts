/**
 * Side effects last and lazy: heavy modules are loaded only on the paths that use them. This checks the module graph of
 * real runs, not the clock.
 *
 * A private copy of the package is built with the same options as `npm run build` (scripts/build.mjs → buildCli), so
 * the test does not depend on the state of dist/. Each run is `node --import <resolve-log hook> dist/cli.js …`; the
 * dist files it loads (ES modules, require()d files such as the handlebars compiler, and the scaffold core that
 * src/core-loader.ts runs with node:vm) are mapped to the packages bundled in them through esbuild's metafile
 * (bench/lib/module-graph.mjs).
 *
 * | path                                         | must load              | must not load                                   |
 * |----------------------------------------------|------------------------|-------------------------------------------------|
 * | --help (alone: build-time text, src/bin.ts)  | dist/cli.js only       | anything else                                   |
 * | --version / -v (alone: build-time text)      | dist/cli.js only       | anything else                                   |
 * | -h --help (commander's help)                 | the core, commander    | inquirer/@inquirer/rxjs, execa, the AWS SDK     |
 * | <dir> --yes --no-install --no-git (+dry run) | the core, with         | inquirer/@inquirer/rxjs, execa, the AWS SDK,    |
 * |                                              | node-plop, handlebars  | yaml (src/artifacts/yaml-emit.ts writes YAML),  |
 * |                                              |                        | handlebars' compiler                            |
 * | <dir> --yes --no-install --git               | execa                  | inquirer/@inquirer/rxjs, the AWS SDK            |
 * | <dir> --yes … --create-log-group             | the AWS SDK            | inquirer/@inquirer/rxjs, execa                  |
 * | <dir> --interactive (stdin closed)           | @inquirer/*            | node-plop's inquirer 9 / rxjs, execa, the SDK   |
 * | log-group <name> --dry-run                   | (documented: no SDK)   | inquirer/@inquirer/rxjs, execa, node-plop        |
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import {
  HEAVY,
  ROOT,
  buildPrivateCopy,
  loadedModules,
  matches,
  writeResolveHook,
  type ChunkMap,
  type LoadedModules,
} from "../../bench/lib/module-graph.mjs";

let tmp: string;
let cli: string;
let distDir: string;
let chunks: ChunkMap;
let register: string;
let closedPort: number;

/** An environment with nothing of the parent's AWS/CI/npm settings; AWS calls go to a closed local port. */
function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = {};
  for (const k of ["PATH", "HOME", "TMPDIR", "LANG"]) if (process.env[k] !== undefined) e[k] = process.env[k];
  return {
    ...e,
    AWS_ACCESS_KEY_ID: "AKIAEXAMPLE",
    AWS_SECRET_ACCESS_KEY: "secret",
    AWS_REGION: "us-east-1",
    AWS_ENDPOINT_URL: `http://127.0.0.1:${closedPort}`,
    AWS_MAX_ATTEMPTS: "1",
    AWS_EC2_METADATA_DISABLED: "true",
    GIT_AUTHOR_NAME: "perf test",
    GIT_AUTHOR_EMAIL: "perf@example.com",
    GIT_COMMITTER_NAME: "perf test",
    GIT_COMMITTER_EMAIL: "perf@example.com",
    ...extra,
  };
}

async function run(args: string[], opts: { stdin?: "ignore" | "pipe" } = {}): Promise<LoadedModules> {
  const cwd = fs.mkdtempSync(path.join(tmp, "cwd-"));
  return loadedModules({ cli, distDir, chunks, register, args, cwd, env: env(), stdin: opts.stdin ?? "ignore" });
}

function heavy(r: LoadedModules, group: keyof typeof HEAVY): string[] {
  return r.packages.filter((p) => matches(p, HEAVY[group]));
}

function describeRun(r: LoadedModules): string {
  return `exit ${String(r.code)}; files: ${r.files.join(", ")}; packages: ${r.packages.join(", ") || "none"}\nstderr: ${r.stderr.slice(-600)}`;
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cfs-perf-modules-"));
  ({ cli, distDir, chunks } = await buildPrivateCopy(path.join(tmp, "pkg")));
  register = writeResolveHook(path.join(tmp, "hook"));
  // A port nothing listens on: AWS requests fail at once with ECONNREFUSED.
  closedPort = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
});

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe("the bundle", () => {
  it("does not contain node-plop's inquirer 9 or rxjs (aliased to scripts/inquirer-stub.mjs)", () => {
    const offenders = [...chunks].filter(([, c]) => [...c.packages].some((p) => p === "inquirer" || p === "rxjs"));
    expect(offenders.map(([f, c]) => `${f}: ${[...c.packages].join(",")}`)).toEqual([]);
  });

  it("does not contain what node-plop imports only for plop packs and its built-in file actions", () => {
    // scripts/node-plop-unused.mjs stands in for them: a scaffold does not evaluate picomatch, fdir, resolve, …
    const unused = ["resolve", "tinyglobby", "isbinaryfile", "picomatch", "fdir", "is-core-module"];
    const offenders = [...chunks].filter(([, c]) => [...c.packages].some((p) => unused.includes(p)));
    expect(offenders.map(([f, c]) => `${f}: ${[...c.packages].join(",")}`)).toEqual([]);
  });

  it("holds the yaml package only in a chunk of its own (check loads it lazily), so the no-yaml assertions below mean something", () => {
    const withYaml = [...chunks].filter(([, c]) => c.packages.has("yaml"));
    expect(withYaml.length).toBeGreaterThan(0);
    expect(withYaml.map(([f]) => f)).not.toContain("cli.js");
  });

  it("dist/THIRD-PARTY-LICENSES.md lists every package bundled in dist/, with a license", () => {
    const text = fs.readFileSync(path.join(distDir, "THIRD-PARTY-LICENSES.md"), "utf8");
    const rows = new Map([...text.matchAll(/^\| (\S+) \| (\d\S*) \| (.+) \|$/gm)].map((m) => [m[1]!, m[3]!])); // name | version | license
    const bundled = new Set([...chunks.values()].flatMap((c) => [...c.packages]));
    expect(bundled.size).toBeGreaterThan(20);
    expect([...bundled].filter((p) => !rows.has(p))).toEqual([]);
    expect([...rows].filter(([, license]) => !/^(MIT|ISC|Apache-2\.0|BSD-[23]-Clause|0BSD)$/.test(license))).toEqual([]);
    expect(text).toContain("Permission is hereby granted"); // the license texts themselves, not just names
  });

  it("keeps every heavy package out of the entry file", () => {
    const entry = chunks.get("cli.js");
    expect(entry).toBeDefined();
    const all = [...HEAVY.prompts, ...HEAVY.execa, ...HEAVY.aws, ...HEAVY.render];
    expect([...entry!.packages].filter((p) => matches(p, all))).toEqual([]);
  });
});

describe("modules loaded per path", () => {
  it.each([[["--help"]], [["-h"]]])("%j prints the build-time help and loads nothing but dist/cli.js", async (args) => {
    const r = await run(args);
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.files, describeRun(r)).toEqual(["cli.js"]);
    expect(r.packages).toEqual([]);
    expect(r.stdout.startsWith("Usage: create-fargate-service")).toBe(true);
  });

  it("the build-time help is exactly what commander prints", async () => {
    const fast = await run(["--help"]);
    const commander = await run(["-h", "--help"]);
    expect(commander.packages).toContain("commander");
    expect(fast.stdout).toBe(commander.stdout);
  });

  it("-h --help goes through the scaffold core (its argv parser decides it is help) and commander, and nothing heavier", async () => {
    const r = await run(["-h", "--help"]);
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.unknown).toEqual([]);
    expect(r.files, describeRun(r)).toContain("chunks/core.cjs");
    expect(r.packages, describeRun(r)).toContain("commander");
    expect(heavy(r, "prompts"), describeRun(r)).toEqual([]);
    expect(heavy(r, "execa"), describeRun(r)).toEqual([]);
    expect(heavy(r, "aws"), describeRun(r)).toEqual([]);
  });

  it.each([[["--version"]], [["-v"]]])("%j prints the build-time version and loads nothing but dist/cli.js", async (args) => {
    const r = await run(args);
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.files, describeRun(r)).toEqual(["cli.js"]);
    expect(r.stdout).toBe(`${JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).version}\n`);
  });

  it("<dir> --yes --no-install --no-git loads node-plop and handlebars, no prompt library, no execa, no AWS SDK, no yaml", async () => {
    const r = await run(["app", "--yes", "--no-install", "--no-git"]);
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.unknown).toEqual([]);
    expect(heavy(r, "render").sort(), describeRun(r)).toEqual(["handlebars", "node-plop"]); // the positive control
    expect(heavy(r, "prompts"), describeRun(r)).toEqual([]);
    expect(heavy(r, "execa"), describeRun(r)).toEqual([]);
    expect(heavy(r, "aws"), describeRun(r)).toEqual([]);
    // infra/stack.yaml and the workflow are written by src/artifacts/yaml-emit.ts; the yaml package is for `check`.
    expect(r.packages, describeRun(r)).not.toContain("yaml");
    // argv is parsed with util.parseArgs: commander (and the child_process it loads) only renders help.
    expect(r.packages, describeRun(r)).not.toContain("commander");
    // Templates are precompiled: the handlebars runtime is loaded, its compiler (a file of its own) is not.
    expect(r.files, describeRun(r)).not.toContain("chunks/handlebars-compiler.cjs");
    expect(r.packages, describeRun(r)).not.toContain("source-map");
  });

  it("<dir> --yes --dry-run renders (node-plop) without prompts, execa, the AWS SDK or yaml", async () => {
    const r = await run(["app", "--yes", "--dry-run"]);
    expect(r.code, describeRun(r)).toBe(0);
    expect(heavy(r, "render").sort(), describeRun(r)).toEqual(["handlebars", "node-plop"]);
    expect(heavy(r, "prompts"), describeRun(r)).toEqual([]);
    expect(heavy(r, "execa"), describeRun(r)).toEqual([]);
    expect(heavy(r, "aws"), describeRun(r)).toEqual([]);
    expect(r.packages, describeRun(r)).not.toContain("yaml");
  });

  it("<dir> --yes --no-install --git loads execa but not the AWS SDK or a prompt library", async () => {
    const r = await run(["app", "--yes", "--no-install", "--git"]);
    expect(r.code, describeRun(r)).toBe(0);
    expect(heavy(r, "execa"), describeRun(r)).toEqual(["execa"]);
    expect(heavy(r, "aws"), describeRun(r)).toEqual([]);
    expect(heavy(r, "prompts"), describeRun(r)).toEqual([]);
  });

  it("<dir> --yes --no-install --no-git --create-log-group loads the AWS SDK but not execa or a prompt library", async () => {
    // The request goes to a closed local port and fails (exit 1, files kept); what matters is what was loaded.
    const r = await run(["app", "--yes", "--no-install", "--no-git", "--create-log-group"]);
    expect(heavy(r, "aws").length, describeRun(r)).toBeGreaterThan(0);
    expect(heavy(r, "execa"), describeRun(r)).toEqual([]);
    expect(heavy(r, "prompts"), describeRun(r)).toEqual([]);
  });

  it("<dir> --interactive loads @inquirer/* (never node-plop's inquirer 9 or rxjs), no execa, no AWS SDK", async () => {
    // stdin is an empty pipe: the first prompt is closed at once (cancelled), after @inquirer/prompts has loaded.
    const r = await run(["app", "--interactive", "--no-install", "--no-git"], { stdin: "pipe" });
    expect(r.code, describeRun(r)).toBe(130);
    expect(r.packages.filter((p) => p.startsWith("@inquirer/")).length, describeRun(r)).toBeGreaterThan(0);
    expect(r.packages.filter((p) => p === "inquirer" || p === "rxjs"), describeRun(r)).toEqual([]);
    expect(heavy(r, "execa"), describeRun(r)).toEqual([]);
    expect(heavy(r, "aws"), describeRun(r)).toEqual([]);
  });

  it("log-group <name> --dry-run loads no prompt library, execa or node-plop (and, today, no AWS SDK either)", async () => {
    // Documented rather than required: a dry run only validates and prints the plan, so the SDK stays unloaded;
    // test/aws/log-group.lazy.test.ts owns that promise.
    const r = await run(["log-group", "/ecs/perf", "--region", "us-east-1", "--retention", "14", "--dry-run"]);
    expect(r.code, describeRun(r)).toBe(0);
    expect(heavy(r, "prompts"), describeRun(r)).toEqual([]);
    expect(heavy(r, "execa"), describeRun(r)).toEqual([]);
    expect(heavy(r, "render"), describeRun(r)).toEqual([]);
    expect(heavy(r, "aws"), describeRun(r)).toEqual([]);
  });
});
