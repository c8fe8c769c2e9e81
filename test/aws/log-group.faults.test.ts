/**
 * Failures moto cannot produce on demand, from a local server speaking the CloudWatch Logs JSON protocol:
 * access denied, throttling, 5xx, connection refused, timeout, invalid KMS key, "created but retention failed",
 * no credentials, no region; and every invalid input → exit 2 with nothing sent. Exact message and exit code for each,
 * in-process (ensureLogGroup) and through the CLI.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { startFaultServer, closedPort, type FaultServer } from "../helpers/logs-fault-server.js";
import { cleanEnv, cleanHome, mapLimit, runCli } from "../helpers/log-group-cli.js";
import { ensureLogGroup, LogGroupError, type LogGroupRequest } from "../../src/steps/log-group.js";
import { RETENTION_DAYS } from "../../src/fargate/log-group.js";

let fault: FaultServer;
const savedEnv = { ...process.env };
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzSECRETKEY";

/** Dummy credentials (one secret we can look for in output), region us-east-1, endpoint = the fault server. */
function awsEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    AWS_ACCESS_KEY_ID: "AKIAFAULTTESTEXAMPLE",
    AWS_SECRET_ACCESS_KEY: SECRET,
    AWS_REGION: "us-east-1",
    AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: fault.endpoint,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    ...extra,
  };
}

function useEnv(extra: Record<string, string | undefined> = {}): void {
  for (const k of Object.keys(process.env)) if (k.startsWith("AWS_")) delete process.env[k];
  Object.assign(process.env, cleanEnv(awsEnv(extra)), { PATH: savedEnv.PATH });
}

const req = (patch: Partial<LogGroupRequest> = {}): LogGroupRequest => ({ name: "/ecs/my-svc", region: "us-east-1", retention: 14, tags: {}, ...patch });
const fail = (r: LogGroupRequest): Promise<LogGroupError> =>
  ensureLogGroup(r).then(
    () => {
      throw new Error("expected a failure");
    },
    (e: unknown) => e as LogGroupError,
  );
const ops = (): string[] => fault.requests.map((r) => r.operation);

const DENIED_CREATE =
  "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: logs:CreateLogGroup on resource: arn:aws:logs:us-east-1:123456789012:log-group:/ecs/my-svc:log-stream: because no identity-based policy allows the logs:CreateLogGroup action";
const DENIED_RETENTION =
  "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: logs:PutRetentionPolicy on resource: arn:aws:logs:us-east-1:123456789012:log-group:/ecs/my-svc:log-stream: because no identity-based policy allows the logs:PutRetentionPolicy action";
const STATEMENT = (action: string): string =>
  JSON.stringify(
    { Effect: "Allow", Action: action, Resource: ["arn:aws:logs:us-east-1:123456789012:log-group:/ecs/my-svc", "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/my-svc:*"] },
    null,
    2,
  );
const EXISTING = { logGroupName: "/ecs/my-svc", retentionInDays: 7, arn: "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/my-svc:*", logGroupArn: "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/my-svc" };

beforeAll(async () => {
  fault = await startFaultServer();
});
afterAll(async () => {
  await fault?.close();
  for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
  Object.assign(process.env, savedEnv);
});
beforeEach(() => {
  fault.reset();
  useEnv();
});

