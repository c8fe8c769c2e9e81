/**
 * Every generated variant passes `check` with zero findings (warnings included), and `check` really analyses the
 * generated files: a few one-line breakages of a generated project are each caught by the rule that owns them.
 * Projects are rendered with the real generator (renderProject, as the CLI does) into a temporary directory.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderProject } from "../../src/write/render.js";
import { allVariants, optionsFor, type Variant } from "../aws/variants.js";
import { checkProject } from "../../src/check/engine.js";
import { loadProject } from "../../src/check/load/files.js";
import { buildProject } from "../../src/check/model/project.js";
import { assertBuilt, baseEnv, runCli } from "../helpers/cli.js";
import { readFixture, run, ruleIds, edit, type Texts } from "./helpers.js";
import { discover } from "../../src/check/load/files.js";

const variants: Variant[] = allVariants();
let root: string;
const dirs = new Map<string, string>();

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "cfs-check-generated-"));
  // Sequential: node-plop keeps global state; rendering is ~50 ms a project.
  for (const [i, v] of variants.entries()) {
    const dir = path.join(root, v.id);
    await renderProject(optionsFor(v, i), dir);
    dirs.set(v.id, dir);
  }
}, 300_000);

afterAll(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

function textsOf(dir: string): Texts {
  const out: Texts = {};
  for (const abs of discover(dir)) out[path.relative(dir, abs).split(path.sep).join("/")] = fs.readFileSync(abs, "utf8");
  return out;
}

describe("generated projects", () => {
  it.each(variants.map((v) => v.id))("%s: zero findings", (id) => {
    const loaded = loadProject(dirs.get(id)!);
    const kinds = loaded.files.map((f) => f.kind);
    // Everything check knows how to read is there.
    expect(kinds).toContain("task-definition");
    expect(kinds).toContain("template");
    expect(kinds).toContain("dockerfile");
    expect(kinds.filter((k) => k === "policy").length).toBeGreaterThanOrEqual(4);
    expect(checkProject(loaded.input)).toEqual([]);
  });

  it("links every role, so the permission rules really ran", () => {
    for (const v of variants) {
      const model = buildProject(loadProject(dirs.get(v.id)!).input);
      for (const t of model.tasks) {
        expect(t.executionRole, `${v.id} ${t.doc.file} execution role`).toBeDefined();
        expect(t.taskRole, `${v.id} ${t.doc.file} task role`).toBeDefined();
        expect(t.executionRole!.trust.length, `${v.id} trust`).toBeGreaterThan(0);
      }
      expect(model.tasks.filter((t) => t.logicalId)).toHaveLength(1);
    }
  });

  describe("breaking a generated project is caught", () => {
    const id = "alb-secrets-kms";
    const BREAKS: Array<[string, (t: Texts) => Texts, string[]]> = [
      ["logs:PutLogStream in the stack", (t) => edit(t, "infra/stack.yaml", "- logs:PutLogEvents", "- logs:PutLogStream"), ["execution-role-logs", "iam-action-unknown"]],
      ["logs:PutLogStream in ecs/", (t) => edit(t, "ecs/execution-role-policy.json", `"logs:PutLogEvents"`, `"logs:PutLogStream"`), ["execution-role-logs", "iam-action-unknown"]],
      ["instance target type", (t) => edit(t, "infra/stack.yaml", "TargetType: ip", "TargetType: instance"), ["target-type-ip"]],
      ["EXPOSE another port", (t) => edit(t, "Dockerfile", /EXPOSE \d+/, "EXPOSE 9999"), ["port-mismatch"]],
      ["arm64 runtime stage on an X86_64 task", (t) => edit(t, "Dockerfile", /FROM --platform=linux\/amd64 (node:\S+)\n(ENV)/, "FROM --platform=linux/arm64 $1\n$2"), ["image-platform"]],
      ["trust principal typo", (t) => edit(t, "ecs/execution-role-trust-policy.json", "ecs-tasks.amazonaws.com", "ecs-task.amazonaws.com"), ["trust-policy"]],
      ["a secret dropped from the execution role", (t) => edit(t, "ecs/execution-role-policy.json", /"arn:aws:ssm:[^"]+"/, `"arn:aws:ssm:us-east-1:123456789012:parameter/other"`), ["secret-grant-unused", "secret-not-granted"]],
      ["stopTimeout drifts", (t) => edit(t, "infra/stack.yaml", /StopTimeout: \d+/, "StopTimeout: 119"), ["task-definition-drift"]],
    ];
    it.each(BREAKS)("%s", (_name, breakIt, rules) => {
      const texts = textsOf(dirs.get(id)!);
      expect(run(texts)).toEqual([]);
      expect(ruleIds(run(breakIt(texts)))).toEqual(rules);
    });
  });

  it("the check command passes a generated project (exit 0, JSON)", async () => {
    assertBuilt();
    const dir = dirs.get("alb-spot-exec")!;
    const r = await runCli(["check", "--format", "json"], { cwd: dir, env: baseEnv() });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { ok: boolean; findings: unknown[]; files: unknown[] };
    expect(report.ok).toBe(true);
    expect(report.findings).toEqual([]);
  });
});

// The hand-written passing fixture stays in step with what the generator considers correct.
it("the passing fixture is clean", () => {
  expect(run(readFixture("good"))).toEqual([]);
});
