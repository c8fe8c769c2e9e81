/** The shipped IAM action catalogue and the policy evaluation `check` uses. */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { CATALOGUE_SOURCE, lookupAction, needsStarResource, serviceActions, serviceNames } from "../../src/check/iam-catalogue.js";
import { resourceMatches } from "../../src/check/iam.js";

describe("IAM action catalogue", () => {
  it("comes from cfn-lint's Policies.json and stays small", () => {
    expect(CATALOGUE_SOURCE).toMatch(/^cfn-lint \d+\.\d+\.\d+ /);
    const file = path.join(__dirname, "..", "..", "src", "check", "data", "iam-actions.json");
    const bytes = fs.statSync(file).size;
    expect(bytes).toBeLessThan(400_000);
    expect(zlib.gzipSync(fs.readFileSync(file)).length).toBeLessThan(100_000);
    expect(serviceNames().length).toBeGreaterThan(400);
  });

  it("decodes sorted lower-case names", () => {
    const logs = serviceActions("logs")!;
    expect(logs.names).toEqual([...logs.names].sort());
    expect(logs.names).toContain("createlogstream");
    expect(logs.names).toContain("putlogevents");
    expect(logs.names).not.toContain("putlogstream");
    expect(serviceActions("LOGS")).toBe(logs);
  });

  it("knows the actions a Fargate service uses", () => {
    for (const a of [
      "logs:CreateLogStream", "logs:PutLogEvents", "logs:CreateLogGroup", "ecr:GetAuthorizationToken", "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability", "secretsmanager:GetSecretValue", "ssm:GetParameters",
      "kms:Decrypt", "xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:PutSpans", "ssmmessages:OpenDataChannel", "sts:AssumeRole",
    ]) {
      expect(lookupAction(a).kind, a).toBe("ok");
    }
  });

  it("suggests the real actions for misspellings", () => {
    expect(lookupAction("logs:PutLogStream")).toEqual({ kind: "unknown-action", service: "logs", action: "PutLogStream", suggestions: ["CreateLogStream", "PutLogEvents"] });
    const r = lookupAction("ecr:BatchGetImages");
    expect(r.kind === "unknown-action" && r.suggestions[0]).toBe("batchgetimage");
    expect(lookupAction("logz:PutLogEvents")).toEqual({ kind: "unknown-service", service: "logz", suggestion: "logs" });
    expect(lookupAction("logsCreateLogStream")).toEqual({ kind: "no-prefix" });
    expect(lookupAction("logs:Put*").kind).toBe("ok");
    expect(lookupAction("logs:Putz*").kind).toBe("unknown-action");
  });

  it("knows which actions have no resource-level permissions", () => {
    expect(needsStarResource("ecr:GetAuthorizationToken")).toBe(true);
    expect(needsStarResource("xray:PutTraceSegments")).toBe(true);
    expect(needsStarResource("ssmmessages:CreateControlChannel")).toBe(true);
    expect(needsStarResource("ssmmessages:*")).toBe(true);
    expect(needsStarResource("logs:PutLogEvents")).toBe(false);
    expect(needsStarResource("ecr:BatchGetImage")).toBe(false);
    expect(needsStarResource("secretsmanager:GetSecretValue")).toBe(false);
  });
});

describe("resource matching", () => {
  const stream = "arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/a:log-stream:ecs/a/1";
  it("globs", () => {
    expect(resourceMatches("*", stream)).toBe(true);
    expect(resourceMatches("arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/a:*", stream)).toBe(true);
    expect(resourceMatches("arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/a", stream)).toBe(false);
    expect(resourceMatches("arn:aws:logs:*:*:log-group:/ecs/?:*", stream)).toBe(true);
    expect(resourceMatches("arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/b:*", stream)).toBe(false);
  });
  it("unresolved CloudFormation values: lenient in partition/region/account, unknown elsewhere", () => {
    expect(resourceMatches("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/ecs/a:*", stream)).toBe(true);
    expect(resourceMatches("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/ecs/b:*", stream)).toBe(false);
    expect(resourceMatches("arn:aws:logs:eu-west-1:123456789012:log-group:${Name}:*", stream)).toBeUndefined();
    expect(resourceMatches("arn:aws:logs:us-east-1:123456789012:log-group:/ecs/a:*", stream)).toBe(false);
  });
});
