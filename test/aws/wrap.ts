/**
 * The non-CloudFormation JSON documents, wrapped as throw-away CloudFormation so cfn-lint's ECS and IAM rules
 * apply to them:
 *
 * - ecs/task-definition.json → AWS::ECS::TaskDefinition, each API key PascalCased, the free-form maps
 *   (`options`, `dockerLabels`, `driverOpts`, `labels`) copied unchanged;
 * - each trust policy → AWS::IAM::Role.AssumeRolePolicyDocument;
 * - each identity policy → AWS::IAM::ManagedPolicy.PolicyDocument (policies without statements are skipped:
 *   they are never attached).
 *
 * Deliberately an independent implementation (not src/artifacts/scope.ts), so it checks the files, not the builder.
 */
import fs from "node:fs";
import path from "node:path";

const FREE_FORM = new Set(["options", "dockerLabels", "driverOpts", "labels"]);

export function pascalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pascalize);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k[0]!.toUpperCase() + k.slice(1)] = FREE_FORM.has(k) ? v : pascalize(v);
    return out;
  }
  return value;
}

function readJson(dir: string, rel: string): any {
  return JSON.parse(fs.readFileSync(path.join(dir, rel), "utf8"));
}

/** Resources for one generated project directory; logical IDs are prefixed with `prefix` (alphanumeric). */
export function wrappedResources(dir: string, prefix: string): Record<string, unknown> {
  const resources: Record<string, unknown> = {
    [`${prefix}TaskDefinition`]: { Type: "AWS::ECS::TaskDefinition", Properties: pascalize(readJson(dir, "ecs/task-definition.json")) },
    [`${prefix}ExecutionTrust`]: {
      Type: "AWS::IAM::Role",
      Properties: { AssumeRolePolicyDocument: readJson(dir, "ecs/execution-role-trust-policy.json") },
    },
    [`${prefix}TaskTrust`]: {
      Type: "AWS::IAM::Role",
      Properties: { AssumeRolePolicyDocument: readJson(dir, "ecs/task-role-trust-policy.json") },
    },
    [`${prefix}ExecutionPolicy`]: {
      Type: "AWS::IAM::ManagedPolicy",
      Properties: { PolicyDocument: readJson(dir, "ecs/execution-role-policy.json") },
    },
  };
  const taskPolicy = readJson(dir, "ecs/task-role-policy.json");
  if (taskPolicy.Statement.length > 0) {
    resources[`${prefix}TaskPolicy`] = { Type: "AWS::IAM::ManagedPolicy", Properties: { PolicyDocument: taskPolicy } };
  }
  return resources;
}

export function wrappedTemplate(dirs: Array<{ dir: string; prefix: string }>): string {
  const Resources = Object.assign({}, ...dirs.map((d) => wrappedResources(d.dir, d.prefix)));
  return `${JSON.stringify({ AWSTemplateFormatVersion: "2010-09-09", Description: "throw-away wrapper for linting ecs/*.json", Resources }, null, 2)}\n`;
}