describe("access denied", () => {
  it("names the denied action, the principal and the statement that would allow it (exit 1)", async () => {
    fault.script("CreateLogGroup", { status: 400, error: "AccessDeniedException", message: DENIED_CREATE });
    const e = await fail(req());
    expect(e).toBeInstanceOf(LogGroupError);
    expect([e.exitCode, e.code, e.awsError]).toEqual([1, "access-denied", "AccessDeniedException"]);
    expect(e.message).toBe(
      "access denied: arn:aws:iam::123456789012:user/ci may not call logs:CreateLogGroup on arn:aws:logs:us-east-1:123456789012:log-group:/ecs/my-svc:log-stream: (during CreateLogGroup). " +
        `Add this statement to its IAM policy:\n${STATEMENT("logs:CreateLogGroup")}`,
    );
    expect(ops()).toEqual(["DescribeLogGroups", "CreateLogGroup"]);
    expect(e.calls.map((c) => [c.operation, c.status])).toEqual([
      ["DescribeLogGroups", "ok"],
      ["CreateLogGroup", "failed"],
    ]);
  });

  it("through the CLI: same message on stderr, exit 1, --json error object", async () => {
    fault.script("CreateLogGroup", { status: 400, error: "AccessDeniedException", message: DENIED_CREATE });
    const r = await runCli(["log-group", "/ecs/my-svc", "--region", "us-east-1", "--retention", "14", "--json"], awsEnv());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: access denied: arn:aws:iam::123456789012:user/ci may not call logs:CreateLogGroup`);
    expect(r.stderr).toContain(STATEMENT("logs:CreateLogGroup"));
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ ok: false, exitCode: 1, error: { code: "access-denied", awsError: "AccessDeniedException" } });
    expect(json.calls.map((c: { operation: string; status: string }) => `${c.operation}:${c.status}`)).toEqual(["DescribeLogGroups:ok", "CreateLogGroup:failed"]);
  });
});

describe("throttling and 5xx: the SDK retries with backoff; attempts are configurable", () => {
  it("throttling twice, then success", async () => {
    fault.script("DescribeLogGroups", { status: 400, error: "ThrottlingException", message: "Rate exceeded" }, { status: 400, error: "ThrottlingException", message: "Rate exceeded" }, { body: { logGroups: [] } });
    const o = await ensureLogGroup(req({ maxAttempts: 3 }));
    expect(o.status).toBe("created");
    expect(o.calls[0]).toMatchObject({ operation: "DescribeLogGroups", status: "ok", attempts: 3 });
    expect(ops()).toEqual(["DescribeLogGroups", "DescribeLogGroups", "DescribeLogGroups", "CreateLogGroup", "PutRetentionPolicy"]);
  });

  it("throttled on every attempt: exit 1 after exactly --max-attempts requests", async () => {
    fault.script("DescribeLogGroups", { status: 400, error: "ThrottlingException", message: "Rate exceeded" });
    const r = await runCli(["log-group", "/ecs/my-svc", "--region", "us-east-1", "--retention", "14", "--max-attempts", "2"], awsEnv());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "error: CloudWatch Logs throttled DescribeLogGroups after 2 attempts (ThrottlingException); wait a minute and run the command again (it is safe to repeat), or allow more attempts with --max-attempts\n",
    );
    expect(ops()).toEqual(["DescribeLogGroups", "DescribeLogGroups"]);
  });

  it("a 500, then success", async () => {
    fault.script("CreateLogGroup", { status: 500, error: "InternalFailure" }, { body: {} });
    const o = await ensureLogGroup(req({ maxAttempts: 2 }));
    expect(o.status).toBe("created");
    expect(o.calls[1]).toMatchObject({ operation: "CreateLogGroup", attempts: 2 });
  });

  it("503 on every attempt: exit 1, names the endpoint", async () => {
    fault.script("DescribeLogGroups", { status: 503, error: "ServiceUnavailableException", message: "The service cannot complete the request." });
    const r = await runCli(["log-group", "/ecs/my-svc", "--region", "us-east-1", "--retention", "14", "--max-attempts", "3"], awsEnv());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `error: CloudWatch Logs at ${fault.endpoint} (from AWS_ENDPOINT_URL_CLOUDWATCH_LOGS) failed DescribeLogGroups with HTTP 503 ServiceUnavailableException: The service cannot complete the request. after 3 attempts; ` +
        "this is a service-side error: run the command again later (it is safe to repeat), or allow more attempts with --max-attempts\n",
    );
    expect(ops()).toEqual(["DescribeLogGroups", "DescribeLogGroups", "DescribeLogGroups"]);
  });
});

describe("network", () => {
  it("connection refused: exit 1, says which endpoint and where it came from", async () => {
    const dead = `http://127.0.0.1:${await closedPort()}`;
    const r = await runCli(["log-group", "/ecs/my-svc", "--region", "us-east-1", "--retention", "14", "--max-attempts", "2"], awsEnv({ AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: undefined, AWS_ENDPOINT_URL: dead }));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `error: could not reach CloudWatch Logs at ${dead} (from AWS_ENDPOINT_URL): connection refused (ECONNREFUSED) after 2 attempts; check the network, the region, and any AWS_ENDPOINT_URL* setting\n`,
    );
  });

  it("timeout: a server that never answers; exit 1 after --max-attempts × --timeout", async () => {
    fault.script("DescribeLogGroups", "hang");
    const r = await runCli(["log-group", "/ecs/my-svc", "--region", "us-east-1", "--retention", "14", "--timeout", "0.3", "--max-attempts", "2"], awsEnv());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `error: CloudWatch Logs at ${fault.endpoint} (from AWS_ENDPOINT_URL_CLOUDWATCH_LOGS) did not answer DescribeLogGroups within 0.3 s after 2 attempts; check the network or proxy, or raise --timeout\n`,
    );
    expect(ops()).toEqual(["DescribeLogGroups", "DescribeLogGroups"]);
    expect(r.ms).toBeLessThan(10_000);
  });

  it("timeout in-process (one attempt)", async () => {
    fault.script("DescribeLogGroups", "hang");
    const e = await fail(req({ timeoutMs: 200, maxAttempts: 1 }));
    expect([e.exitCode, e.code]).toEqual([1, "timeout"]);
    expect(e.message).toBe(`CloudWatch Logs at ${fault.endpoint} (from AWS_ENDPOINT_URL_CLOUDWATCH_LOGS) did not answer DescribeLogGroups within 0.2 s; check the network or proxy, or raise --timeout`);
  });
});

