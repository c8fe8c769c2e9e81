/**
 * IAM documents for the two roles, least privilege by construction (ECS developer guide: "Amazon ECS task execution
 * IAM role" and "Amazon ECS task IAM role"):
 *
 * - Execution role (used by the Fargate agent): ECR pull on exactly this repository, ecr:GetAuthorizationToken
 *   (has no resource type, so "*"), CreateLogStream/PutLogEvents on exactly this log group's streams, and read
 *   access to exactly the secret/parameter ARNs given (+ kms:Decrypt on the given key, only via those services).
 * - Task role (used by the app): nothing by default. Tracing adds the two X-Ray write actions the collector's
 *   awsxray exporter calls; --exec adds the four ssmmessages actions ECS Exec needs. Neither service supports
 *   resource-level permissions (cfn-lint Policies.json lists no resource type for them), so they need "*".
 *
 * No managed policies, no "*" action anywhere. Built with a Scope (scope.ts), so the same functions produce the
 * literal ecs/*.json documents and the stack's inline policies.
 */
import type { ServiceContext } from "../context.js";
import type { PolicyDocument, PolicyStatement } from "./aws-types.js";
import { urlSuffixOf, type Scope } from "./scope.js";

/** The only principal either role trusts. Asserted literally in tests: IAM and cfn-lint accept typos here. */
export const ECS_TASKS_PRINCIPAL = "ecs-tasks.amazonaws.com";

export const ECR_PULL_ACTIONS = ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"];
export const LOG_WRITE_ACTIONS = ["logs:CreateLogStream", "logs:PutLogEvents"];
/** What the awsxray exporter calls (no sampling: the app's SDK samples locally). */
export const XRAY_WRITE_ACTIONS = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"];
/** What the SSM agent behind ECS Exec calls (ECS developer guide, "ECS Exec" IAM permissions). */
export const ECS_EXEC_ACTIONS = [
  "ssmmessages:CreateControlChannel",
  "ssmmessages:CreateDataChannel",
  "ssmmessages:OpenControlChannel",
  "ssmmessages:OpenDataChannel",
];

/**
 * Actions that may (must) use Resource "*", because the service defines no resource type for them.
 * `check` and the unit tests use this list: anything else with "*" is a bug.
 */
export const WILDCARD_RESOURCE_ACTIONS: readonly string[] = ["ecr:GetAuthorizationToken", ...XRAY_WRITE_ACTIONS, ...ECS_EXEC_ACTIONS];

/** Sids double as comments in the JSON files (JSON has none). */
export const SID = {
  ecrAuth: "EcrAuthTokenHasNoResourceType",
  ecrPull: "PullThisServiceImage",
  logs: "WriteThisServiceLogGroup",
  ssm: "ReadGivenSsmParameters",
  secretsManager: "ReadGivenSecrets",
  kms: "DecryptGivenSecretsOnly",
  xray: "XrayWriteHasNoResourceType",
  exec: "EcsExecSsmMessagesHasNoResourceType",
} as const;

export function executionTrustPolicy(): PolicyDocument {
  // The ECS docs show the execution role's trust policy without conditions; conditions are documented for the
  // task role only, so we do not guess here.
  return {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: ECS_TASKS_PRINCIPAL }, Action: "sts:AssumeRole" }],
  };
}

export function taskTrustPolicy(scope: Scope): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: ECS_TASKS_PRINCIPAL },
        Action: "sts:AssumeRole",
        // Confused-deputy protection, as documented for task roles. SourceArn cannot name one cluster (ECS docs).
        Condition: {
          ArnLike: { "aws:SourceArn": `arn:${scope.partition}:ecs:${scope.region}:${scope.account}:*` },
          StringEquals: { "aws:SourceAccount": scope.account },
        },
      },
    ],
  };
}

/** SSM parameter ARNs and Secrets Manager ARNs among the given secrets. */
function secretArns(ctx: ServiceContext): { ssm: string[]; secretsManager: string[] } {
  const ssm: string[] = [];
  const secretsManager: string[] = [];
  for (const s of ctx.secrets) {
    if (/^arn:[^:]+:ssm:/.test(s.valueFrom)) ssm.push(s.valueFrom);
    else secretsManager.push(secretsManagerResource(s.valueFrom));
  }
  return { ssm: [...new Set(ssm)], secretsManager: [...new Set(secretsManager)] };
}

/**
 * A Secrets Manager secret's full ARN ends in "-" plus 6 random characters. Given a partial ARN (no suffix), the
 * policy needs "-??????" to match it, as the Secrets Manager docs recommend; a full ARN is used as it is.
 */
export function secretsManagerResource(arn: string): string {
  return /-[A-Za-z0-9]{6}$/.test(arn) ? arn : `${arn}-??????`;
}

/** "secretsmanager.<region>.amazonaws.com" for each service+region the secrets come from. */
function viaServices(ctx: ServiceContext): string[] {
  const out = new Set<string>();
  for (const s of ctx.secrets) {
    const [, partition, service, region] = s.valueFrom.split(":");
    out.add(`${service}.${region}.${urlSuffixOf(partition ?? "aws")}`);
  }
  return [...out].sort();
}

export function executionPolicy(ctx: ServiceContext, scope: Scope): PolicyDocument {
  const { ssm, secretsManager } = secretArns(ctx);
  const statements: PolicyStatement[] = [
    { Sid: SID.ecrAuth, Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
    {
      Sid: SID.ecrPull,
      Effect: "Allow",
      Action: ECR_PULL_ACTIONS,
      Resource: `arn:${scope.partition}:ecr:${scope.region}:${scope.account}:repository/${ctx.names.repository}`,
    },
    {
      Sid: SID.logs,
      Effect: "Allow",
      Action: LOG_WRITE_ACTIONS,
      Resource: logStreamsArn(scope),
    },
  ];
  if (ssm.length) statements.push({ Sid: SID.ssm, Effect: "Allow", Action: "ssm:GetParameters", Resource: ssm });
  if (secretsManager.length) {
    statements.push({ Sid: SID.secretsManager, Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secretsManager });
  }
  if (ctx.secretsKmsKey && ctx.secrets.length) {
    statements.push({
      Sid: SID.kms,
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: ctx.secretsKmsKey,
      Condition: { StringEquals: { "kms:ViaService": viaServices(ctx) } },
    });
  }
  return { Version: "2012-10-17", Statement: statements };
}

/** Every stream of exactly this log group (CreateLogStream and PutLogEvents act on log-stream resources). */
export function logStreamsArn(scope: Scope): string {
  return `arn:${scope.partition}:logs:${scope.region}:${scope.account}:log-group:${scope.logGroup}:*`;
}

/** The app's own permissions. Empty (no statements) unless tracing or ECS Exec is on. */
export function taskPolicy(ctx: ServiceContext): PolicyDocument {
  const statements: PolicyStatement[] = [];
  if (ctx.tracing) statements.push({ Sid: SID.xray, Effect: "Allow", Action: XRAY_WRITE_ACTIONS, Resource: "*" });
  if (ctx.exec) statements.push({ Sid: SID.exec, Effect: "Allow", Action: ECS_EXEC_ACTIONS, Resource: "*" });
  return { Version: "2012-10-17", Statement: statements };
}
