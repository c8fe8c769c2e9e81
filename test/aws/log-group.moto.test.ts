/**
 * The log-group step against a real moto_server, reached only through the standard endpoint variables
 * (AWS_ENDPOINT_URL_CLOUDWATCH_LOGS / AWS_ENDPOINT_URL) exactly as a user pointing at an emulator would:
 * in-process (ensureLogGroup, runLogGroupStep) and through the CLI (`node dist/cli.js log-group …`).
 * After every run the group is read back with the SDK and compared.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { startMoto, type Moto } from "../helpers/moto.js";
import { closedPort } from "../helpers/logs-fault-server.js";
import { cleanEnv, cliUnderTest, runCli } from "../helpers/log-group-cli.js";
import { makeTmp, cleanupTmp } from "../helpers/tmp.js";
import { ensureLogGroup, type LogGroupRequest } from "../../src/steps/log-group.js";
import { runLogGroupStep } from "../../src/commands/log-group.js";

let moto: Moto;
let sdk: typeof import("@aws-sdk/client-cloudwatch-logs");
let reader: CloudWatchLogsClient;
const savedEnv = { ...process.env };

/** Point this process at moto through the environment only (as a user would). */
function useEnv(extra: Record<string, string | undefined>): void {
  for (const k of Object.keys(process.env)) if (k.startsWith("AWS_")) delete process.env[k];
  Object.assign(process.env, cleanEnv({ ...moto.env, ...extra }), { PATH: savedEnv.PATH });
  for (const [k, v] of Object.entries(extra)) if (v === undefined) delete process.env[k];
}

