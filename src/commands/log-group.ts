/**
 * `create-fargate-service log-group <name>`: create a CloudWatch Logs group, or bring an existing one to the requested
 * retention and tags (idempotent), and the `--create-log-group` post step of the scaffold.
 * This module does not load the AWS SDK; the engine imports it only when a request is about to be sent.
 */
import type { Command } from "commander";
import { MAX_TAGS, RETENTION_DAYS, kmsKeyArnError, logGroupNameError, parseRetention, retentionError, tagError, type Retention, type RetentionDays } from "../fargate/log-group.js";
import { regionError } from "../fargate/regions.js";
import {
  DEFAULT_TIMEOUT_MS,
  LogGroupError,
  MAX_ATTEMPTS_LIMIT,
  ensureLogGroup,
  logGroupCommand,
  validateLogGroupRequest,
  type LogGroupClass,
  type LogGroupDeps,
  type LogGroupOutcome,
  type LogGroupRequest,
} from "../steps/log-group.js";
import { colorEnabled, palette, type Io } from "../ui.js";

/** Raw option values as commander gives them. */
export interface LogGroupCliOptions {
  region?: string;
  retention?: string;
  tag?: string[];
  kmsKeyId?: string;
  class?: string;
  profile?: string;
  maxAttempts?: string;
  timeout?: string;
  dryRun?: boolean;
  json?: boolean;
}

