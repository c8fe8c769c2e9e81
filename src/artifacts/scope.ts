/**
 * One builder, two renderings. Every deployment document (task definition, IAM policies) is built ONCE, as the
 * API-shaped object, from the context plus a `Scope`: the handful of values that depend on where it is deployed.
 *
 * - `jsonScope(ctx)`: literal values for ecs/*.json (region, partition, account ID or ACCOUNT_ID_PLACEHOLDER).
 * - `STACK_SCOPE`: CloudFormation `${…}` variables (pseudo-parameters, parameters, resource attributes). After
 *   building, `intrinsify()` turns every string that mentions a variable into `Ref` / `Fn::GetAtt` / `Fn::Sub`,
 *   and `toCloudFormation()` turns API camelCase keys into CloudFormation PascalCase.
 *
 * So the stack's `AWS::ECS::TaskDefinition` and `ecs/task-definition.json` are the same object, not two copies.
 */
import type { ServiceContext } from "../context.js";
import { FREE_FORM_MAP_KEYS } from "./aws-types.js";

/**
 * Written into ecs/*.json when the project was generated without `--account-id`. The README's deploy section and
 * the deploy workflow replace it with the caller's account (`aws sts get-caller-identity`) before any use; the
 * angle brackets make any ARN or image that still contains it invalid, so it can never deploy half-working.
 */
export const ACCOUNT_ID_PLACEHOLDER = "<AWS_ACCOUNT_ID>";

/** The image tag ecs/task-definition.json points at; the README and the workflow push it next to the commit tag. */
export const JSON_IMAGE_TAG = "latest";

export interface Scope {
  partition: string;
  region: string;
  account: string;
  /** "amazonaws.com" (or "amazonaws.com.cn"), as in ECR registry host names. */
  urlSuffix: string;
  /** Name of the log group the containers write to. */
  logGroup: string;
  imageTag: string;
  executionRoleArn: string;
  taskRoleArn: string;
}

export function urlSuffixOf(partition: string): string {
  return partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
}

export function jsonScope(ctx: ServiceContext): Scope {
  const account = ctx.accountId ?? ACCOUNT_ID_PLACEHOLDER;
  return {
    partition: ctx.partition,
    region: ctx.region,
    account,
    urlSuffix: urlSuffixOf(ctx.partition),
    logGroup: ctx.logGroup,
    imageTag: JSON_IMAGE_TAG,
    executionRoleArn: `arn:${ctx.partition}:iam::${account}:role/${ctx.names.executionRole}`,
    taskRoleArn: `arn:${ctx.partition}:iam::${account}:role/${ctx.names.taskRole}`,
  };
}

/** Logical IDs and parameter names of the stack that the scope refers to. */
export const LOGICAL = {
  logGroup: "LogGroup",
  logGroupNameParam: "LogGroupName",
  imageTagParam: "ImageTag",
  executionRole: "ExecutionRole",
  taskRole: "TaskRole",
} as const;

export function stackScope(ctx: ServiceContext): Scope {
  return {
    partition: "${AWS::Partition}",
    region: "${AWS::Region}",
    account: "${AWS::AccountId}",
    urlSuffix: "${AWS::URLSuffix}",
    // Ref to the LogGroup resource is its name; with --create-log-group the stack takes the name as a parameter.
    logGroup: ctx.createLogGroup ? `\${${LOGICAL.logGroupNameParam}}` : `\${${LOGICAL.logGroup}}`,
    imageTag: `\${${LOGICAL.imageTagParam}}`,
    executionRoleArn: `\${${LOGICAL.executionRole}.Arn}`,
    taskRoleArn: `\${${LOGICAL.taskRole}.Arn}`,
  };
}

/** ECR repository URI (no tag). */
export function imageRepositoryUri(scope: Scope, repository: string): string {
  return `${scope.account}.dkr.ecr.${scope.region}.${scope.urlSuffix}/${repository}`;
}

// ---------------------------------------------------------------------------------------------------------------
// CloudFormation rendering

const WHOLE_VAR = /^\$\{([A-Za-z0-9:]+)(?:\.([A-Za-z0-9.]+))?\}$/;

/** "${X}" → Ref X; "${X.Attr}" → Fn::GetAtt; any other string with "${" → Fn::Sub; other strings unchanged. */
export function intrinsifyString(s: string): unknown {
  if (!s.includes("${")) return s;
  const m = WHOLE_VAR.exec(s);
  if (m) return m[2] ? { "Fn::GetAtt": [m[1]!, m[2]] } : { Ref: m[1]! };
  return { "Fn::Sub": s };
}

export function isIntrinsic(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === "Ref" || keys[0]!.startsWith("Fn::") || keys[0] === "Condition");
}

/** Deep copy that replaces `${…}` strings by intrinsics (intrinsics already present are kept). */
export function intrinsify(value: unknown): unknown {
  if (typeof value === "string") return intrinsifyString(value);
  if (Array.isArray(value)) return value.map(intrinsify);
  if (typeof value === "object" && value !== null) {
    if (isIntrinsic(value)) return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, intrinsify(v)]));
  }
  return value;
}

function pascal(key: string): string {
  return key.charAt(0).toUpperCase() + key.slice(1);
}

/**
 * API member names (camelCase) → CloudFormation property names (PascalCase), deep. The values of free-form maps
 * (`options`, `dockerLabels`, …) are copied unchanged; intrinsic functions are left alone.
 */
export function toCloudFormation(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toCloudFormation);
  if (typeof value === "object" && value !== null) {
    if (isIntrinsic(value)) return value;
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [pascal(k), FREE_FORM_MAP_KEYS.has(k) ? v : toCloudFormation(v)]),
    );
  }
  return value;
}
