/**
 * .github/workflows/deploy.yml: on push to main, the same steps as the README's deploy section: build and push the
 * image for the task's platform (tagged with the commit SHA, plus "latest" for ecs/task-definition.json), then
 * `aws cloudformation deploy` with only ImageTag overridden (every other parameter keeps the value of the first,
 * manual deploy). AWS credentials come from GitHub OIDC: no long-lived keys. Built as an object and serialized,
 * so `${{ … }}` expressions never pass through a template engine.
 */
import type { ServiceContext } from "../context.js";
import { JSON_IMAGE_TAG } from "./scope.js";
import { PARAM } from "./stack.js";

/** Repository variable holding the ARN of the IAM role the workflow assumes through GitHub OIDC. */
export const DEPLOY_ROLE_VARIABLE = "AWS_DEPLOY_ROLE_ARN";

/** Official actions, pinned to their major versions. */
export const ACTIONS = {
  checkout: "actions/checkout@v4",
  setupNode: "actions/setup-node@v4",
  configureAwsCredentials: "aws-actions/configure-aws-credentials@v4",
  ecrLogin: "aws-actions/amazon-ecr-login@v2",
  setupQemu: "docker/setup-qemu-action@v3",
  setupBuildx: "docker/setup-buildx-action@v3",
} as const;

export interface WorkflowStep {
  name: string;
  id?: string;
  uses?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
  run?: string;
}

export function buildDeployWorkflow(ctx: ServiceContext): Record<string, unknown> {
  const steps: WorkflowStep[] = [
    { name: "Check out", uses: ACTIONS.checkout },
    // Nothing ships that fails its own tests or `create-fargate-service check` (part of npm test).
    { name: "Set up Node.js", uses: ACTIONS.setupNode, with: { "node-version": String(ctx.nodeImageMajor), cache: "npm" } },
    { name: "Install dependencies", run: "npm ci" },
    { name: "Test (type check, tests, create-fargate-service check)", run: "npm test" },
    {
      name: "Configure AWS credentials (GitHub OIDC)",
      uses: ACTIONS.configureAwsCredentials,
      with: { "role-to-assume": `\${{ vars.${DEPLOY_ROLE_VARIABLE} }}`, "aws-region": "${{ env.AWS_REGION }}" },
    },
    {
      name: "Check that the stack exists",
      run: [
        'if ! aws cloudformation describe-stacks --stack-name "$STACK_NAME" >/dev/null; then',
        '  echo "::error::Stack $STACK_NAME not found in $AWS_REGION. Deploy it once by hand (README, Deploy): this workflow only updates the image."',
        "  exit 1",
        "fi",
        "",
      ].join("\n"),
    },
    { name: "Log in to Amazon ECR", id: "ecr", uses: ACTIONS.ecrLogin },
  ];
  if (ctx.arch === "arm64") {
    // GitHub's ubuntu-latest runners are x86_64: emulate arm64 for the build.
    steps.push({ name: "Set up QEMU (arm64 emulation)", uses: ACTIONS.setupQemu, with: { platforms: "arm64" } });
  }
  steps.push(
    { name: "Set up Docker Buildx", uses: ACTIONS.setupBuildx },
    {
      name: `Build and push the image (${ctx.dockerPlatform})`,
      env: { REGISTRY: "${{ steps.ecr.outputs.registry }}" },
      run: [
        // The platform is written out (not an env var) so readers and `check` see it.
        `docker buildx build --platform ${ctx.dockerPlatform} \\`,
        '  --tag "$REGISTRY/$ECR_REPOSITORY:$IMAGE_TAG" \\',
        `  --tag "$REGISTRY/$ECR_REPOSITORY:${JSON_IMAGE_TAG}" \\`,
        "  --push .",
        "",
      ].join("\n"),
    },
    {
      name: "Deploy the stack",
      run: [
        'aws cloudformation deploy --stack-name "$STACK_NAME" \\',
        "  --template-file infra/stack.yaml \\",
        "  --capabilities CAPABILITY_NAMED_IAM \\",
        `  --parameter-overrides "${PARAM.imageTag}=$IMAGE_TAG" \\`,
        "  --no-fail-on-empty-changeset",
        "",
      ].join("\n"),
    },
  );

  return {
    name: "deploy",
    on: { push: { branches: ["main"] }, workflow_dispatch: {} },
    permissions: { "id-token": "write", contents: "read" },
    // One deploy at a time; a newer push waits instead of cancelling a CloudFormation update halfway.
    concurrency: { group: `deploy-${ctx.names.stack}`, "cancel-in-progress": false },
    env: {
      AWS_REGION: ctx.region,
      STACK_NAME: ctx.names.stack,
      ECR_REPOSITORY: ctx.names.repository,
      IMAGE_TAG: "${{ github.sha }}",
    },
    jobs: {
      deploy: {
        "runs-on": "ubuntu-latest",
        "timeout-minutes": 45,
        steps,
      },
    },
  };
}