/** argv values → a request, or every usage problem (each names the flag and what is allowed). */
export function parseLogGroupArgs(name: string, opts: LogGroupCliOptions): { request?: LogGroupRequest; errors: string[] } {
  const errors: string[] = [];
  const nameErr = logGroupNameError(name);
  if (nameErr) errors.push(nameErr);

  let retention: Retention | undefined;
  if (opts.retention === undefined) errors.push(`--retention is required: days (${RETENTION_DAYS.join(", ")}) or never`);
  else {
    retention = parseRetention(opts.retention.trim());
    if (retention === undefined) errors.push(`--retention: ${retentionError(opts.retention.trim())}`);
  }

  const tags: Record<string, string> = {};
  for (const raw of opts.tag ?? []) {
    const eq = raw.indexOf("=");
    if (eq < 0) {
      errors.push(`--tag "${raw}" is not key=value`);
      continue;
    }
    const key = raw.slice(0, eq);
    const value = raw.slice(eq + 1);
    if (key in tags && tags[key] !== value) {
      errors.push(`--tag "${key}" is given twice with different values ("${tags[key]}" and "${value}")`);
      continue;
    }
    const e = tagError(key, value);
    if (e) errors.push(`--tag: ${e}`);
    tags[key] = value;
  }
  if (Object.keys(tags).length > MAX_TAGS) errors.push(`--tag: ${Object.keys(tags).length} tags given; a log group can have at most ${MAX_TAGS}`);

  if (opts.region !== undefined) {
    const e = regionError(opts.region);
    if (e) errors.push(e);
  }
  if (opts.kmsKeyId !== undefined) {
    const e = kmsKeyArnError(opts.kmsKeyId);
    if (e) errors.push(`--kms-key-id: ${e}`);
  }

  let logGroupClass: LogGroupClass | undefined;
  if (opts.class !== undefined) {
    const c = opts.class.trim().toLowerCase().replace(/_/g, "-");
    if (c === "standard") logGroupClass = "STANDARD";
    else if (c === "infrequent-access") logGroupClass = "INFREQUENT_ACCESS";
    else errors.push(`--class "${opts.class}" is not allowed; use standard or infrequent-access`);
  }

  let maxAttempts: number | undefined;
  if (opts.maxAttempts !== undefined) {
    const s = opts.maxAttempts.trim();
    maxAttempts = /^\d+$/.test(s) ? Number(s) : NaN;
    if (!(maxAttempts >= 1 && maxAttempts <= MAX_ATTEMPTS_LIMIT)) {
      errors.push(`--max-attempts "${opts.maxAttempts}" is not allowed; use a whole number from 1 to ${MAX_ATTEMPTS_LIMIT} (1 = no retry)`);
    }
  }

  let timeoutMs: number | undefined;
  if (opts.timeout !== undefined) {
    const s = opts.timeout.trim();
    const seconds = /^\d+(\.\d+)?$/.test(s) ? Number(s) : NaN;
    if (!(seconds >= 0.1 && seconds <= 600)) errors.push(`--timeout "${opts.timeout}" is not allowed; use seconds from 0.1 to 600`);
    else timeoutMs = Math.round(seconds * 1000);
  }

  if (errors.length || retention === undefined) return { errors };
  const request: LogGroupRequest = {
    name,
    retention,
    tags,
    ...(opts.region !== undefined ? { region: opts.region } : {}),
    ...(opts.profile !== undefined ? { profile: opts.profile } : {}),
    ...(opts.kmsKeyId !== undefined ? { kmsKeyId: opts.kmsKeyId } : {}),
    ...(logGroupClass ? { logGroupClass } : {}),
    ...(maxAttempts !== undefined ? { maxAttempts } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(opts.dryRun ? { dryRun: true } : {}),
  };
  return { request, errors: validateLogGroupRequest(request) };
}

/** What `--json` prints: one object. */
export type LogGroupJson =
  | ({ ok: true } & LogGroupOutcome)
  | {
      ok: false;
      exitCode: 1 | 2;
      error: { code: string; message: string; problems?: string[]; awsError?: string; done?: string[] };
      calls: LogGroupOutcome["calls"];
    };

/** Run the command: prints human output (or one JSON object) and returns the exit code. */
export async function runLogGroupCommand(name: string, opts: LogGroupCliOptions, io: Io, deps: LogGroupDeps = {}): Promise<number> {
  const err = palette(colorEnabled(io.stderr, io.env));
  const out = palette(colorEnabled(io.stdout, io.env));
  const progress = (line: string): void => void io.stderr.write(`${err.dim(line)}\n`);

  const failed = (e: LogGroupError): number => {
    io.stderr.write(`${err.red("error:")} ${e.message}\n`);
    if (e.exitCode === 2) io.stderr.write(`(run create-fargate-service log-group --help for usage)\n`);
    if (opts.json) {
      const json: LogGroupJson = {
        ok: false,
        exitCode: e.exitCode,
        error: {
          code: e.code,
          message: e.message,
          ...(e.problems.length ? { problems: e.problems } : {}),
          ...(e.awsError ? { awsError: e.awsError } : {}),
          ...(e.done.length ? { done: e.done } : {}),
        },
        calls: e.calls,
      };
      io.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    }
    return e.exitCode;
  };

  const { request, errors } = parseLogGroupArgs(name, opts);
  if (!request || errors.length) {
    return failed(new LogGroupError("usage", errors.length === 1 ? errors[0]! : `invalid arguments:\n  ${errors.join("\n  ")}`, { problems: errors }));
  }

  let outcome: LogGroupOutcome;
  try {
    outcome = await ensureLogGroup(request, { onProgress: progress, env: io.env, ...deps });
  } catch (e) {
    if (e instanceof LogGroupError) return failed(e);
    return failed(new LogGroupError("aws-error", `unexpected failure: ${(e as Error)?.message ?? String(e)}`));
  }

  for (const w of outcome.warnings) io.stderr.write(`${err.yellow("warning:")} ${w}\n`);
  if (opts.json) {
    const json: LogGroupJson = { ok: true, ...outcome };
    io.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return 0;
  }
  if (outcome.status === "planned") {
    io.stdout.write(`Dry run: nothing was sent. For log group ${out.bold(outcome.name)} in ${outcome.region} (endpoint ${outcome.endpoint}) it would call:\n`);
    outcome.calls.forEach((c, i) => {
      io.stdout.write(`  ${i + 1}. ${out.cyan(c.operation)} ${JSON.stringify(c.input)}${c.when ? out.dim(`  — ${c.when}`) : ""}\n`);
    });
    return 0;
  }
  io.stdout.write(`${out.green("✔")} ${outcome.summary}\n`);
  return 0;
}

/** Adds `log-group <name>` to the program. The action sets process.exitCode (0 ok, 1 failure, 2 usage). */
export function registerLogGroupCommand(program: Command, io?: Io, deps?: LogGroupDeps): void {
  program
    .command("log-group")
    .description(
      "Create a CloudWatch Logs log group for the service, or bring an existing one to the given retention and tags " +
        "(idempotent: a second run changes nothing)",
    )
    .argument("<name>", "log group name, 1–512 of a-z A-Z 0-9 . - _ / # (not starting with aws/), e.g. /ecs/my-svc")
    .option("--region <region>", "AWS region (default: AWS_REGION, else the profile's region)")
    .option("--retention <days>", `days to keep events: ${RETENTION_DAYS.join(", ")}, or never (required)`)
    .option("--tag <key=value>", "tag the group (repeatable)", (v: string, prev: string[] = []) => [...prev, v])
    .option("--kms-key-id <arn>", "encrypt with this symmetric KMS key (same region; only when creating)")
    .option("--class <class>", "log group class: standard | infrequent-access (only when creating; default standard)")
    .option("--profile <name>", "AWS profile from ~/.aws/config (default: AWS_PROFILE, else the default credential chain)")
    .option("--max-attempts <n>", `attempts per request, with backoff, 1–${MAX_ATTEMPTS_LIMIT} (default: AWS_MAX_ATTEMPTS, else 3)`)
    .option("--timeout <seconds>", `connect/response timeout per attempt (default: ${DEFAULT_TIMEOUT_MS / 1000})`)
    .option("--dry-run", "print the calls it would make; send nothing")
    .option("--json", "print the outcome as one JSON object on stdout")
    .addHelpText(
      "after",
      `
Endpoint overrides (local emulators): AWS_ENDPOINT_URL_CLOUDWATCH_LOGS, else AWS_ENDPOINT_URL.
IAM permissions: logs:DescribeLogGroups, logs:CreateLogGroup, logs:PutRetentionPolicy, logs:DeleteRetentionPolicy,
                 logs:TagResource, logs:ListTagsForResource
Exit codes: 0 ok (created, updated or already up to date), 1 AWS/network failure, 2 invalid arguments.

Examples:
  create-fargate-service log-group /ecs/my-svc --region eu-west-1 --retention 14 --tag team=payments
  create-fargate-service log-group /ecs/my-svc --retention never --profile prod --dry-run
`,
    )
    .action(async (name: string, opts: LogGroupCliOptions) => {
      process.exitCode = await runLogGroupCommand(name, opts, io ?? { stdout: process.stdout, stderr: process.stderr, env: process.env }, deps);
    });
}

/**
 * The scaffold's `--create-log-group` post step: create/update the group with a `service=<name>` tag.
 * Never throws; on failure `message` says what went wrong and `retryCommand` is the subcommand that finishes it.
 */
export async function runLogGroupStep(
  opts: { logGroup: string; region: string; logRetention: RetentionDays | "never"; name: string },
  io: { stderr: NodeJS.WritableStream },
  deps: LogGroupDeps = {},
): Promise<{ ok: boolean; message: string; retryCommand: string }> {
  const request: LogGroupRequest = {
    name: opts.logGroup,
    region: opts.region,
    retention: opts.logRetention,
    tags: { service: opts.name },
  };
  const retryCommand = logGroupCommand(request, opts.region);
  try {
    const outcome = await ensureLogGroup(request, { onProgress: (line) => void io.stderr.write(`${line}\n`), ...deps });
    for (const w of outcome.warnings) io.stderr.write(`warning: ${w}\n`);
    return { ok: true, message: outcome.summary, retryCommand };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, message: `could not create log group ${opts.logGroup}: ${message}`, retryCommand };
  }
}
