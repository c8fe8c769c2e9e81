/**
 * The README's deploy section (templates/partials/deploy.md) and the deploy workflow, checked against the stack they
 * drive: the partial renders under the generator's own handlebars (noEscape + strict) for every variant, its commands
 * come in the right order, its `--parameter-overrides` name exactly parameters the stack declares (every required
 * one included), and the workflow keeps its `${{ }}` expressions and overrides only ImageTag.
 */
import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { createRenderer } from "../../generators/service.js";
import { TEMPLATES_DIR } from "../../src/paths.js";
import type { ServiceContext } from "../../src/context.js";
import { buildDeployDocuments, DEPLOY_PATHS } from "../../src/artifacts/deploy.js";
import { ACCOUNT_ID_PLACEHOLDER } from "../../src/artifacts/scope.js";
import { buildStack, PARAM, requiredParameters } from "../../src/artifacts/stack.js";
import { ACTIONS, DEPLOY_ROLE_VARIABLE } from "../../src/artifacts/workflow.js";
import { allVariants, contextFor } from "../aws/variants.js";

const contexts: Array<[string, ServiceContext]> = allVariants().map((v, i) => [v.id, contextFor(v, i)]);
const byId = (id: string): ServiceContext => contexts.find(([vid]) => vid === id)![1];
const renderTemplate = createRenderer(TEMPLATES_DIR);
const PARTIAL = fs.readFileSync(path.join(TEMPLATES_DIR, "partials/deploy.md"), "utf8");

function render(ctx: ServiceContext): string {
  // Exactly how the README includes it.
  return renderTemplate("{{> deploy}}", ctx, "README.md");
}

/** The shell code blocks of the rendered section, in order. */
function codeBlocks(md: string): string[] {
  return [...md.matchAll(/```(?:sh)?\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

/** `KEY=` names after --parameter-overrides in the first `aws cloudformation deploy` block (the full deploy). */
function overriddenParameters(md: string): string[] {
  const block = codeBlocks(md).find((b) => b.includes("aws cloudformation deploy") && b.includes("VpcId"))!;
  const after = block.slice(block.indexOf("--parameter-overrides"));
  return [...after.matchAll(/\b([A-Za-z]+)="?\$/g)].map((m) => m[1]!);
}

function workflow(ctx: ServiceContext): any {
  return YAML.parse(buildDeployDocuments(ctx).find((f) => f.path === DEPLOY_PATHS.workflow)!.content);
}

describe("templates/partials/deploy.md", () => {
  it("is registered as the partial `deploy`", () => {
    const ctx = contexts[0]![1];
    expect(render(ctx)).toBe(renderTemplate(PARTIAL, ctx, "partials/deploy.md"));
    expect(render(ctx).length).toBeGreaterThan(1000);
  });

  it.each(contexts)("%s: renders under noEscape + strict with nothing left unrendered", (_id, ctx) => {
    const md = render(ctx);
    expect(md).not.toMatch(/\{\{|\}\}/);
    expect(md).not.toMatch(/&(amp|lt|gt|quot|#x27|#39);/);
    expect(md).not.toMatch(/\n{3,}/);
    expect(md).not.toMatch(/undefined|\[object Object\]/);
  });

  it.each(contexts)("%s: exact commands in order: ECR repository, build+push for the platform, deploy, logs", (_id, ctx) => {
    const md = render(ctx);
    const steps = [
      `aws ecr create-repository --repository-name ${ctx.names.repository}`,
      `docker buildx build --platform ${ctx.dockerPlatform}`,
      `aws cloudformation deploy \\\n  --stack-name ${ctx.names.stack} \\\n  --template-file infra/stack.yaml \\\n  --capabilities CAPABILITY_NAMED_IAM`,
      `aws logs tail ${ctx.logGroup} --follow`,
    ];
    let at = -1;
    for (const step of steps) {
      const i = md.indexOf(step);
      expect(i, step).toBeGreaterThan(at);
      at = i;
    }
    expect(md).toContain(`aws ecr get-login-password | docker login --username AWS --password-stdin "$REGISTRY"`);
    expect(md).toContain(`export AWS_REGION=${ctx.region}`);
  });

  it.each(contexts)("%s: the deploy command passes every required stack parameter and only declared ones", (_id, ctx) => {
    const stack = buildStack(ctx);
    const given = overriddenParameters(render(ctx));
    for (const p of given) expect(Object.keys(stack.Parameters), p).toContain(p);
    for (const p of requiredParameters(stack)) expect(given, p).toContain(p);
    expect(given).toContain(PARAM.assignPublicIp);
  });

  it("mentions only the optional parameters the stack has", () => {
    for (const [, ctx] of contexts) {
      const md = render(ctx);
      const params = Object.keys(buildStack(ctx).Parameters);
      for (const name of [PARAM.allowedCidr, PARAM.certificateArn, PARAM.namespaceName, PARAM.existingNamespaceId, PARAM.callerSecurityGroupId]) {
        if (md.includes(`\`${name}`) || md.includes(`${name}=`)) expect(params, name).toContain(name);
      }
    }
  });

  it("cloudmap: gives the DNS name <name>.<namespace> that the stack creates", () => {
    const ctx = byId("cloudmap-x86_64-plain-cpu");
    const md = render(ctx);
    expect(md).toContain(`http://${ctx.name}.${ctx.namespace}:${ctx.port}`);
    expect(buildStack(ctx).Parameters[PARAM.namespaceName]!.Default).toBe(ctx.namespace);
    expect(md).toContain("`<name>.<namespace>`");
    expect(render(byId("alb-x86_64-plain-cpu"))).not.toContain(".internal");
  });

  it("explains the log-mode trade-off for the chosen mode", () => {
    const nb = render(byId("alb-x86_64-plain-cpu"));
    expect(nb).toContain("### Log delivery: `--log-mode non-blocking`");
    expect(nb).toMatch(/new lines are dropped/);
    const b = render(byId("none-blocking-never"));
    expect(b).toContain("**blocking** mode");
    expect(b).toContain("keeps events forever");
  });

  it("explains Spot interruptions only with --spot, and ECS Exec usage only with --exec", () => {
    const plain = render(byId("alb-x86_64-plain-cpu"));
    expect(plain).not.toContain("Fargate Spot");
    expect(plain).not.toContain("execute-command");
    const both = render(byId("alb-spot-exec"));
    expect(both).toContain("### Fargate Spot (`--spot`)");
    expect(both).toContain("two-minute warning");
    expect(both).toContain(`aws ecs execute-command --cluster ${byId("alb-spot-exec").names.cluster} --task "$TASK" --container`);
    expect(both).toContain("Session Manager plugin");
  });

  it("without --account-id: says where the placeholder is and how to fill it, with the exact placeholder", () => {
    const md = render(byId("alb-x86_64-plain-cpu"));
    expect(md).toContain(`\`${ACCOUNT_ID_PLACEHOLDER}\``);
    expect(md).toContain(`sed -i.bak "s/${ACCOUNT_ID_PLACEHOLDER}/$ACCOUNT_ID/g" ecs/*.json && rm ecs/*.json.bak`);
    const withAccount = render(byId("alb-account-port"));
    expect(withAccount).not.toContain(ACCOUNT_ID_PLACEHOLDER);
    expect(withAccount).toContain("generated for account `123456789012`");
  });

  it("names the existing log group and how to create it with --create-log-group", () => {
    const ctx = byId("cloudmap-existing-log-group");
    const md = render(ctx);
    expect(md).toContain(`npx create-fargate-service log-group ${ctx.logGroup} --region ${ctx.region} --retention ${ctx.logRetention}`);
    expect(md).not.toContain("aws logs delete-log-group");
  });

  it("uses the China registry suffix in cn- regions", () => {
    expect(render(byId("alb-china"))).toContain("REGISTRY=$ACCOUNT_ID.dkr.ecr.$AWS_REGION.amazonaws.com.cn");
  });

  it("refers to the partial's placeholder and namespace only through values the tests tie to the code", () => {
    expect(PARTIAL).toContain(ACCOUNT_ID_PLACEHOLDER);
    expect(PARTIAL).toContain("http://{{name}}.{{namespace}}:{{port}}");
  });
});