describe("KMS key, partial work", () => {
  it("an invalid KMS key: exit 1, what the key needs, nothing created, no retention call", async () => {
    const kmsKeyId = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000";
    fault.script("CreateLogGroup", {
      status: 400,
      error: "AccessDeniedException",
      message: `The specified KMS key does not exist or is not allowed to be used with Arn 'arn:aws:logs:us-east-1:123456789012:log-group:/ecs/my-svc'`,
    });
    const e = await fail(req({ kmsKeyId }));
    expect([e.exitCode, e.code]).toEqual([1, "kms-key"]);
    expect(e.message).toBe(
      `KMS key ${kmsKeyId} cannot be used for log group "/ecs/my-svc" (AccessDeniedException: The specified KMS key does not exist or is not allowed to be used with Arn 'arn:aws:logs:us-east-1:123456789012:log-group:/ecs/my-svc'). ` +
        "The key must exist in us-east-1, be a symmetric encryption key, and its key policy must allow the service principal logs.us-east-1.amazonaws.com " +
        "kms:Encrypt*, kms:Decrypt*, kms:ReEncrypt*, kms:GenerateDataKey* and kms:Describe* (condition kms:EncryptionContext:aws:logs:arn = arn:aws:logs:us-east-1:*:log-group:/ecs/my-svc). Nothing was created.",
    );
    expect(ops()).toEqual(["DescribeLogGroups", "CreateLogGroup"]);
  });

  it("group created but retention failed: says exactly that and how to finish (exit 1)", async () => {
    fault.script("PutRetentionPolicy", { status: 400, error: "AccessDeniedException", message: DENIED_RETENTION });
    const r = await runCli(["log-group", "/ecs/my-svc", "--region", "us-east-1", "--retention", "14", "--tag", "team=payments"], awsEnv());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "error: log group /ecs/my-svc was created in us-east-1, but setting its retention to 14 days failed: access denied: arn:aws:iam::123456789012:user/ci may not call logs:PutRetentionPolicy on arn:aws:logs:us-east-1:123456789012:log-group:/ecs/my-svc:log-stream: (during PutRetentionPolicy). " +
        `Add this statement to its IAM policy:\n${STATEMENT("logs:PutRetentionPolicy")}\n` +
        "The group exists without a retention policy (its events never expire). To finish, run:\n" +
        "  npx create-fargate-service log-group /ecs/my-svc --region us-east-1 --retention 14 --tag team=payments\n" +
        "or: aws logs put-retention-policy --log-group-name /ecs/my-svc --retention-in-days 14 --region us-east-1\n",
    );
    expect(ops()).toEqual(["DescribeLogGroups", "CreateLogGroup", "PutRetentionPolicy"]);
  });

  it("in-process: the same as a typed error with what was done", async () => {
    fault.script("PutRetentionPolicy", { status: 400, error: "AccessDeniedException", message: DENIED_RETENTION });
    const e = await fail(req());
    expect([e.exitCode, e.code, e.awsError]).toEqual([1, "retention-after-create", "AccessDeniedException"]);
    expect(e.done).toEqual(["created log group /ecs/my-svc"]);
  });

  it("an update that fails half-way says what was done and to run it again", async () => {
    fault.script("DescribeLogGroups", { body: { logGroups: [EXISTING] } });
    fault.script("TagResource", { status: 400, error: "AccessDeniedException", message: "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: logs:TagResource on resource: arn:aws:logs:us-east-1:123456789012:log-group:/ecs/my-svc" });
    const e = await fail(req({ tags: { team: "payments" } }));
    expect([e.exitCode, e.code]).toEqual([1, "access-denied"]);
    expect(e.message).toMatch(/^access denied: arn:aws:iam::123456789012:user\/ci may not call logs:TagResource on arn:aws:logs:us-east-1:123456789012:log-group:\/ecs\/my-svc \(during TagResource\)/);
    expect(e.message).toContain(
      "\nAlready done: retention changed 7 → 14 days. Run the same command again to finish (it is safe to repeat):\n  npx create-fargate-service log-group /ecs/my-svc --region us-east-1 --retention 14 --tag team=payments",
    );
    expect(ops()).toEqual(["DescribeLogGroups", "ListTagsForResource", "PutRetentionPolicy", "TagResource"]);
  });
});

