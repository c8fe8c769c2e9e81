/**
 * argv → given values. The scaffold path parses with util.parseArgs (src/options/argv.ts); commander renders the help
 * from the same schema. Every case below runs both and requires the same result, so they cannot drift apart.
 * Also main()'s exit codes for
 * usage errors, --help, --version and the --config answers file (flags override it).
 */
import fs from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli.js";
import { buildProgram, givenFromProgram } from "../../src/program.js";
import { parseCreateArgv } from "../../src/options/argv.js";
import { SCHEMA, OPTION_KEYS } from "../../src/options/schema.js";
import { parseGiven } from "../../src/options/resolve.js";
import { cleanupTmp, makeTmp } from "../helpers/tmp.js";

const pkg = JSON.parse(fs.readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
const ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf";
const ARN2 = "arn:aws:ssm:us-east-1:123456789012:parameter/api/key";

function argv(...args: string[]) {
  const program = buildProgram("0.0.0-test");
  program.parse(args, { from: "user" });
  const viaCommander = givenFromProgram(program);
  const viaParseArgs = parseCreateArgv(args).raw;
  expect(viaParseArgs).toEqual(viaCommander);
  return viaParseArgs;
}

/** Collects what main() writes to its io streams and to process.stdout/stderr (commander writes there). */
function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (into: string[]) =>
    new Writable({
      write(chunk, _enc, cb) {
        into.push(String(chunk));
        cb();
      },
    });
  vi.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => (out.push(String(s)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => (err.push(String(s)), true));
  const io = { stdout: sink(out), stderr: sink(err), env: { NO_COLOR: "1" } as NodeJS.ProcessEnv };
  return { io, out: () => out.join(""), err: () => err.join("") };
}

beforeEach(() => {
  process.exitCode = undefined;
});
afterEach(() => {
  vi.restoreAllMocks();
});
afterAll(() => cleanupTmp());

describe("argv → given", () => {
  it("nothing given: nothing reported (defaults are the resolver's job)", () => {
    expect(argv()).toEqual({});
  });

  it("the positional argument is the directory", () => {
    expect(argv("my-svc")).toEqual({ directory: "my-svc" });
    expect(argv(".", "--yes")).toEqual({ directory: ".", yes: true });
  });

  it("every valued flag maps to its option key", () => {
    const given = argv(
      "svc", "--name", "orders", "--discovery", "cloudmap", "--port", "3000", "--cpu", "512", "--memory", "1024",
      "--arch", "arm64", "--region", "eu-west-1", "--account-id", "123456789012", "--log-group", "/x/y",
      "--log-retention", "7", "--log-mode", "blocking", "--min-tasks", "2", "--max-tasks", "6", "--scale-on", "memory",
      "--cpu-target", "60", "--memory-target", "80", "--requests-target", "500", "--stop-timeout", "40",
      "--metrics-interval", "30", "--package-manager", "pnpm", "--secrets-kms-key", "k",
    );
    expect(given).toEqual({
      directory: "svc", name: "orders", discovery: "cloudmap", port: "3000", cpu: "512", memory: "1024", arch: "arm64",
      region: "eu-west-1", accountId: "123456789012", logGroup: "/x/y", logRetention: "7", logMode: "blocking",
      minTasks: "2", maxTasks: "6", scaleOn: "memory", cpuTarget: "60", memoryTarget: "80", requestsTarget: "500",
      stopTimeout: "40", metricsInterval: "30", packageManager: "pnpm", secretsKmsKey: "k",
    });
  });

  it("every schema option except the directory has a flag the program knows", () => {
    const program = buildProgram("0.0.0-test");
    const longs = program.options.map((o: { long?: string }) => o.long);
    for (const key of OPTION_KEYS) {
      if (key === "directory") continue;
      expect(longs, key).toContain(`--${SCHEMA[key].flag}`);
      if (SCHEMA[key].kind === "boolean") expect(longs, key).toContain(`--no-${SCHEMA[key].flag}`);
    }
  });

  it("boolean flags: --x is true, --no-x is false, not given is absent", () => {
    expect(argv("--tracing", "--spot", "--exec", "--create-log-group", "--dry-run", "--json", "--force", "--interactive")).toEqual({
      tracing: true, spot: true, exec: true, createLogGroup: true, dryRun: true, json: true, force: true, interactive: true,
    });
    expect(argv("--no-install", "--no-git", "--no-tracing", "--no-interactive")).toEqual({
      install: false, git: false, tracing: false, interactive: false,
    });
    expect(argv("--install", "--git")).toEqual({ install: true, git: true });
  });

  it("short flags: -y, -f", () => {
    expect(argv("-y", "-f")).toEqual({ yes: true, force: true });
  });

  it("--skip-install is --no-install", () => {
    expect(argv("--skip-install")).toEqual({ install: false });
    expect(parseGiven(argv("--skip-install")).install).toBe(false);
  });

  it("--secret is repeatable and keeps its order", () => {
    expect(argv("--secret", `A=${ARN}`, "--secret", `B=${ARN2}`)).toEqual({ secrets: [`A=${ARN}`, `B=${ARN2}`] });
    expect(parseGiven(argv("--secret", `A=${ARN}`, "--secret", `B=${ARN2}`)).secrets).toEqual([
      { name: "A", valueFrom: ARN },
      { name: "B", valueFrom: ARN2 },
    ]);
  });

  it("--flag=value works like --flag value", () => {
    expect(argv("--cpu=1024", "--name=x")).toEqual({ cpu: "1024", name: "x" });
  });

  it("parsed argv goes through the schema", () => {
    expect(parseGiven(argv("svc", "--cpu", "512", "--tracing", "--log-retention", "never"))).toEqual({
      directory: "svc", cpu: 512, tracing: true, logRetention: "never",
    });
  });
});

describe("main(): exit codes", () => {
  it.each([
    [["--bogus"], /unknown option '--bogus'/],
    [["svc", "extra"], /too many arguments/],
    [["svc", "--cpu"], /argument missing/],
    [["svc", "-z"], /unknown option '-z'/],
    [["svc", "--cpuu", "256"], /unknown option '--cpuu'\n\(Did you mean --cpu\?\)/],
    [["svc", "--yes=1"], /option '--yes' does not take a value/],
  ])("%j → exit 2", async (args, message) => {
    const c = capture();
    expect(await main(args, c.io, makeTmp())).toBe(2);
    expect(c.err()).toMatch(message);
  });

  it.each([
    [["svc", "--port", "80"], "--port 80 is out of range; allowed: 1024–65535"],
    [["svc", "--discovery", "foo"], '--discovery "foo" is not allowed; use one of: alb, cloudmap, none'],
    [["svc", "--secret", "bad"], '--secret "bad"'],
  ])("%j → exit 2 naming the value", async (args, message) => {
    const c = capture();
    const cwd = makeTmp();
    expect(await main(args, c.io, cwd)).toBe(2);
    expect(c.err()).toContain(message);
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  it("--help → exit 0, help on stdout", async () => {
    const c = capture();
    expect(await main(["--help"], c.io)).toBe(0);
    expect(c.out()).toContain("Usage: create-fargate-service");
  });

  it("--version and -v → exit 0, the package version", async () => {
    for (const flag of ["--version", "-v"]) {
      const c = capture();
      expect(await main([flag], c.io)).toBe(0);
      expect(c.out().trim()).toBe(pkg.version);
      vi.restoreAllMocks();
    }
  });
});

describe("main(): --config answers file", () => {
  function configFile(content: unknown): { cwd: string; file: string } {
    const cwd = makeTmp();
    const file = path.join(cwd, "answers.json");
    fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
    return { cwd, file };
  }

  it("values come from the file; flags override it", async () => {
    const { cwd } = configFile({ discovery: "cloudmap", cpu: 512, "log-retention": 7, arch: "arm64" });
    const c = capture();
    const code = await main(["svc", "--config", "answers.json", "--arch", "x86_64", "--yes", "--dry-run", "--json"], c.io, cwd);
    expect(code, c.err()).toBe(0);
    const summary = JSON.parse(c.out()) as { options: Record<string, unknown>; dryRun: boolean };
    expect(summary.dryRun).toBe(true);
    expect(summary.options).toMatchObject({ discovery: "cloudmap", cpu: 512, memory: 1024, logRetention: 7, arch: "x86_64", name: "svc" });
    expect(fs.readdirSync(cwd)).toEqual(["answers.json"]);
  });

  it("the file may give the directory", async () => {
    const { cwd } = configFile({ directory: "from-file" });
    const c = capture();
    expect(await main(["--config", "answers.json", "--yes", "--dry-run", "--json"], c.io, cwd)).toBe(0);
    expect(JSON.parse(c.out()).options.directory).toBe("from-file");
  });

  it("unknown keys → exit 2 naming them", async () => {
    const { cwd } = configFile({ cpu: 256, colour: "blue" });
    const c = capture();
    expect(await main(["svc", "--config", "answers.json"], c.io, cwd)).toBe(2);
    expect(c.err()).toContain('unknown option "colour"');
  });

  it("a bad value in the file → exit 2 naming it", async () => {
    const { cwd } = configFile({ port: 80 });
    const c = capture();
    expect(await main(["svc", "--config", "answers.json"], c.io, cwd)).toBe(2);
    expect(c.err()).toContain("--port 80 is out of range");
  });

  it("a bad value in the file that a flag overrides is not an error", async () => {
    const { cwd } = configFile({ port: 80 });
    const c = capture();
    expect(await main(["svc", "--config", "answers.json", "--port", "3000", "--yes", "--dry-run", "--json"], c.io, cwd)).toBe(0);
    expect(JSON.parse(c.out()).options.port).toBe(3000);
  });

  it("invalid JSON → exit 2", async () => {
    const { cwd } = configFile("{ nope");
    const c = capture();
    expect(await main(["svc", "--config", "answers.json"], c.io, cwd)).toBe(2);
    expect(c.err()).toMatch(/--config .*answers\.json: not valid JSON/);
  });

  it("a missing file → exit 2", async () => {
    const cwd = makeTmp();
    const c = capture();
    expect(await main(["svc", "--config", "nope.json"], c.io, cwd)).toBe(2);
    expect(c.err()).toMatch(/--config .*nope\.json: cannot read it \(ENOENT\)/);
  });
});