describe(".github/workflows/deploy.yml", () => {
  it.each(contexts)("%s: build for the platform, push per commit, deploy the stack with only ImageTag overridden", (_id, ctx) => {
    const wf = workflow(ctx);
    expect(wf.on.push.branches).toEqual(["main"]);
    expect(wf.permissions).toEqual({ "id-token": "write", contents: "read" });
    expect(wf.env).toMatchObject({
      AWS_REGION: ctx.region,
      STACK_NAME: ctx.names.stack,
      ECR_REPOSITORY: ctx.names.repository,
      IMAGE_TAG: "${{ github.sha }}",
    });
    const steps = wf.jobs.deploy.steps as Array<{ uses?: string; run?: string; with?: Record<string, string> }>;
    const uses = steps.map((s) => s.uses).filter(Boolean);
    expect(uses).toEqual([
      ACTIONS.checkout,
      ACTIONS.setupNode,
      ACTIONS.configureAwsCredentials,
      ACTIONS.ecrLogin,
      ...(ctx.arch === "arm64" ? [ACTIONS.setupQemu] : []),
      ACTIONS.setupBuildx,
    ]);
    expect(steps.find((s) => s.uses === ACTIONS.configureAwsCredentials)!.with).toEqual({
      "role-to-assume": `\${{ vars.${DEPLOY_ROLE_VARIABLE} }}`,
      "aws-region": "${{ env.AWS_REGION }}",
    });
    const runs = steps.map((s) => s.run ?? "").join("\n");
    // Tests (and create-fargate-service check, part of npm test) gate the image build.
    expect(runs.indexOf("npm test")).toBeGreaterThan(-1);
    expect(runs.indexOf("npm test")).toBeLessThan(runs.indexOf("docker buildx build"));
    expect(runs).toContain(`docker buildx build --platform ${ctx.dockerPlatform} \\`);
    expect(runs).toContain("--capabilities CAPABILITY_NAMED_IAM");
    const overrides = [...runs.slice(runs.indexOf("--parameter-overrides")).matchAll(/"([A-Za-z]+)=/g)].map((m) => m[1]);
    expect(overrides).toEqual([PARAM.imageTag]);
    expect(Object.keys(buildStack(ctx).Parameters)).toContain(PARAM.imageTag);
  });

  it("keeps GitHub expressions verbatim and quotes YAML 1.1 booleans such as `on`", () => {
    const text = buildDeployDocuments(byId("alb-arm64-otel-cpu")).find((f) => f.path === DEPLOY_PATHS.workflow)!.content;
    expect(text).toContain("${{ github.sha }}");
    expect(text).toContain("${{ steps.ecr.outputs.registry }}");
    expect(text).toMatch(/^"on":$/m);
  });
});