describe("reading the existing group", () => {
  it("pages DescribeLogGroups until the exact name is found", async () => {
    fault.script(
      "DescribeLogGroups",
      { body: { logGroups: [{ logGroupName: "/ecs/my-svc-a" }], nextToken: "page-2" } },
      { body: { logGroups: [{ ...EXISTING, retentionInDays: 14 }] } },
    );
    const o = await ensureLogGroup(req());
    expect(o.status).toBe("unchanged");
    expect(fault.requests.map((r) => r.body)).toEqual([
      { logGroupNamePrefix: "/ecs/my-svc" },
      { logGroupNamePrefix: "/ecs/my-svc", nextToken: "page-2" },
      { resourceArn: "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/my-svc" },
    ]);
  });

  it("created by someone else in between (ResourceAlreadyExistsException): reads it and updates it", async () => {
    fault.script("DescribeLogGroups", { body: { logGroups: [] } }, { body: { logGroups: [EXISTING] } });
    fault.script("CreateLogGroup", { status: 400, error: "ResourceAlreadyExistsException", message: "The specified log group already exists" });
    const o = await ensureLogGroup(req());
    expect(o.status).toBe("updated");
    expect(o.summary).toBe("log group /ecs/my-svc (us-east-1) already existed; retention changed 7 → 14 days");
    expect(ops()).toEqual(["DescribeLogGroups", "CreateLogGroup", "DescribeLogGroups", "ListTagsForResource", "PutRetentionPolicy"]);
  });
});

