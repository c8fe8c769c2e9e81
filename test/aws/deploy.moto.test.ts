/**
 * The generated ecs/*.json and infra/stack.yaml against botocore and a real moto_server, all variants in ONE
 * python process (boto3 in-process is ~100× faster than one aws CLI process per call):
 *
 * - ecs/task-definition.json passes botocore's ParamValidator for RegisterTaskDefinition (unknown members, wrong
 *   types, missing required members), registers on moto and reads back with every field we wrote;
 * - both roles are created on moto from the trust-policy files (moto validates trust policies on
 *   UpdateAssumeRolePolicy) and get their inline policies from the policy files (MalformedPolicyDocument check);
 * - the ALB stacks deploy on moto's CloudFormation to CREATE_COMPLETE. A smoke test only: moto ignores most ECS
 *   properties and skips autoscaling; the Cloud Map stacks cannot run there (HTTP 500 on
 *   GetAtt of skipped Cloud Map resources), so cfn-lint covers them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startMoto, type Moto } from "../helpers/moto.js";
import { cleanupTmp, makeTmp } from "../helpers/tmp.js";
import { allVariants, TEST_ACCOUNT, writeVariants, type WrittenVariant } from "./variants.js";
import { buildTaskDefinition } from "../../src/artifacts/task-definition.js";
import { jsonScope } from "../../src/artifacts/scope.js";

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), "py/deploy_checks.py");

interface Report {
  validation: Record<string, string[]>;
  moto: Record<string, { errors: string[]; registered?: any; containers?: any[]; roles?: Record<string, any> }>;
  stacks: Record<string, { errors: string[]; status?: string; outputs?: Record<string, string>; resources?: Array<[string, string, string]>; targetGroups?: any[]; listeners?: any[]; seconds: number }>;
}

function runPython(input: unknown, env: NodeJS.ProcessEnv): Promise<Report> {
  return new Promise((resolve, reject) => {
    const child = spawn("python3", [SCRIPT], { env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`deploy_checks.py exited ${code}:\n${stderr}`));
      try {
        resolve(JSON.parse(stdout) as Report);
      } catch (err) {
        reject(new Error(`deploy_checks.py printed no JSON (${(err as Error).message}):\n${stdout}\n${stderr}`));
      }
    });
    child.stdin.end(JSON.stringify(input));
  });
}

let moto: Moto;
let written: WrittenVariant[];
let report: Report;
const ALB_STACKS = ["alb-x86_64-plain-cpu", "alb-arm64-otel-requests", "alb-spot-exec"];

beforeAll(async () => {
  const root = makeTmp("cfs-moto-deploy-");
  written = writeVariants(root, allVariants());
  moto = await startMoto();
  const started = Date.now();
  report = await runPython(
    {
      endpoint: moto.endpoint,
      variants: written.map((w) => ({ id: w.id, dir: w.dir })),
      stacks: written
        .filter((w) => ALB_STACKS.includes(w.id))
        .map((w) => ({ id: w.id, dir: w.dir, stackName: w.ctx.names.stack, parameters: { ImageTag: "abc1234", AssignPublicIp: "ENABLED" } })),
    },
    moto.env,
  );
  console.log(`botocore + moto: ${written.length} variants, ${ALB_STACKS.length} stacks in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}, 170_000);

afterAll(async () => {
  await moto?.stop();
  cleanupTmp();
});

describe("botocore ParamValidator", () => {
  it("accepts every ecs/task-definition.json as RegisterTaskDefinition and every IAM file as CreateRole/PutRolePolicy", () => {
    const failures = Object.entries(report.validation).filter(([, errors]) => errors.length > 0);
    expect(failures).toEqual([]);
    expect(Object.keys(report.validation)).toHaveLength(written.length);
  });
});

describe("moto: task definitions and roles from the JSON files", () => {
  it("registers every task definition and creates every role and policy without error", () => {
    const failures = Object.entries(report.moto).filter(([, r]) => r.errors.length > 0).map(([id, r]) => [id, r.errors]);
    expect(failures).toEqual([]);
  });

  it("reads every task definition back as written (Fargate, awsvpc, size, roles, platform, containers)", () => {
    for (const w of written) {
      const r = report.moto[w.id]!;
      const expected = buildTaskDefinition(w.ctx, { ...jsonScope(w.ctx), account: TEST_ACCOUNT, executionRoleArn: `arn:${w.ctx.partition}:iam::${TEST_ACCOUNT}:role/${w.ctx.names.executionRole}`, taskRoleArn: `arn:${w.ctx.partition}:iam::${TEST_ACCOUNT}:role/${w.ctx.names.taskRole}` });
      expect(r.registered, w.id).toMatchObject({
        family: w.ctx.names.family,
        cpu: String(w.ctx.cpu),
        memory: String(w.ctx.memory),
        networkMode: "awsvpc",
        requiresCompatibilities: ["FARGATE"],
        executionRoleArn: expected.executionRoleArn,
        taskRoleArn: expected.taskRoleArn,
        runtimePlatform: { cpuArchitecture: w.ctx.cpuArchitecture, operatingSystemFamily: "LINUX" },
        volumes: expected.volumes,
      });
      expect(r.containers!.map((c) => c.name), w.id).toEqual(expected.containerDefinitions.map((c) => c.name));
      const app = r.containers![0];
      expect(app, w.id).toMatchObject({
        essential: true,
        readonlyRootFilesystem: true,
        stopTimeout: w.ctx.timings.stopTimeoutSeconds,
        linuxParameters: { initProcessEnabled: true },
        portMappings: [expect.objectContaining({ containerPort: w.ctx.port })],
        healthCheck: expect.objectContaining({ command: ["CMD", "node", "dist/healthcheck.js"] }),
        logConfiguration: { logDriver: "awslogs", options: expected.containerDefinitions[0]!.logConfiguration!.options },
      });
    }
  });

  it("creates both roles trusting exactly ecs-tasks.amazonaws.com, with inline policies only when they have statements", () => {
    for (const w of written) {
      const roles = report.moto[w.id]!.roles!;
      for (const kind of ["execution", "task"]) {
        expect(roles[kind].trust.Statement.map((s: any) => s.Principal.Service), `${w.id} ${kind}`).toEqual(["ecs-tasks.amazonaws.com"]);
      }
      expect(roles.execution.policies, w.id).toEqual(["execution"]);
      expect(roles.task.policies, w.id).toEqual(w.ctx.tracing || w.ctx.exec ? ["task"] : []);
    }
  });
});

describe("moto: CloudFormation smoke deploy of the ALB stack", () => {
  it.each(ALB_STACKS)("%s reaches CREATE_COMPLETE with an ip target group on /readyz behind an HTTP listener", (id) => {
    const s = report.stacks[id]!;
    const ctx = written.find((w) => w.id === id)!.ctx;
    expect(s.errors).toEqual([]);
    expect(s.status).toBe("CREATE_COMPLETE");
    expect(s.outputs?.ServiceUrl).toMatch(/^http:\/\/.+/);
    expect(s.outputs?.ClusterName).toBe(ctx.names.cluster);
    const types = new Set(s.resources!.map(([, type]) => type));
    for (const t of ["AWS::ECS::Service", "AWS::ECS::TaskDefinition", "AWS::ElasticLoadBalancingV2::TargetGroup", "AWS::IAM::Role", "AWS::Logs::LogGroup"]) {
      expect(types.has(t), t).toBe(true);
    }
    expect(s.targetGroups).toContainEqual(
      expect.objectContaining({ TargetGroupName: ctx.names.targetGroup, TargetType: "ip", Port: ctx.port, Protocol: "HTTP", HealthCheckPath: "/readyz" }),
    );
    expect(s.listeners).toContainEqual({ Port: 80, Protocol: "HTTP", Actions: ["forward"] });
  });
});
