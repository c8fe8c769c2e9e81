/**
 * The `check` command as users run it: the built CLI, spawned. Discovery, explicit files, text and JSON output,
 * exit codes (0 clean, 1 errors, 2 usage or malformed input with file and line), describe-task-definition input.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ANSI, assertBuilt, baseEnv, runCli } from "../helpers/cli.js";
import { FIXTURES } from "./helpers.js";

const GOOD = path.join(FIXTURES, "good");
const CORPUS = path.join(FIXTURES, "corpus");
let tmp: string;

beforeAll(() => {
  assertBuilt();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cfs-check-cli-"));
});
afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const check = (args: string[], cwd: string) => runCli(["check", ...args], { cwd, env: baseEnv() });

describe("check command", () => {
  it("a clean project: exit 0, results on stdout, progress on stderr, no colour in a pipe", async () => {
    const r = await check([], GOOD);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("no findings in 8 files\n");
    expect(r.stderr).toContain("checking 8 files in .: ecs/execution-role-policy.json");
    expect(r.stdout + r.stderr).not.toMatch(ANSI);
  });

  it("a broken project: exit 1, each finding with file:line field, message, rule and fix", async () => {
    const r = await check([], path.join(CORPUS, "misspelt-log-action"));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'error   ecs/execution-role-policy.json:12 Statement[2].Action[1]: action "logs:PutLogStream" does not exist; IAM accepts it and grants nothing [iam-action-unknown]',
    );
    expect(r.stdout).toContain('fix: use "logs:CreateLogStream" and "logs:PutLogEvents"');
    expect(r.stdout).toContain("[execution-role-logs]");
    expect(r.stdout.trim().split("\n").pop()).toBe("2 errors, 0 warnings in 3 files");
  });

  it("--format json: one object with files, summary and findings; exit 1 on errors", async () => {
    const r = await check(["--format", "json", "--dir", path.join(CORPUS, "open-alb-stack")], tmp);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ version: 1, ok: false, files: [{ file: "infra/stack.yaml", kind: "template" }], summary: { error: 4, warning: 0, info: 0 } });
    expect(report.findings[0]).toEqual({
      rule: "security-group-open",
      severity: "error",
      file: "infra/stack.yaml",
      field: "Resources.AlbSg.Properties.SecurityGroupIngress[0].CidrIp",
      line: 30,
      message: "security group AlbSg is open to 0.0.0.0/0 on all ports",
      fix: "open only the listener ports to the internet",
    });
  });

  it("warnings alone exit 0, or 1 with --fail-on warning", async () => {
    const dir = path.join(tmp, "warn");
    fs.cpSync(GOOD, dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "Dockerfile"), fs.readFileSync(path.join(dir, "Dockerfile"), "utf8").replace("USER node\n", ""));
    expect((await check([], dir)).code).toBe(0);
    const r = await check(["--fail-on", "warning", "--format", "json"], dir);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings.map((f: { rule: string }) => f.rule)).toEqual(["dockerfile-user"]);
  });

  it("named files only, including a describe-task-definition file", async () => {
    const r = await check(["task-definition.json"], path.join(CORPUS, "ec2-task-definition-on-fargate"));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("task-definition.json:7 taskDefinition.networkMode: networkMode is \"bridge\"");
    const only = await check(["ecs/task-definition.json", "Dockerfile"], GOOD);
    expect(only.code).toBe(0);
    expect(only.stdout).toBe("no findings in 2 files\n");
  });

  it("--only and --skip select rules", async () => {
    const dir = path.join(CORPUS, "ec2-task-definition-on-fargate");
    const r = await check(["--only", "network-mode", "--format", "json"], dir);
    expect(JSON.parse(r.stdout).findings.map((f: { rule: string }) => f.rule)).toEqual(["network-mode"]);
    const s = await check(["--skip", "fargate-unsupported,task-size", "--format", "json"], dir);
    expect(JSON.parse(r.stdout).findings.length).toBeLessThan(JSON.parse(s.stdout).findings.length);
    expect(JSON.parse(s.stdout).findings.map((f: { rule: string }) => f.rule)).not.toContain("task-size");
  });

  it("--list-rules prints every rule", async () => {
    const r = await check(["--list-rules"], tmp);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^task-size\s+error\s+Task cpu and memory/m);
    expect(r.stdout.trim().split("\n").length).toBeGreaterThanOrEqual(35);
  });

  describe("exit 2", () => {
    it("malformed JSON names the file, line and column and what was expected", async () => {
      const dir = path.join(tmp, "bad-json");
      fs.mkdirSync(path.join(dir, "ecs"), { recursive: true });
      fs.writeFileSync(path.join(dir, "ecs", "task-definition.json"), '{\n  "family": "x",\n  "cpu": "256"\n  "memory": "512"\n}\n');
      const r = await check([], dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("error: ecs/task-definition.json:4:3: not valid JSON: Expected ',' or '}' after property value");
      expect(r.stdout).toBe("");
      const j = await check(["--format", "json"], dir);
      expect(j.code).toBe(2);
      expect(JSON.parse(j.stdout)).toEqual({ version: 1, ok: false, error: { file: "ecs/task-definition.json", line: 4, column: 3, message: "not valid JSON: Expected ',' or '}' after property value" } });
    });

    it("malformed YAML names the file and line", async () => {
      const dir = path.join(tmp, "bad-yaml");
      fs.mkdirSync(path.join(dir, "infra"), { recursive: true });
      fs.writeFileSync(path.join(dir, "infra", "stack.yaml"), "Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties: {Cpu: 256\n");
      const r = await check([], dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^error: infra\/stack\.yaml:\d+:\d+: not valid YAML: /);
    });

    it("a Dockerfile with an unknown instruction", async () => {
      const dir = path.join(tmp, "bad-docker");
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, "Dockerfile"), "FROM node:24-slim\nCOPY . .\nCMDD [\"node\", \"x.js\"]\n");
      const r = await check(["Dockerfile"], dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("error: Dockerfile:3:1: unknown instruction CMDD");
    });

    it("a missing file, a file check does not understand, an empty directory, a bad option", async () => {
      expect((await check(["nope.json"], tmp)).stderr).toContain("error: nope.json: cannot read it (no such file)");
      fs.writeFileSync(path.join(tmp, "other.json"), '{"hello": "world"}');
      const other = await check(["other.json"], tmp);
      expect(other.code).toBe(2);
      expect(other.stderr).toContain("other.json:1:1: not a file check understands; expected an ECS task definition");
      const empty = fs.mkdtempSync(path.join(tmp, "empty-"));
      const e = await check([], empty);
      expect(e.code).toBe(2);
      expect(e.stderr).toContain("nothing to check in");
      expect((await check(["--format", "xml"], tmp)).code).toBe(2);
      expect((await check(["--only", "no-such-rule"], tmp)).code).toBe(2);
    });
  });

  it("check --help lists the options and exit codes", async () => {
    const r = await runCli(["check", "--help"], { cwd: tmp, env: baseEnv() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("--format <format>");
    expect(r.stdout).toContain("Exit codes: 0 no error findings");
  });
});