describe("credentials and region (standard AWS configuration)", () => {
  it("no credentials: exit 1 with what to set; nothing sent", async () => {
    const r = await runCli(["log-group", "/ecs/my-svc", "--region", "us-east-1", "--retention", "14"], awsEnv({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined }));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /error: no AWS credentials found: set AWS_PROFILE \(or pass --profile NAME\), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run "aws configure" \/ "aws sso login" \(AWS SDK: .+\)\n/,
    );
    expect(fault.requests).toEqual([]);
  });

  it("an unknown --profile: exit 1 naming the profile; nothing sent", async () => {
    const r = await runCli(["log-group", "/ecs/my-svc", "--retention", "14", "--profile", "nope"], awsEnv());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: no AWS credentials found for profile "nope": set AWS_PROFILE');
    expect(fault.requests).toEqual([]);
  });

  it("no region anywhere: exit 2, nothing sent; mentions AWS_DEFAULT_REGION when only that is set", async () => {
    const none = await runCli(["log-group", "/ecs/my-svc", "--retention", "14"], awsEnv({ AWS_REGION: undefined }));
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("error: no AWS region: pass --region (e.g. --region eu-west-1), set AWS_REGION, or set region in the default profile of ~/.aws/config\n");
    const legacy = await runCli(["log-group", "/ecs/my-svc", "--retention", "14", "--json"], awsEnv({ AWS_REGION: undefined, AWS_DEFAULT_REGION: "eu-west-1" }));
    expect(legacy.code).toBe(2);
    expect(legacy.stderr).toContain("(AWS_DEFAULT_REGION=eu-west-1 is set, but the AWS SDK for JavaScript reads AWS_REGION)");
    expect(JSON.parse(legacy.stdout)).toMatchObject({ ok: false, exitCode: 2, error: { code: "region-missing" }, calls: [] });
    expect(fault.requests).toEqual([]);
  });

  it("--profile: credentials and region come from the profile (request signed for its region with its key)", async () => {
    const dir = cleanHome();
    const config = path.join(dir, "config-profile-test");
    const creds = path.join(dir, "credentials-profile-test");
    fs.writeFileSync(config, "[profile dev]\nregion = eu-west-1\n");
    fs.writeFileSync(creds, "[dev]\naws_access_key_id = AKIAPROFILEEXAMPLE01\naws_secret_access_key = profileSecretValue1234567890\n");
    const r = await runCli(
      ["log-group", "/ecs/my-svc", "--retention", "14", "--profile", "dev"],
      awsEnv({ AWS_REGION: undefined, AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: creds }),
    );
    expect(r.stdout).toBe("✔ created log group /ecs/my-svc (eu-west-1): retention 14 days\n");
    expect(r.code).toBe(0);
    // env keys are also set: the SDK's multi-line console warning becomes one line of ours
    expect(r.stderr).toContain("warning: both a profile (--profile or AWS_PROFILE) and AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY are set; the profile's credentials are used\n");
    expect(r.stderr).not.toContain("Multiple credential sources");
    expect(String(fault.requests[0]!.headers.authorization)).toMatch(/Credential=AKIAPROFILEEXAMPLE01\/\d{8}\/eu-west-1\/logs\/aws4_request/);

    // endpoint_url in the profile (no endpoint variable): used by the SDK and reported as the endpoint
    fault.reset();
    fs.writeFileSync(config, `[profile dev]\nregion = eu-west-1\nendpoint_url = ${fault.endpoint}\n`);
    const viaConfig = await runCli(
      ["log-group", "/ecs/my-svc", "--retention", "14", "--profile", "dev", "--json"],
      awsEnv({ AWS_REGION: undefined, AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: undefined, AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: creds }),
    );
    expect(viaConfig.code, viaConfig.stderr).toBe(0);
    expect(JSON.parse(viaConfig.stdout)).toMatchObject({ ok: true, status: "created", region: "eu-west-1", endpoint: fault.endpoint });
    expect(ops()).toEqual(["DescribeLogGroups", "CreateLogGroup", "PutRetentionPolicy"]);
  });

  it("never prints secrets, even when the service echoes them", async () => {
    fault.script("DescribeLogGroups", {
      status: 403,
      error: "InvalidSignatureException",
      message: `The request signature we calculated does not match. Secret ${SECRET} Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef`,
    });
    const r = await runCli(["log-group", "/ecs/my-svc", "--region", "us-east-1", "--retention", "14", "--json"], awsEnv());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error: AWS rejected the credentials (InvalidSignatureException: The request signature we calculated does not match. Secret **** Signature=****)");
    for (const out of [r.stdout, r.stderr]) {
      expect(out).not.toContain(SECRET);
      expect(out).not.toContain("0123456789abcdef0123456789abcdef");
    }
  });
});

