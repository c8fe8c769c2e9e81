/**
 * The log-group engine and command without AWS: validation, argv parsing, the dry-run plan, error classification,
 * the IAM policy, the retry command and redaction. No process, no network.
 */
import { describe, expect, it } from "vitest";
import {
  LogGroupError,
  classifyError,
  endpointFor,
  ensureLogGroup,
  logGroupCommand,
  logGroupPolicy,
  planLogGroupCalls,
  redact,
  resolveRegion,
  validateLogGroupRequest,
  type ErrorContext,
  type LogGroupRequest,
} from "../../src/steps/log-group.js";
import { parseLogGroupArgs, runLogGroupCommand } from "../../src/commands/log-group.js";
import { RETENTION_DAYS } from "../../src/fargate/log-group.js";

const base: LogGroupRequest = { name: "/ecs/my-svc", region: "eu-west-1", retention: 14, tags: {} };
const noSdk = async (): Promise<never> => {
  throw new Error("the SDK must not be loaded here");
};

describe("validateLogGroupRequest", () => {
  it("accepts a good request", () => {
    expect(validateLogGroupRequest({ ...base, tags: { team: "payments", "cost center": "a/b:c=d+e@f" }, kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", logGroupClass: "INFREQUENT_ACCESS", maxAttempts: 5, timeoutMs: 1000 })).toEqual([]);
    for (const days of RETENTION_DAYS) expect(validateLogGroupRequest({ ...base, retention: days })).toEqual([]);
    expect(validateLogGroupRequest({ ...base, retention: "never" })).toEqual([]);
    expect(validateLogGroupRequest({ ...base, name: "a".repeat(512) })).toEqual([]);
    expect(validateLogGroupRequest({ ...base, name: "#x.y-z_/A9" })).toEqual([]);
  });

  it.each([
    ["empty name", { name: "" }, "log group name must be 1–512 characters (got 0)"],
    ["513 characters", { name: "a".repeat(513) }, "log group name must be 1–512 characters (got 513)"],
    ["a space and a star", { name: "bad name*" }, 'log group name "bad name*" contains " *"; allowed characters: a-z A-Z 0-9 . - _ / #'],
    ["aws/ prefix", { name: "aws/reserved" }, 'log group name "aws/reserved" starts with "aws/", which AWS reserves'],
    ["retention 2", { retention: 2 as never }, 'log retention "2" is not allowed; use one of: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, or never'],
    ["retention 0", { retention: 0 as never }, 'log retention "0" is not allowed'],
    ["retention 9999", { retention: 9999 as never }, 'log retention "9999" is not allowed'],
    ["region typo", { region: "euwest1" }, '--region "euwest1" is not an AWS region code; did you mean eu-west-1?'],
    ["tag key aws:", { tags: { "aws:x": "1" } }, 'tag key "aws:x" starts with "aws:", which AWS reserves'],
    ["tag key too long", { tags: { ["k".repeat(129)]: "1" } }, "must be 1–128 characters"],
    ["tag value too long", { tags: { k: "v".repeat(257) } }, 'tag value for "k" must be at most 256 characters'],
    ["tag key characters", { tags: { "bad*key": "1" } }, 'tag key "bad*key" has characters outside letters'],
    ["51 tags", { tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"])) }, "51 tags given; a log group can have at most 50"],
    ["KMS not an ARN", { kmsKeyId: "alias/my-key" }, 'KMS key "alias/my-key" is not a key ARN; expected arn:aws:kms:<region>:<account-id>:key/<key-id>'],
    ["KMS other region", { kmsKeyId: "arn:aws:kms:us-west-2:123456789012:key/abc" }, 'KMS key "arn:aws:kms:us-west-2:123456789012:key/abc" is in us-west-2, but the log group is in eu-west-1; CloudWatch Logs needs a key in the same region'],
    ["class", { logGroupClass: "DELIVERY" as never }, 'log group class "DELIVERY" is not allowed; use standard or infrequent-access'],
    ["max attempts 0", { maxAttempts: 0 }, "max attempts 0 is not allowed; use a whole number from 1 to 20"],
    ["timeout", { timeoutMs: 10 }, "timeout 10 ms is not allowed"],
  ])("refuses %s", (_label, patch, message) => {
    const errors = validateLogGroupRequest({ ...base, ...(patch as Partial<LogGroupRequest>) });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(message);
  });

  it("ensureLogGroup refuses an invalid request with exit 2 before loading the SDK", async () => {
    const err = await ensureLogGroup({ ...base, name: "aws/x", retention: 2 as never }, { loadSdk: noSdk }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LogGroupError);
    expect((err as LogGroupError).exitCode).toBe(2);
    expect((err as LogGroupError).code).toBe("usage");
    expect((err as LogGroupError).problems).toHaveLength(2);
    expect((err as LogGroupError).calls).toEqual([]);
  });
});

describe("parseLogGroupArgs (argv → request)", () => {
  it("builds the request", () => {
    const { request, errors } = parseLogGroupArgs("/ecs/a", {
      region: "eu-west-1",
      retention: "never",
      tag: ["team=payments", "empty=", "eq=a=b"],
      kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/abc",
      class: "Infrequent_Access",
      profile: "prod",
      maxAttempts: "5",
      timeout: "2.5",
      dryRun: true,
    });
    expect(errors).toEqual([]);
    expect(request).toEqual({
      name: "/ecs/a",
      region: "eu-west-1",
      retention: "never",
      tags: { team: "payments", empty: "", eq: "a=b" },
      kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/abc",
      logGroupClass: "INFREQUENT_ACCESS",
      profile: "prod",
      maxAttempts: 5,
      timeoutMs: 2500,
      dryRun: true,
    });
  });

  it("collects every problem with the flag it belongs to", () => {
    const { request, errors } = parseLogGroupArgs("aws/x", {
      retention: "forever",
      tag: ["novalue", "k=1", "k=2"],
      class: "glacier",
      maxAttempts: "x",
      timeout: "0",
      kmsKeyId: "nope",
      region: "mars-1",
    });
    expect(request).toBeUndefined();
    expect(errors).toEqual([
      'log group name "aws/x" starts with "aws/", which AWS reserves',
      `--retention: log retention "forever" is not allowed; use one of: ${RETENTION_DAYS.join(", ")}, or never`,
      '--tag "novalue" is not key=value',
      '--tag "k" is given twice with different values ("1" and "2")',
      expect.stringContaining('--region "mars-1" is not an AWS region code'),
      '--kms-key-id: KMS key "nope" is not a key ARN; expected arn:aws:kms:<region>:<account-id>:key/<key-id>',
      '--class "glacier" is not allowed; use standard or infrequent-access',
      '--max-attempts "x" is not allowed; use a whole number from 1 to 20 (1 = no retry)',
      '--timeout "0" is not allowed; use seconds from 0.1 to 600',
    ]);
  });

  it("requires --retention", () => {
    expect(parseLogGroupArgs("/ecs/a", {}).errors).toEqual([`--retention is required: days (${RETENTION_DAYS.join(", ")}) or never`]);
  });

  it("prints usage errors (and --json) without loading the SDK; exit 2", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, env: {} } as never;
    const code = await runLogGroupCommand("bad name", { retention: "2", json: true }, io, { loadSdk: noSdk });
    expect(code).toBe(2);
    expect(err.join("")).toContain("error: invalid arguments:\n  log group name \"bad name\" contains");
    const json = JSON.parse(out.join(""));
    expect(json).toMatchObject({ ok: false, exitCode: 2, error: { code: "usage" }, calls: [] });
    expect(json.error.problems).toHaveLength(2);
  });
});

describe("planLogGroupCalls (--dry-run)", () => {
  it("lists every call with its condition", () => {
    const plan = planLogGroupCalls({ ...base, tags: { team: "a" }, kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/k", logGroupClass: "STANDARD" });
    expect(plan.map((c) => [c.operation, c.when])).toEqual([
      ["DescribeLogGroups", "always (finds the group by exact name)"],
      ["CreateLogGroup", "if the group does not exist"],
      ["ListTagsForResource", "if the group exists"],
      ["PutRetentionPolicy", "if the group was just created, or exists with another retention"],
      ["TagResource", "if the group exists and some of these tags are missing or different"],
    ]);
    expect(plan[1]!.input).toEqual({ logGroupName: "/ecs/my-svc", tags: { team: "a" }, kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/k", logGroupClass: "STANDARD" });
    expect(plan.every((c) => c.status === "planned" && c.action === `logs:${c.operation}`)).toBe(true);
  });

  it("uses DeleteRetentionPolicy for never and no TagResource without tags", () => {
    const plan = planLogGroupCalls({ ...base, retention: "never" });
    expect(plan.map((c) => c.operation)).toEqual(["DescribeLogGroups", "CreateLogGroup", "ListTagsForResource", "DeleteRetentionPolicy"]);
  });

  it("ensureLogGroup with dryRun and an explicit region sends nothing and loads no SDK", async () => {
    const o = await ensureLogGroup({ ...base, dryRun: true }, { loadSdk: noSdk, env: {} });
    expect(o.status).toBe("planned");
    expect(o.endpoint).toBe("https://logs.eu-west-1.amazonaws.com");
    expect(o.calls).toHaveLength(4);
    expect(o.summary).toBe("dry run: would make at most 4 calls for log group /ecs/my-svc (eu-west-1); nothing was sent");
  });
});

describe("region and endpoint", () => {
  it("takes --region, else AWS_REGION (never AWS_DEFAULT_REGION)", async () => {
    expect(await resolveRegion({ region: "eu-west-1" }, noSdk, { AWS_REGION: "us-east-1" })).toEqual({ region: "eu-west-1", source: "--region" });
    expect(await resolveRegion({}, noSdk, { AWS_REGION: "us-east-2" })).toEqual({ region: "us-east-2", source: "AWS_REGION" });
  });

  it("refuses an unknown region from AWS_REGION with exit 2, naming the variable", async () => {
    const err = (await resolveRegion({}, noSdk, { AWS_REGION: "mars-1" }).catch((e: unknown) => e)) as LogGroupError;
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(/^AWS_REGION "mars-1" is not an AWS region code/);
  });

  it("follows the SDK's endpoint precedence", () => {
    expect(endpointFor("eu-west-1", {})).toEqual({ url: "https://logs.eu-west-1.amazonaws.com", source: "default" });
    expect(endpointFor("cn-north-1", {}).url).toBe("https://logs.cn-north-1.amazonaws.com.cn");
    expect(endpointFor("eu-west-1", { AWS_ENDPOINT_URL: "http://a" })).toEqual({ url: "http://a", source: "AWS_ENDPOINT_URL" });
    expect(endpointFor("eu-west-1", { AWS_ENDPOINT_URL: "http://a", AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: "http://b" })).toEqual({
      url: "http://b",
      source: "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS",
    });
  });
});

describe("classifyError", () => {
  const ctx: ErrorContext = {
    operation: "CreateLogGroup",
    request: { name: "/ecs/my-svc" },
    region: "eu-west-1",
    endpoint: { url: "http://127.0.0.1:9", source: "AWS_ENDPOINT_URL" },
    timeoutMs: 15_000,
    env: {},
  };
  const aws = (name: string, message: string, status = 400, attempts = 1, fault: "client" | "server" = "client") =>
    Object.assign(new Error(message), { name, $fault: fault, $metadata: { httpStatusCode: status, attempts } });

  it("access denied: names the action, the principal and the statement that allows it", () => {
    const e = classifyError(
      aws(
        "AccessDeniedException",
        "User: arn:aws:sts::123456789012:assumed-role/dev/alice is not authorized to perform: logs:CreateLogGroup on resource: arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/my-svc:log-stream: because no identity-based policy allows the logs:CreateLogGroup action",
      ),
      ctx,
    );
    expect(e.code).toBe("access-denied");
    expect(e.exitCode).toBe(1);
    expect(e.message).toBe(
      "access denied: arn:aws:sts::123456789012:assumed-role/dev/alice may not call logs:CreateLogGroup on arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/my-svc:log-stream: (during CreateLogGroup). Add this statement to its IAM policy:\n" +
        JSON.stringify(
          {
            Effect: "Allow",
            Action: "logs:CreateLogGroup",
            Resource: ["arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/my-svc", "arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/my-svc:*"],
          },
          null,
          2,
        ),
    );
  });

  it("access denied on the tagging part of CreateLogGroup names logs:TagResource", () => {
    const e = classifyError(aws("AccessDeniedException", "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: logs:TagResource on resource: arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/my-svc"), ctx);
    expect(e.message).toContain("may not call logs:TagResource");
    expect(e.message).toContain('"Action": "logs:TagResource"');
  });

  it("access denied without details falls back to the operation's action", () => {
    const e = classifyError(aws("AccessDeniedException", "You don't have sufficient permissions"), { ...ctx, operation: "DescribeLogGroups" });
    expect(e.message).toContain("your AWS identity may not call logs:DescribeLogGroups (during DescribeLogGroups)");
    expect(e.message).toContain('"Resource": "arn:aws:logs:eu-west-1:*:log-group:*"');
  });

  it("no credentials", () => {
    const e = classifyError(Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" }), ctx);
    expect(e.code).toBe("no-credentials");
    expect(e.message).toBe(
      'no AWS credentials found: set AWS_PROFILE (or pass --profile NAME), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run "aws configure" / "aws sso login" (AWS SDK: Could not load credentials from any providers)',
    );
  });

  it("rejected credentials", () => {
    const e = classifyError(aws("UnrecognizedClientException", "The security token included in the request is invalid."), ctx);
    expect(e.code).toBe("credentials-rejected");
    expect(e.message).toMatch(/^AWS rejected the credentials \(UnrecognizedClientException: The security token included in the request is invalid\.\)/);
  });

  it("throttling after retries", () => {
    const e = classifyError(aws("ThrottlingException", "Rate exceeded", 400, 3), ctx);
    expect(e.code).toBe("throttled");
    expect(e.message).toBe(
      "CloudWatch Logs throttled CreateLogGroup after 3 attempts (ThrottlingException); wait a minute and run the command again (it is safe to repeat), or allow more attempts with --max-attempts",
    );
  });

  it("5xx after retries", () => {
    const e = classifyError(aws("ServiceUnavailableException", "The service cannot complete the request.", 503, 3, "server"), ctx);
    expect(e.code).toBe("service-error");
    expect(e.message).toBe(
      "CloudWatch Logs at http://127.0.0.1:9 (from AWS_ENDPOINT_URL) failed CreateLogGroup with HTTP 503 ServiceUnavailableException: The service cannot complete the request. after 3 attempts; this is a service-side error: run the command again later (it is safe to repeat), or allow more attempts with --max-attempts",
    );
  });

  it("network errors name the endpoint", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED", $metadata: { attempts: 3 } });
    expect(classifyError(refused, ctx).message).toBe(
      "could not reach CloudWatch Logs at http://127.0.0.1:9 (from AWS_ENDPOINT_URL): connection refused (ECONNREFUSED) after 3 attempts; check the network, the region, and any AWS_ENDPOINT_URL* setting",
    );
    const dns = Object.assign(new Error("getaddrinfo ENOTFOUND logs.eu-west-1.amazonaws.com"), { code: "ENOTFOUND", $metadata: { attempts: 1 } });
    expect(classifyError(dns, { ...ctx, endpoint: endpointFor("eu-west-1", {}) }).message).toBe(
      "could not reach CloudWatch Logs at https://logs.eu-west-1.amazonaws.com: host not found (ENOTFOUND); check the network, the region, and any AWS_ENDPOINT_URL* setting",
    );
  });

  it("timeouts name the endpoint and the timeout", () => {
    const t = Object.assign(new Error("a request has exceeded the configured 300 ms requestTimeout"), { name: "TimeoutError", code: "ETIMEDOUT", $metadata: { attempts: 2 } });
    const e = classifyError(t, { ...ctx, timeoutMs: 300 });
    expect(e.code).toBe("timeout");
    expect(e.message).toBe("CloudWatch Logs at http://127.0.0.1:9 (from AWS_ENDPOINT_URL) did not answer CreateLogGroup within 0.3 s after 2 attempts; check the network or proxy, or raise --timeout");
  });

  it("an invalid KMS key", () => {
    const kctx = { ...ctx, request: { ...ctx.request, kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/nope" } };
    for (const name of ["AccessDeniedException", "InvalidParameterException"]) {
      const e = classifyError(aws(name, "The specified KMS key does not exist or is not allowed to be used with Arn 'arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/my-svc'"), kctx);
      expect(e.code).toBe("kms-key");
      expect(e.message).toMatch(/^KMS key arn:aws:kms:eu-west-1:123456789012:key\/nope cannot be used for log group "\/ecs\/my-svc"/);
      expect(e.message).toContain("logs.eu-west-1.amazonaws.com");
      expect(e.message).toContain("Nothing was created.");
    }
  });

  it("other AWS errors keep AWS's name and message", () => {
    expect(classifyError(aws("LimitExceededException", "Resource limit exceeded."), ctx).message).toBe(
      "CloudWatch Logs refused CreateLogGroup: Resource limit exceeded. (LimitExceededException); the account has reached a CloudWatch Logs quota in eu-west-1",
    );
    expect(classifyError(aws("OperationAbortedException", "Multiple requests to modify the same resource were in conflict."), ctx).message).toBe(
      "CloudWatch Logs CreateLogGroup failed: OperationAbortedException: Multiple requests to modify the same resource were in conflict.",
    );
  });
});

describe("messages never carry secrets", () => {
  it("redacts env secrets, signatures and tokens", () => {
    const env = { AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", AWS_SESSION_TOKEN: "FwoGZXIvYXdzEXAMPLETOKEN" };
    const text =
      "key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY token FwoGZXIvYXdzEXAMPLETOKEN Signature=0123456789abcdef0123456789abcdef X-Amz-Security-Token=abc%2Fdef aws_secret_access_key = zzz";
    const out = redact(text, env);
    expect(out).toBe("key **** token **** Signature=**** X-Amz-Security-Token=**** aws_secret_access_key = ****");
  });

  it("classifyError redacts what AWS echoed", () => {
    const e = classifyError(Object.assign(new Error("bad sig Signature=0123456789abcdef0123456789abcdef secret SECRETSECRET123"), { name: "InvalidSignatureException", $metadata: { httpStatusCode: 403 } }), {
      operation: "DescribeLogGroups",
      request: { name: "/x" },
      region: "eu-west-1",
      endpoint: endpointFor("eu-west-1", {}),
      timeoutMs: 1000,
      env: { AWS_SECRET_ACCESS_KEY: "SECRETSECRET123" },
    });
    expect(e.message).not.toContain("SECRETSECRET123");
    expect(e.message).not.toContain("0123456789abcdef0123");
  });
});

describe("retry command and IAM policy", () => {
  it("builds a copy-pasteable, quoted command", () => {
    expect(logGroupCommand({ name: "/ecs/my-svc", retention: 14, tags: { service: "my-svc" } }, "eu-west-1")).toBe(
      "npx create-fargate-service log-group /ecs/my-svc --region eu-west-1 --retention 14 --tag service=my-svc",
    );
    expect(
      logGroupCommand({ name: "#odd", retention: "never", tags: { team: "a b" }, logGroupClass: "INFREQUENT_ACCESS", profile: "prod", kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/k" }, "eu-west-1"),
    ).toBe("npx create-fargate-service log-group '#odd' --region eu-west-1 --retention never --tag 'team=a b' --kms-key-id arn:aws:kms:eu-west-1:123456789012:key/k --class infrequent-access --profile prod");
  });

  it("the minimal policy covers every call the engine makes", () => {
    const policy = logGroupPolicy("/ecs/my-svc", "eu-west-1", "123456789012");
    const actions = policy.Statement.flatMap((s) => [s.Action].flat());
    for (const c of planLogGroupCalls({ ...base, tags: { a: "b" } })) expect(actions).toContain(c.action);
    expect(actions).toContain("logs:DeleteRetentionPolicy");
    expect(policy.Statement[1]!.Resource).toEqual(["arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/my-svc", "arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/my-svc:*"]);
    expect(logGroupPolicy("/x", "cn-north-1").Statement[0]!.Resource).toBe("arn:aws-cn:logs:cn-north-1:*:log-group:*");
  });
});