/** What moto holds for the group: retention, tags, KMS key (undefined when the group does not exist). */
async function readBack(name: string): Promise<{ retention: number | "never"; tags: Record<string, string>; kmsKeyId?: string } | undefined> {
  const out = await reader.send(new sdk.DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
  const g = out.logGroups?.find((x) => x.logGroupName === name);
  if (!g) return undefined;
  const tags = await reader.send(new sdk.ListTagsForResourceCommand({ resourceArn: g.logGroupArn! }));
  return { retention: g.retentionInDays ?? "never", tags: tags.tags ?? {}, ...(g.kmsKeyId ? { kmsKeyId: g.kmsKeyId } : {}) };
}

beforeAll(async () => {
  moto = await startMoto();
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  sdk = await import("@aws-sdk/client-cloudwatch-logs");
  reader = new sdk.CloudWatchLogsClient({ endpoint: moto.endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
});

afterAll(async () => {
  reader?.destroy();
  await moto?.stop();
  for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
  Object.assign(process.env, savedEnv);
  cleanupTmp();
});

beforeEach(async () => {
  await moto.reset();
  useEnv({ AWS_ENDPOINT_URL: undefined, AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: moto.endpoint });
});

const req = (patch: Partial<LogGroupRequest> = {}): LogGroupRequest => ({ name: "/ecs/my-svc", region: "us-east-1", retention: 14, tags: {}, ...patch });

describe("ensureLogGroup against moto (in-process)", () => {
  it("creates the group with retention, tags and KMS key; a second run changes nothing", async () => {
    const kmsKeyId = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const first = await ensureLogGroup(req({ tags: { team: "payments", env: "prod" }, kmsKeyId, logGroupClass: "INFREQUENT_ACCESS" }));
    expect(first.status).toBe("created");
    expect(first.summary).toBe("created log group /ecs/my-svc (us-east-1): retention 14 days, tags team=payments, env=prod");
    expect(first.endpoint).toBe(moto.endpoint);
    expect(first.calls.map((c) => [c.operation, c.status])).toEqual([
      ["DescribeLogGroups", "ok"],
      ["CreateLogGroup", "ok"],
      ["PutRetentionPolicy", "ok"],
    ]);
    expect(first.calls[1]!.input).toEqual({ logGroupName: "/ecs/my-svc", tags: { team: "payments", env: "prod" }, kmsKeyId, logGroupClass: "INFREQUENT_ACCESS" });
    expect(await readBack("/ecs/my-svc")).toEqual({ retention: 14, tags: { team: "payments", env: "prod" }, kmsKeyId });

    const second = await ensureLogGroup(req({ tags: { team: "payments", env: "prod" }, kmsKeyId }));
    expect(second.status).toBe("unchanged");
    expect(second.changes).toEqual([]);
    expect(second.summary).toBe("log group /ecs/my-svc (us-east-1) already up to date: retention 14 days");
    expect(second.calls.map((c) => c.operation)).toEqual(["DescribeLogGroups", "ListTagsForResource"]);
    expect(second.arn).toBe("arn:aws:logs:us-east-1:123456789012:log-group:/ecs/my-svc");
    expect(await readBack("/ecs/my-svc")).toEqual({ retention: 14, tags: { team: "payments", env: "prod" }, kmsKeyId });
  });

  it("changes retention 7 → 14 and reports it", async () => {
    await ensureLogGroup(req({ retention: 7 }));
    const o = await ensureLogGroup(req({ retention: 14 }));
    expect(o.status).toBe("updated");
    expect(o.summary).toBe("log group /ecs/my-svc (us-east-1) already existed; retention changed 7 → 14 days");
    expect(o.changes).toEqual([{ kind: "retention", from: 7, to: 14, description: "retention changed 7 → 14 days" }]);
    expect(o.calls.map((c) => c.operation)).toEqual(["DescribeLogGroups", "ListTagsForResource", "PutRetentionPolicy"]);
    expect((await readBack("/ecs/my-svc"))?.retention).toBe(14);
  });

  it("never: creates without a policy, removes an existing one, then is up to date", async () => {
    const created = await ensureLogGroup(req({ name: "/ecs/forever", retention: "never" }));
    expect(created.calls.map((c) => c.operation)).toEqual(["DescribeLogGroups", "CreateLogGroup"]);
    expect(created.summary).toBe("created log group /ecs/forever (us-east-1): no retention policy (events never expire)");
    expect((await readBack("/ecs/forever"))?.retention).toBe("never");

    await ensureLogGroup(req({ retention: 30 }));
    const o = await ensureLogGroup(req({ retention: "never" }));
    expect(o.changes).toEqual([{ kind: "retention", from: 30, to: "never", description: "retention changed 30 → never" }]);
    expect(o.calls.at(-1)!.operation).toBe("DeleteRetentionPolicy");
    expect((await readBack("/ecs/my-svc"))?.retention).toBe("never");
    expect((await ensureLogGroup(req({ retention: "never" }))).status).toBe("unchanged");
  });

  it("tags: adds missing, changes different, keeps the group's other tags", async () => {
    await ensureLogGroup(req({ tags: { team: "payments", owner: "alice" } }));
    const o = await ensureLogGroup(req({ tags: { team: "checkout", env: "prod" } }));
    expect(o.status).toBe("updated");
    expect(o.changes.map((c) => c.description)).toEqual(["tag team changed payments → checkout", "tag env=prod added"]);
    expect(o.calls.at(-1)).toMatchObject({ operation: "TagResource", input: { resourceArn: "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/my-svc", tags: { team: "checkout", env: "prod" } } });
    expect(o.tags).toEqual({ team: "checkout", owner: "alice", env: "prod" });
    expect((await readBack("/ecs/my-svc"))?.tags).toEqual({ team: "checkout", owner: "alice", env: "prod" });
  });

  it("matches the exact name, not a longer one with the same prefix", async () => {
    await ensureLogGroup(req({ name: "/ecs/my-svc-worker", retention: 7 }));
    const o = await ensureLogGroup(req({ retention: 14 }));
    expect(o.status).toBe("created");
    expect((await readBack("/ecs/my-svc-worker"))?.retention).toBe(7);
  });

  it("warns (and changes nothing) when an existing group has another KMS key", async () => {
    await ensureLogGroup(req());
    const o = await ensureLogGroup(req({ kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/k2" }));
    expect(o.status).toBe("unchanged");
    expect(o.warnings).toEqual([
      "the existing group has no KMS key; --kms-key-id applies only when creating. To change it: aws logs associate-kms-key --log-group-name /ecs/my-svc --kms-key-id arn:aws:kms:us-east-1:123456789012:key/k2 --region us-east-1",
    ]);
  });

  it("AWS_ENDPOINT_URL alone works, and AWS_ENDPOINT_URL_CLOUDWATCH_LOGS wins over it", async () => {
    useEnv({ AWS_ENDPOINT_URL: moto.endpoint, AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: undefined });
    expect((await ensureLogGroup(req({ name: "/ecs/global" }))).status).toBe("created");

    const dead = `http://127.0.0.1:${await closedPort()}`;
    useEnv({ AWS_ENDPOINT_URL: dead, AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: moto.endpoint });
    const o = await ensureLogGroup(req({ name: "/ecs/specific" }));
    expect(o.status).toBe("created");
    expect(o.endpoint).toBe(moto.endpoint);
    expect(await readBack("/ecs/specific")).toBeDefined();
  });

  it("takes the region from AWS_REGION when none is given", async () => {
    useEnv({ AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: moto.endpoint, AWS_REGION: "eu-west-1" });
    const o = await ensureLogGroup(req({ region: undefined }));
    expect(o.region).toBe("eu-west-1");
    expect(o.status).toBe("created");
  });
});

describe("runLogGroupStep (the scaffold's --create-log-group) against moto", () => {
  it("creates the group tagged service=<name>; never throws on failure and says how to retry", async () => {
    const lines: string[] = [];
    const stderr = { write: (s: string) => lines.push(s) } as unknown as NodeJS.WritableStream;
    const ok = await runLogGroupStep({ logGroup: "/ecs/my-svc", region: "us-east-1", logRetention: 30, name: "my-svc" }, { stderr });
    expect(ok).toEqual({
      ok: true,
      message: "created log group /ecs/my-svc (us-east-1): retention 30 days, tags service=my-svc",
      retryCommand: "npx create-fargate-service log-group /ecs/my-svc --region us-east-1 --retention 30 --tag service=my-svc",
    });
    expect(lines.join("")).toContain("Creating log group /ecs/my-svc…");
    expect(await readBack("/ecs/my-svc")).toEqual({ retention: 30, tags: { service: "my-svc" } });

    const again = await runLogGroupStep({ logGroup: "/ecs/my-svc", region: "us-east-1", logRetention: 30, name: "my-svc" }, { stderr });
    expect(again.message).toBe("log group /ecs/my-svc (us-east-1) already up to date: retention 30 days");

    useEnv({ AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: `http://127.0.0.1:${await closedPort()}`, AWS_MAX_ATTEMPTS: "1" });
    const failed = await runLogGroupStep({ logGroup: "/ecs/other", region: "us-east-1", logRetention: 7, name: "other" }, { stderr });
    expect(failed.ok).toBe(false);
    expect(failed.message).toMatch(/^could not create log group \/ecs\/other: could not reach CloudWatch Logs at http:\/\/127\.0\.0\.1:\d+ \(from AWS_ENDPOINT_URL_CLOUDWATCH_LOGS\): connection refused \(ECONNREFUSED\)/);
    expect(failed.retryCommand).toBe("npx create-fargate-service log-group /ecs/other --region us-east-1 --retention 7 --tag service=other");
  });
});

describe("the CLI against moto", () => {
  const env = (): Record<string, string | undefined> => ({ ...moto.env, AWS_ENDPOINT_URL: undefined, AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: moto.endpoint });

  it("log-group: create, again (exit 0, no change), retention, never, tags, --json; compared with describe", async () => {
    const cli = await cliUnderTest();
    console.info(`log-group CLI tests run ${cli.path} (${cli.kind})`);
    const args = ["log-group", "/ecs/cli-svc", "--region", "us-east-1", "--retention", "14", "--tag", "team=payments"];

    const first = await runCli(args, env());
    expect(first.stderr).toContain("Creating log group /ecs/cli-svc…");
    expect([first.code, first.stdout]).toEqual([0, "✔ created log group /ecs/cli-svc (us-east-1): retention 14 days, tags team=payments\n"]);
    expect(await readBack("/ecs/cli-svc")).toEqual({ retention: 14, tags: { team: "payments" } });

    const second = await runCli(args, env());
    expect([second.code, second.stdout]).toEqual([0, "✔ log group /ecs/cli-svc (us-east-1) already up to date: retention 14 days\n"]);
    expect(second.stderr).not.toMatch(/Creating|Setting|Tagging|warning|error/);

    const third = await runCli(["log-group", "/ecs/cli-svc", "--region", "us-east-1", "--retention", "7", "--tag", "team=payments", "--tag", "env=prod"], env());
    expect([third.code, third.stdout]).toEqual([0, "✔ log group /ecs/cli-svc (us-east-1) already existed; retention changed 14 → 7 days; tag env=prod added\n"]);
    expect(await readBack("/ecs/cli-svc")).toEqual({ retention: 7, tags: { team: "payments", env: "prod" } });

    const fourth = await runCli(["log-group", "/ecs/cli-svc", "--region", "us-east-1", "--retention", "never", "--json"], env());
    expect(fourth.code).toBe(0);
    const json = JSON.parse(fourth.stdout);
    expect(json).toMatchObject({
      ok: true,
      status: "updated",
      name: "/ecs/cli-svc",
      region: "us-east-1",
      retention: "never",
      tags: { team: "payments", env: "prod" },
      changes: [{ kind: "retention", from: 7, to: "never" }],
    });
    expect(json.calls.map((c: { operation: string }) => c.operation)).toEqual(["DescribeLogGroups", "ListTagsForResource", "DeleteRetentionPolicy"]);
    expect(await readBack("/ecs/cli-svc")).toEqual({ retention: "never", tags: { team: "payments", env: "prod" } });

    const fifth = await runCli(["log-group", "/ecs/cli-svc", "--region", "us-east-1", "--retention", "never", "--json"], env());
    expect(JSON.parse(fifth.stdout)).toMatchObject({ ok: true, status: "unchanged", changes: [] });
  });

  it("log-group --dry-run prints the calls and sends nothing", async () => {
    const r = await runCli(["log-group", "/ecs/dry", "--region", "us-east-1", "--retention", "30", "--tag", "a=b", "--dry-run"], env());
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `Dry run: nothing was sent. For log group /ecs/dry in us-east-1 (endpoint ${moto.endpoint}) it would call:\n` +
        `  1. DescribeLogGroups {"logGroupNamePrefix":"/ecs/dry"}  — always (finds the group by exact name)\n` +
        `  2. CreateLogGroup {"logGroupName":"/ecs/dry","tags":{"a":"b"}}  — if the group does not exist\n` +
        `  3. ListTagsForResource {"resourceArn":"<ARN of the existing group>"}  — if the group exists\n` +
        `  4. PutRetentionPolicy {"logGroupName":"/ecs/dry","retentionInDays":30}  — if the group was just created, or exists with another retention\n` +
        `  5. TagResource {"resourceArn":"<ARN of the existing group>","tags":{"a":"b"}}  — if the group exists and some of these tags are missing or different\n`,
    );
    expect(await readBack("/ecs/dry")).toBeUndefined();
  });

  it("scaffold --create-log-group creates the group after the files; on failure keeps the files, says how to retry, exits 1", async () => {
    const cwd = makeTmp("cfs-lg-scaffold-");
    const ok = await runCli(["svc-a", "--yes", "--no-install", "--no-git", "--region", "us-east-1", "--log-retention", "14", "--create-log-group"], env(), cwd);
    expect(ok.stderr).toContain("created log group /ecs/svc-a (us-east-1): retention 14 days, tags service=svc-a");
    expect(ok.code).toBe(0);
    expect(await readBack("/ecs/svc-a")).toEqual({ retention: 14, tags: { service: "svc-a" } });

    const dead = `http://127.0.0.1:${await closedPort()}`;
    const failed = await runCli(
      ["svc-b", "--yes", "--no-install", "--no-git", "--region", "us-east-1", "--create-log-group"],
      { ...env(), AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: dead, AWS_MAX_ATTEMPTS: "1" },
      cwd,
    );
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(`could not create log group /ecs/svc-b: could not reach CloudWatch Logs at ${dead} (from AWS_ENDPOINT_URL_CLOUDWATCH_LOGS): connection refused (ECONNREFUSED)`);
    expect(failed.stderr).toContain("Retry with: npx create-fargate-service log-group /ecs/svc-b --region us-east-1 --retention 30 --tag service=svc-b");
    expect(fs.existsSync(path.join(cwd, "svc-b", "package.json"))).toBe(true);
  });
});