describe("invalid input: exit 2 and no request sent", () => {
  const long = (n: number, c = "a"): string => c.repeat(n);
  const base = ["--region", "us-east-1", "--retention", "14"];
  const cases: Array<[string, string[], string, Record<string, string | undefined>?]> = [
    ["name with a space", ["log-group", "bad name", ...base], 'log group name "bad name" contains " "; allowed characters: a-z A-Z 0-9 . - _ / #'],
    ["empty name", ["log-group", "", ...base], "log group name must be 1–512 characters (got 0)"],
    ["513-character name", ["log-group", long(513), ...base], "log group name must be 1–512 characters (got 513)"],
    ["aws/ name", ["log-group", "aws/lambda/x", ...base], 'log group name "aws/lambda/x" starts with "aws/", which AWS reserves'],
    ["retention 2", ["log-group", "/ecs/x", "--region", "us-east-1", "--retention", "2"], `--retention: log retention "2" is not allowed; use one of: ${RETENTION_DAYS.join(", ")}, or never`],
    ["retention 0", ["log-group", "/ecs/x", "--region", "us-east-1", "--retention", "0"], '--retention: log retention "0" is not allowed'],
    ["retention -5", ["log-group", "/ecs/x", "--region", "us-east-1", "--retention=-5"], '--retention: log retention "-5" is not allowed'],
    ["retention 9999", ["log-group", "/ecs/x", "--region", "us-east-1", "--retention", "9999"], '--retention: log retention "9999" is not allowed'],
    ["retention forever", ["log-group", "/ecs/x", "--region", "us-east-1", "--retention", "forever"], '--retention: log retention "forever" is not allowed'],
    ["no retention", ["log-group", "/ecs/x", "--region", "us-east-1"], "--retention is required: days (1, 3, 5"],
    ["tag without =", ["log-group", "/ecs/x", ...base, "--tag", "team"], '--tag "team" is not key=value'],
    ["tag key aws:", ["log-group", "/ecs/x", ...base, "--tag", "aws:owner=me"], '--tag: tag key "aws:owner" starts with "aws:", which AWS reserves'],
    ["tag key 129", ["log-group", "/ecs/x", ...base, "--tag", `${long(129, "k")}=v`], "must be 1–128 characters"],
    ["tag value 257", ["log-group", "/ecs/x", ...base, "--tag", `k=${long(257, "v")}`], '--tag: tag value for "k" must be at most 256 characters'],
    ["tag characters", ["log-group", "/ecs/x", ...base, "--tag", "bad*key=1"], '--tag: tag key "bad*key" has characters outside letters, digits, spaces and _ . : / = + - @'],
    ["51 tags", ["log-group", "/ecs/x", ...base, ...Array.from({ length: 51 }, (_, i) => ["--tag", `k${i}=v`]).flat()], "--tag: 51 tags given; a log group can have at most 50"],
    ["KMS not an ARN", ["log-group", "/ecs/x", ...base, "--kms-key-id", "alias/logs"], '--kms-key-id: KMS key "alias/logs" is not a key ARN; expected arn:aws:kms:<region>:<account-id>:key/<key-id>'],
    ["KMS in another region", ["log-group", "/ecs/x", ...base, "--kms-key-id", "arn:aws:kms:eu-west-1:123456789012:key/abc"], 'KMS key "arn:aws:kms:eu-west-1:123456789012:key/abc" is in eu-west-1, but the log group is in us-east-1'],
    ["KMS in another region than AWS_REGION", ["log-group", "/ecs/x", "--retention", "14", "--kms-key-id", "arn:aws:kms:eu-west-1:123456789012:key/abc"], "is in eu-west-1, but the log group is in us-east-1"],
    ["class", ["log-group", "/ecs/x", ...base, "--class", "delivery"], '--class "delivery" is not allowed; use standard or infrequent-access'],
    ["region", ["log-group", "/ecs/x", "--region", "eu-west-9", "--retention", "14"], '--region "eu-west-9" is not an AWS region code'],
    ["AWS_REGION", ["log-group", "/ecs/x", "--retention", "14"], 'AWS_REGION "mars-1" is not an AWS region code', { AWS_REGION: "mars-1" }],
    ["max attempts 0", ["log-group", "/ecs/x", ...base, "--max-attempts", "0"], '--max-attempts "0" is not allowed; use a whole number from 1 to 20 (1 = no retry)'],
    ["max attempts 21", ["log-group", "/ecs/x", ...base, "--max-attempts", "21"], '--max-attempts "21" is not allowed'],
    ["timeout", ["log-group", "/ecs/x", ...base, "--timeout", "soon"], '--timeout "soon" is not allowed; use seconds from 0.1 to 600'],
    ["unknown flag (commander)", ["log-group", "/ecs/x", ...base, "--retnetion", "14"], "unknown option '--retnetion'"],
    ["missing name (commander)", ["log-group"], "missing required argument 'name'"],
  ];

  it(`${cases.length} invalid inputs`, async () => {
    const results = await mapLimit(cases, 4, async ([label, args, message, extra]) => ({ label, message, r: await runCli(args, awsEnv(extra)) }));
    for (const { label, message, r } of results) {
      expect({ label, code: r.code }).toEqual({ label, code: 2 });
      expect(r.stderr, label).toContain(message);
      expect(r.stdout, label).toBe("");
    }
    expect(fault.requests).toEqual([]);
  });
});
