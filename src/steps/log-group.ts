/**
 * Pre-create (or bring up to date) a CloudWatch Logs log group with the AWS SDK.
 *
 * - The SDK (`@aws-sdk/client-cloudwatch-logs`) is loaded with a dynamic import() only when a call is about to be
 *   made (or a region has to be read from an AWS profile), so importing this module costs nothing.
 * - Idempotent: DescribeLogGroups (exact name) first; create when absent, otherwise bring retention and tags to what
 *   was asked. A second identical run makes only read calls and reports "already up to date".
 * - Standard AWS configuration: default credential chain, `profile`, region from the request, else AWS_REGION, else
 *   the profile's region; endpoint overrides AWS_ENDPOINT_URL_CLOUDWATCH_LOGS / AWS_ENDPOINT_URL are honoured by the SDK.
 * - Every failure becomes a LogGroupError with an exit code (2 usage, 1 runtime) and a message that says what to do.
 *   Nothing secret is ever put in a message.
 */
import type { CloudWatchLogsClient, CloudWatchLogsClientConfig, LogGroup } from "@aws-sdk/client-cloudwatch-logs";
import {
  MAX_TAGS,
  RETENTION_DAYS,
  kmsKeyArnError,
  logGroupNameError,
  parseRetention,
  retentionError,
  tagError,
  type Retention,
} from "../fargate/log-group.js";
import { partitionOf, regionError } from "../fargate/regions.js";
import { shellQuote } from "../ui.js";

// ---------------------------------------------------------------------------------------------------------------
// Types

export const LOG_GROUP_CLASSES = ["STANDARD", "INFREQUENT_ACCESS"] as const;
export type LogGroupClass = (typeof LOG_GROUP_CLASSES)[number];

export interface LogGroupRequest {
  name: string;
  /** Region code; else AWS_REGION, else the profile's region. */
  region?: string;
  /** Named profile from ~/.aws/config and ~/.aws/credentials (else AWS_PROFILE / the default chain). */
  profile?: string;
  retention: Retention;
  tags: Record<string, string>;
  /** Symmetric KMS key ARN in the same region. Applied only when the group is created. */
  kmsKeyId?: string;
  /** Applied only when the group is created (AWS cannot change it later). */
  logGroupClass?: LogGroupClass;
  /** Plan only: no request is sent. */
  dryRun?: boolean;
  /** Attempts per call, including the first (SDK standard retry mode with backoff). Default: AWS_MAX_ATTEMPTS, else 3. */
  maxAttempts?: number;
  /** Connection and response timeout per attempt, in milliseconds. Default 15000. */
  timeoutMs?: number;
}

export type LogGroupOperation =
  | "DescribeLogGroups"
  | "CreateLogGroup"
  | "PutRetentionPolicy"
  | "DeleteRetentionPolicy"
  | "ListTagsForResource"
  | "TagResource";

export interface LogGroupCall {
  operation: LogGroupOperation;
  /** The IAM action the call needs. */
  action: `logs:${LogGroupOperation}`;
  input: Record<string, unknown>;
  /** For planned calls: the condition under which the call is made. */
  when?: string;
  /** ok / failed for calls made; planned for --dry-run. */
  status: "ok" | "failed" | "planned";
  /** Attempts the SDK made (1 = no retry). */
  attempts?: number;
}

export type LogGroupChange =
  | { kind: "created"; description: string }
  | { kind: "retention"; from: Retention; to: Retention; description: string }
  | { kind: "tag-added"; key: string; value: string; description: string }
  | { kind: "tag-changed"; key: string; from: string; to: string; description: string };

export interface LogGroupOutcome {
  /** created: did not exist; updated: existed and was changed; unchanged: already up to date; planned: --dry-run. */
  status: "created" | "updated" | "unchanged" | "planned";
  name: string;
  region: string;
  /** Where the requests go (or would go). */
  endpoint: string;
  /** Log-group ARN without the trailing ":*" (known when the group was read). */
  arn?: string;
  retention: Retention;
  /** Every tag on the group afterwards (for a new group: the tags asked for). */
  tags: Record<string, string>;
  kmsKeyId?: string;
  logGroupClass?: string;
  changes: LogGroupChange[];
  warnings: string[];
  calls: LogGroupCall[];
  /** One line for humans, e.g. "log group /ecs/x already existed; retention changed 7 → 14 days". */
  summary: string;
}

export type LogGroupErrorCode =
  | "usage"
  | "region-missing"
  | "no-credentials"
  | "credentials-rejected"
  | "access-denied"
  | "throttled"
  | "service-error"
  | "network"
  | "timeout"
  | "kms-key"
  | "retention-after-create"
  | "limit-exceeded"
  | "aws-error";

/** Every failure of this step. `exitCode` 2 = usage (nothing was sent), 1 = runtime. */
export class LogGroupError extends Error {
  override name = "LogGroupError";
  readonly exitCode: 1 | 2;
  readonly code: LogGroupErrorCode;
  /** For usage errors: one line per problem. */
  readonly problems: string[];
  /** Calls made before the failure (the last one failed). */
  calls: LogGroupCall[];
  /** What was already changed before the failure. */
  done: string[];
  /** The AWS error name behind it, e.g. AccessDeniedException. */
  readonly awsError?: string;
  constructor(
    code: LogGroupErrorCode,
    message: string,
    opts: { exitCode?: 1 | 2; problems?: string[]; calls?: LogGroupCall[]; done?: string[]; awsError?: string } = {},
  ) {
    super(message);
    this.code = code;
    this.exitCode = opts.exitCode ?? (code === "usage" || code === "region-missing" ? 2 : 1);
    this.problems = opts.problems ?? [];
    this.calls = opts.calls ?? [];
    this.done = opts.done ?? [];
    if (opts.awsError) this.awsError = opts.awsError;
  }
}

type Sdk = typeof import("@aws-sdk/client-cloudwatch-logs");

export interface LogGroupDeps {
  /** Loads the SDK (default: dynamic import). */
  loadSdk?: () => Promise<Sdk>;
  /** Progress lines ("Creating log group …"). */
  onProgress?: (line: string) => void;
  /** Extra client configuration (tests). */
  clientConfig?: Partial<CloudWatchLogsClientConfig>;
  /** Environment read for region/endpoint reporting (default process.env; the SDK itself always reads process.env). */
  env?: NodeJS.ProcessEnv;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
export const MAX_ATTEMPTS_LIMIT = 20;

// ---------------------------------------------------------------------------------------------------------------
// Validation (no SDK, no network)

const ARN_REGION = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):/;

/** Every usage error in a request, one message per problem; empty when the request can be sent. */
export function validateLogGroupRequest(request: Partial<LogGroupRequest> & { name: string }): string[] {
  const errors: string[] = [];
  const nameErr = logGroupNameError(request.name);
  if (nameErr) errors.push(nameErr);

  if (request.retention === undefined) errors.push(`retention is required; use one of: ${retentionChoices()}`);
  else if (parseRetention(request.retention as string | number) === undefined) {
    errors.push(retentionError(request.retention as string | number) ?? `retention "${String(request.retention)}" is not allowed`);
  }

  const tags = request.tags ?? {};
  const keys = Object.keys(tags);
  if (keys.length > MAX_TAGS) errors.push(`${keys.length} tags given; a log group can have at most ${MAX_TAGS}`);
  for (const key of keys) {
    const e = tagError(key, tags[key] ?? "");
    if (e) errors.push(e);
  }

  if (request.region !== undefined) {
    const e = regionError(request.region);
    if (e) errors.push(e);
  }

  if (request.kmsKeyId !== undefined) {
    const e = kmsKeyArnError(request.kmsKeyId);
    if (e) errors.push(e);
    else if (request.region !== undefined && regionError(request.region) === undefined) {
      const keyRegion = ARN_REGION.exec(request.kmsKeyId)?.[1];
      if (keyRegion && keyRegion !== request.region) {
        errors.push(`KMS key "${request.kmsKeyId}" is in ${keyRegion}, but the log group is in ${request.region}; CloudWatch Logs needs a key in the same region`);
      }
    }
  }

  if (request.logGroupClass !== undefined && !(LOG_GROUP_CLASSES as readonly string[]).includes(request.logGroupClass)) {
    errors.push(`log group class "${String(request.logGroupClass)}" is not allowed; use standard or infrequent-access`);
  }
  if (request.maxAttempts !== undefined && !(Number.isInteger(request.maxAttempts) && request.maxAttempts >= 1 && request.maxAttempts <= MAX_ATTEMPTS_LIMIT)) {
    errors.push(`max attempts ${String(request.maxAttempts)} is not allowed; use a whole number from 1 to ${MAX_ATTEMPTS_LIMIT}`);
  }
  if (request.timeoutMs !== undefined && !(Number.isFinite(request.timeoutMs) && request.timeoutMs >= 100 && request.timeoutMs <= 600_000)) {
    errors.push(`timeout ${String(request.timeoutMs)} ms is not allowed; use 0.1 to 600 seconds`);
  }
  return errors;
}

function retentionChoices(): string {
  return `${RETENTION_DAYS.join(", ")}, or never`;
}

// ---------------------------------------------------------------------------------------------------------------
// Plan (for --dry-run)

function describeInput(name: string): Record<string, unknown> {
  return { logGroupNamePrefix: name };
}

function createInput(request: LogGroupRequest): Record<string, unknown> {
  const input: Record<string, unknown> = { logGroupName: request.name };
  if (Object.keys(request.tags).length) input.tags = { ...request.tags };
  if (request.kmsKeyId) input.kmsKeyId = request.kmsKeyId;
  if (request.logGroupClass) input.logGroupClass = request.logGroupClass;
  return input;
}

function call(operation: LogGroupOperation, input: Record<string, unknown>, status: LogGroupCall["status"], when?: string): LogGroupCall {
  return { operation, action: `logs:${operation}`, input, status, ...(when ? { when } : {}) };
}

/** The calls `ensureLogGroup` would make, each with the condition under which it is made. Sends nothing. */
export function planLogGroupCalls(request: LogGroupRequest): LogGroupCall[] {
  const arn = "<ARN of the existing group>";
  const calls: LogGroupCall[] = [
    call("DescribeLogGroups", describeInput(request.name), "planned", "always (finds the group by exact name)"),
    call("CreateLogGroup", createInput(request), "planned", "if the group does not exist"),
    call("ListTagsForResource", { resourceArn: arn }, "planned", "if the group exists"),
  ];
  if (request.retention === "never") {
    calls.push(call("DeleteRetentionPolicy", { logGroupName: request.name }, "planned", "if the group exists with a retention policy"));
  } else {
    calls.push(
      call("PutRetentionPolicy", { logGroupName: request.name, retentionInDays: request.retention }, "planned", "if the group was just created, or exists with another retention"),
    );
  }
  if (Object.keys(request.tags).length) {
    calls.push(call("TagResource", { resourceArn: arn, tags: { ...request.tags } }, "planned", "if the group exists and some of these tags are missing or different"));
  }
  return calls;
}

// ---------------------------------------------------------------------------------------------------------------
// Region, endpoint, policy

export interface ResolvedRegion {
  region: string;
  source: "--region" | "AWS_REGION" | "profile";
}

/** Region: the request's, else AWS_REGION, else the profile's (read by the SDK from ~/.aws/config). Usage error when none. */
export async function resolveRegion(request: Pick<LogGroupRequest, "region" | "profile">, loadSdk: () => Promise<Sdk>, env: NodeJS.ProcessEnv = process.env): Promise<ResolvedRegion> {
  let resolved: ResolvedRegion | undefined;
  if (request.region) resolved = { region: request.region, source: "--region" };
  else if (env.AWS_REGION) resolved = { region: env.AWS_REGION, source: "AWS_REGION" };
  else {
    quietSdkVersionWarning();
    const sdk = await loadSdk();
    const client = new sdk.CloudWatchLogsClient(request.profile ? { profile: request.profile } : {});
    try {
      const region = await client.config.region();
      if (region) resolved = { region, source: "profile" };
    } catch {
      /* "Region is missing" */
    } finally {
      client.destroy();
    }
  }
  if (!resolved) {
    const where = request.profile ?? env.AWS_PROFILE;
    const hint = env.AWS_DEFAULT_REGION
      ? ` (AWS_DEFAULT_REGION=${env.AWS_DEFAULT_REGION} is set, but the AWS SDK for JavaScript reads AWS_REGION)`
      : "";
    throw new LogGroupError(
      "region-missing",
      `no AWS region: pass --region (e.g. --region eu-west-1), set AWS_REGION, or set region in ${where ? `the profile "${where}"` : "the default profile"} of ~/.aws/config${hint}`,
    );
  }
  const bad = regionError(resolved.region);
  if (bad) {
    throw new LogGroupError(
      "usage",
      resolved.source === "--region" ? bad : bad.replace(/^--region/, resolved.source === "AWS_REGION" ? "AWS_REGION" : `region of profile "${request.profile ?? env.AWS_PROFILE ?? "default"}"`),
      { problems: [bad] },
    );
  }
  return resolved;
}

export interface EndpointInfo {
  url: string;
  source: "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS" | "AWS_ENDPOINT_URL" | "default";
}

/** The endpoint the SDK uses, following its precedence (service variable, then global variable, then AWS's). */
export function endpointFor(region: string, env: NodeJS.ProcessEnv = process.env): EndpointInfo {
  if (env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS) return { url: env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS, source: "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS" };
  if (env.AWS_ENDPOINT_URL) return { url: env.AWS_ENDPOINT_URL, source: "AWS_ENDPOINT_URL" };
  return { url: `https://logs.${region}.amazonaws.com${region.startsWith("cn-") ? ".cn" : ""}`, source: "default" };
}

function describeEndpoint(e: EndpointInfo): string {
  return e.source === "default" ? e.url : `${e.url} (from ${e.source})`;
}

/** ARNs a statement needs for one log group: the group itself and its ":*" form (some actions are evaluated on it). */
export function logGroupArns(name: string, region: string, account = "*"): string[] {
  const base = `arn:${partitionOf(region)}:logs:${region}:${account}:log-group:${name}`;
  return [base, `${base}:*`];
}

export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow";
  Action: string | string[];
  Resource: string | string[];
}

/** The minimal identity policy for the log-group command and `--create-log-group`. */
export function logGroupPolicy(name: string, region: string, account = "*"): { Version: "2012-10-17"; Statement: PolicyStatement[] } {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "FindLogGroup",
        Effect: "Allow",
        Action: "logs:DescribeLogGroups",
        Resource: `arn:${partitionOf(region)}:logs:${region}:${account}:log-group:*`,
      },
      {
        Sid: "ManageLogGroup",
        Effect: "Allow",
        Action: [
          "logs:CreateLogGroup",
          "logs:PutRetentionPolicy",
          "logs:DeleteRetentionPolicy",
          "logs:TagResource",
          "logs:ListTagsForResource",
        ],
        Resource: logGroupArns(name, region, account),
      },
    ],
  };
}

/** One statement that allows `action` for this group (DescribeLogGroups: every group in the region). */
export function statementFor(action: string, name: string, region: string, account = "*"): PolicyStatement {
  const resource =
    action === "logs:DescribeLogGroups" ? `arn:${partitionOf(region)}:logs:${region}:${account}:log-group:*` : logGroupArns(name, region, account);
  return { Effect: "Allow", Action: action, Resource: resource };
}

// ---------------------------------------------------------------------------------------------------------------
// Secrets never reach a message

const SECRET_PATTERNS: RegExp[] = [
  /(Signature=)[0-9a-f]{16,}/gi,
  /(X-Amz-Security-Token=)[^&\s"']+/gi,
  /(X-Amz-Signature=)[0-9a-f]{16,}/gi,
  /(aws_secret_access_key\s*[=:]\s*)\S+/gi,
  /(aws_session_token\s*[=:]\s*)\S+/gi,
];

/** Removes credential material (env secrets, signatures, tokens) from text meant for a terminal or JSON. */
export function redact(text: string, env: NodeJS.ProcessEnv = process.env): string {
  let out = text;
  for (const key of ["AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_ACCESS_KEY_ID"]) {
    const v = env[key];
    if (v && v.length >= 8) out = out.split(v).join("****");
  }
  for (const re of SECRET_PATTERNS) out = out.replace(re, "$1****");
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Error classification

interface SdkErrorLike {
  name?: string;
  message?: string;
  code?: string;
  $fault?: "client" | "server";
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "DNS lookup failed",
  ETIMEDOUT: "connection timed out",
  ECONNRESET: "connection reset",
  EPIPE: "connection closed",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ECONNABORTED: "connection aborted",
  CERT_HAS_EXPIRED: "TLS certificate expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: "TLS certificate not trusted",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "TLS certificate not trusted",
};

const THROTTLING = new Set(["ThrottlingException", "Throttling", "ThrottledException", "RequestThrottledException", "TooManyRequestsException", "RequestLimitExceeded"]);
const ACCESS_DENIED = new Set(["AccessDeniedException", "AccessDenied", "UnauthorizedOperation", "UnauthorizedAccess"]);
const BAD_CREDENTIALS = new Set(["UnrecognizedClientException", "InvalidSignatureException", "IncompleteSignatureException", "ExpiredTokenException", "ExpiredToken", "InvalidClientTokenId", "SignatureDoesNotMatch", "MissingAuthenticationTokenException"]);

export interface ErrorContext {
  operation: LogGroupOperation;
  request: Pick<LogGroupRequest, "name" | "profile" | "kmsKeyId">;
  region: string;
  endpoint: EndpointInfo;
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
}

/** Turns any error from a CloudWatch Logs call into a LogGroupError that says what happened and what to do. */
export function classifyError(raw: unknown, ctx: ErrorContext): LogGroupError {
  const env = ctx.env ?? process.env;
  const err = (raw ?? {}) as SdkErrorLike;
  const name = err.name ?? "Error";
  const awsMessage = redact(String(err.message ?? raw ?? ""), env).trim();
  const attempts = err.$metadata?.attempts;
  const after = attempts && attempts > 1 ? ` after ${attempts} attempts` : "";
  const status = err.$metadata?.httpStatusCode;
  const where = describeEndpoint(ctx.endpoint);
  const op = ctx.operation;
  const opts = { awsError: name };

  if (name === "CredentialsProviderError" || /Could not load credentials|credential/i.test(name)) {
    const profile = ctx.request.profile ?? env.AWS_PROFILE;
    return new LogGroupError(
      "no-credentials",
      `no AWS credentials found${profile ? ` for profile "${profile}"` : ""}: set AWS_PROFILE (or pass --profile NAME), ` +
        `or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run "aws configure" / "aws sso login" (AWS SDK: ${awsMessage})`,
      opts,
    );
  }

  if (ctx.request.kmsKeyId && op === "CreateLogGroup" && /\bKMS\b/i.test(awsMessage) && (ACCESS_DENIED.has(name) || /InvalidParameter|ResourceNotFound|Validation/.test(name))) {
    const [arn] = logGroupArns(ctx.request.name, ctx.region);
    return new LogGroupError(
      "kms-key",
      `KMS key ${ctx.request.kmsKeyId} cannot be used for log group "${ctx.request.name}" (${name}: ${awsMessage}). ` +
        `The key must exist in ${ctx.region}, be a symmetric encryption key, and its key policy must allow the service principal ` +
        `logs.${ctx.region}.amazonaws.com kms:Encrypt*, kms:Decrypt*, kms:ReEncrypt*, kms:GenerateDataKey* and kms:Describe* ` +
        `(condition kms:EncryptionContext:aws:logs:arn = ${arn}). Nothing was created.`,
      opts,
    );
  }

  if (ACCESS_DENIED.has(name)) {
    const action = /perform:?\s+([a-z0-9-]+:[A-Za-z0-9]+)/.exec(awsMessage)?.[1] ?? `logs:${op}`;
    const resource = /on resource:?\s+(arn:[^\s,]+)/.exec(awsMessage)?.[1];
    const principal = /User:?\s+(arn:[^\s,]+)/.exec(awsMessage)?.[1];
    const account = /arn:aws[a-z-]*:(?:logs|iam|sts):[a-z0-9-]*:(\d{12}):/.exec(awsMessage)?.[1] ?? "*";
    const statement = action.startsWith("logs:") ? statementFor(action, ctx.request.name, ctx.region, account) : { Effect: "Allow", Action: action, Resource: resource ?? "*" };
    return new LogGroupError(
      "access-denied",
      `access denied: ${principal ?? "your AWS identity"} may not call ${action}${resource ? ` on ${resource}` : ""} (during ${op}). ` +
        `Add this statement to its IAM policy:\n${JSON.stringify(statement, null, 2)}`,
      opts,
    );
  }

  if (BAD_CREDENTIALS.has(name)) {
    return new LogGroupError(
      "credentials-rejected",
      `AWS rejected the credentials (${name}: ${awsMessage}); check the access keys or the profile${ctx.request.profile ? ` "${ctx.request.profile}"` : ""}, or renew an expired session (e.g. "aws sso login")`,
      opts,
    );
  }

  if (THROTTLING.has(name)) {
    return new LogGroupError(
      "throttled",
      `CloudWatch Logs throttled ${op}${after || " (no retry allowed)"} (${name}); wait a minute and run the command again (it is safe to repeat), or allow more attempts with --max-attempts`,
      opts,
    );
  }

  if (name === "TimeoutError" || (err.code === "ETIMEDOUT" && status === undefined)) {
    return new LogGroupError(
      "timeout",
      `CloudWatch Logs at ${where} did not answer ${op} within ${formatSeconds(ctx.timeoutMs)}${after}; check the network or proxy, or raise --timeout`,
      opts,
    );
  }

  const netCode = err.code && NETWORK_CODES[err.code] ? err.code : undefined;
  if (netCode && status === undefined) {
    return new LogGroupError(
      "network",
      `could not reach CloudWatch Logs at ${where}: ${NETWORK_CODES[netCode]} (${netCode})${after}; check the network, the region, and any AWS_ENDPOINT_URL* setting`,
      opts,
    );
  }

  if (err.$fault === "server" || (status !== undefined && status >= 500)) {
    return new LogGroupError(
      "service-error",
      `CloudWatch Logs at ${where} failed ${op} with HTTP ${status ?? "5xx"} ${name}${awsMessage && awsMessage !== name ? `: ${awsMessage}` : ""}${after}; ` +
        `this is a service-side error: run the command again later (it is safe to repeat), or allow more attempts with --max-attempts`,
      opts,
    );
  }

  if (name === "LimitExceededException") {
    return new LogGroupError("limit-exceeded", `CloudWatch Logs refused ${op}: ${awsMessage} (${name}); the account has reached a CloudWatch Logs quota in ${ctx.region}`, opts);
  }

  if (status === undefined && !err.$fault) {
    // Not an AWS response: a transport or parse failure (e.g. an emulator answered with HTML).
    return new LogGroupError("network", `unexpected failure talking to CloudWatch Logs at ${where} during ${op}: ${name}: ${awsMessage}${after}`, opts);
  }
  return new LogGroupError("aws-error", `CloudWatch Logs ${op} failed: ${name}: ${awsMessage}`, opts);
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

// ---------------------------------------------------------------------------------------------------------------
// Descriptions

export function formatRetention(r: Retention): string {
  return r === "never" ? "never expire" : `${r} day${r === 1 ? "" : "s"}`;
}

/** "retention 14 days" / "no retention policy (events never expire)". */
function retentionPhrase(r: Retention): string {
  return r === "never" ? "no retention policy (events never expire)" : `retention ${formatRetention(r)}`;
}

function retentionArrow(r: Retention): string {
  return r === "never" ? "never" : String(r);
}

function tagList(tags: Record<string, string>): string {
  return Object.entries(tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
}

function summarize(o: Omit<LogGroupOutcome, "summary">): string {
  const where = `${o.name} (${o.region})`;
  if (o.status === "planned") return `dry run: would make at most ${o.calls.length} calls for log group ${where}; nothing was sent`;
  if (o.status === "created") {
    const tags = Object.keys(o.tags).length ? `, tags ${tagList(o.tags)}` : "";
    return `created log group ${where}: ${retentionPhrase(o.retention)}${tags}`;
  }
  if (o.status === "unchanged") return `log group ${where} already up to date: ${retentionPhrase(o.retention)}`;
  return `log group ${where} already existed; ${o.changes.map((c) => c.description).join("; ")}`;
}

/** The command that finishes or repeats this request (the command is idempotent). */
export function logGroupCommand(request: LogGroupRequest, region?: string, bin = "npx create-fargate-service"): string {
  const q = shellQuote;
  const parts = [bin, "log-group", q(request.name)];
  const r = region ?? request.region;
  if (r) parts.push("--region", q(r));
  parts.push("--retention", String(request.retention));
  for (const [k, v] of Object.entries(request.tags)) parts.push("--tag", q(`${k}=${v}`));
  if (request.kmsKeyId) parts.push("--kms-key-id", q(request.kmsKeyId));
  if (request.logGroupClass) parts.push("--class", request.logGroupClass.toLowerCase().replace(/_/g, "-"));
  if (request.profile) parts.push("--profile", q(request.profile));
  return parts.join(" ");
}

// ---------------------------------------------------------------------------------------------------------------
// The engine

/**
 * Load the SDK lazily. Run from source, Node gives the CommonJS SDK's named exports; bundled by esbuild with code
 * splitting, the chunk only has a default export holding them. Accept both.
 */
export async function importSdk(): Promise<Sdk> {
  const mod = (await import("@aws-sdk/client-cloudwatch-logs")) as Sdk & { default?: Sdk };
  return typeof mod.CloudWatchLogsClient === "function" ? mod : (mod.default as Sdk);
}

/** The SDK warns on Node < 22 on every run; our pinned version supports Node 20, so keep stderr clean. */
function quietSdkVersionWarning(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
}

/**
 * Create the log group, or bring an existing one to the requested retention and tags. Idempotent.
 * Throws LogGroupError (exit 2 for usage problems, before any request; exit 1 for runtime failures).
 */
export async function ensureLogGroup(request: LogGroupRequest, deps: LogGroupDeps = {}): Promise<LogGroupOutcome> {
  const env = deps.env ?? process.env;
  const problems = validateLogGroupRequest(request);
  if (problems.length) {
    throw new LogGroupError("usage", problems.length === 1 ? problems[0]! : `invalid log-group request:\n  ${problems.join("\n  ")}`, { problems });
  }
  const loadSdk = deps.loadSdk ?? importSdk;
  const progress = deps.onProgress ?? (() => undefined);
  const { region } = await resolveRegion(request, loadSdk, env);
  if (request.kmsKeyId) {
    const keyRegion = ARN_REGION.exec(request.kmsKeyId)?.[1];
    if (keyRegion && keyRegion !== region) {
      const msg = `KMS key "${request.kmsKeyId}" is in ${keyRegion}, but the log group is in ${region}; CloudWatch Logs needs a key in the same region`;
      throw new LogGroupError("usage", msg, { problems: [msg] });
    }
  }
  const endpointFromEnv = endpointFor(region, env);
  const retention = parseRetention(request.retention as Retention) as Retention;

  if (request.dryRun) {
    const base = {
      status: "planned" as const,
      name: request.name,
      region,
      endpoint: endpointFromEnv.url,
      retention,
      tags: { ...request.tags },
      ...(request.kmsKeyId ? { kmsKeyId: request.kmsKeyId } : {}),
      ...(request.logGroupClass ? { logGroupClass: request.logGroupClass } : {}),
      changes: [],
      warnings: [],
      calls: planLogGroupCalls({ ...request, retention }),
    };
    return { ...base, summary: summarize(base) };
  }

  quietSdkVersionWarning();
  const sdk = await loadSdk();
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const warnings: string[] = [];
  // The SDK (3.1169) reads a profile's endpoint_url only from AWS_PROFILE, not from the client's `profile` option;
  // scope AWS_PROFILE to this call so --profile NAME behaves exactly like AWS_PROFILE=NAME.
  const restoreProfile = scopeEnv("AWS_PROFILE", request.profile);
  const client: CloudWatchLogsClient = new sdk.CloudWatchLogsClient({
    region,
    ...(request.profile ? { profile: request.profile } : {}),
    ...(request.maxAttempts ? { maxAttempts: request.maxAttempts } : {}),
    requestHandler: { connectionTimeout: timeoutMs, requestTimeout: timeoutMs, throwOnRequestTimeout: true },
    // SDK warnings become our warnings (one line each) instead of raw console output.
    logger: {
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      error: () => undefined,
      warn: (...args: unknown[]) => {
        const text = args.map(String).join(" ");
        const line = /Multiple credential sources detected/.test(text)
          ? "both a profile (--profile or AWS_PROFILE) and AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY are set; the profile's credentials are used"
          : redact(text.trim().split("\n")[0] ?? "", env);
        if (line && !warnings.includes(line)) warnings.push(line);
      },
    },
    ...deps.clientConfig,
  });

  // The endpoint actually used: it can also come from a profile's endpoint_url in ~/.aws/config.
  let endpoint = endpointFromEnv;
  client.middlewareStack.add(
    (next) => async (args) => {
      const r = args.request as { protocol?: string; hostname?: string; port?: number };
      if (r?.hostname && endpoint.source === "default") {
        const url = `${r.protocol ?? "https:"}//${r.hostname}${r.port ? `:${r.port}` : ""}`;
        if (url !== endpoint.url) endpoint = { url, source: "default" };
      }
      return next(args);
    },
    { step: "build", name: "createFargateServiceEndpointCapture" },
  );

  const calls: LogGroupCall[] = [];
  const done: string[] = [];
  const changes: LogGroupChange[] = [];

  // One place that sends, records and classifies.
  const send = async <T>(operation: LogGroupOperation, input: Record<string, unknown>, command: { input: unknown }): Promise<T> => {
    const entry = call(operation, input, "ok");
    calls.push(entry);
    try {
      const out = (await client.send(command as never)) as T & { $metadata?: { attempts?: number } };
      entry.attempts = out.$metadata?.attempts ?? 1;
      return out;
    } catch (e) {
      entry.status = "failed";
      entry.attempts = (e as SdkErrorLike).$metadata?.attempts ?? entry.attempts;
      throw e;
    }
  };

  const fail = (e: unknown, operation: LogGroupOperation): LogGroupError => {
    const err = e instanceof LogGroupError ? e : classifyError(e, { operation, request, region, endpoint, timeoutMs, env });
    err.calls = calls;
    err.done = [...done];
    return err;
  };

  const describe = async (): Promise<LogGroup | undefined> => {
    let nextToken: string | undefined;
    do {
      const input: Record<string, unknown> = { ...describeInput(request.name), ...(nextToken ? { nextToken } : {}) };
      const out = await send<{ logGroups?: LogGroup[]; nextToken?: string }>("DescribeLogGroups", input, new sdk.DescribeLogGroupsCommand(input));
      const found = out.logGroups?.find((g) => g.logGroupName === request.name);
      if (found) return found;
      nextToken = out.nextToken;
    } while (nextToken);
    return undefined;
  };

  try {
    let current: LogGroup | undefined;
    try {
      progress(`Looking for log group ${request.name} in ${region}…`);
      current = await describe();
    } catch (e) {
      throw fail(e, "DescribeLogGroups");
    }

    if (!current) {
      // Create
      progress(`Creating log group ${request.name}…`);
      const input = createInput(request);
      let created = false;
      try {
        await send("CreateLogGroup", input, new sdk.CreateLogGroupCommand(input as never));
        created = true;
      } catch (e) {
        if ((e as SdkErrorLike).name !== "ResourceAlreadyExistsException") throw fail(e, "CreateLogGroup");
        // Created by someone else since we looked: fall through to the update path.
        try {
          current = await describe();
        } catch (e2) {
          throw fail(e2, "DescribeLogGroups");
        }
        if (!current) throw fail(e, "CreateLogGroup");
      }
      if (created) {
        done.push(`created log group ${request.name}`);
        changes.push({ kind: "created", description: `created with ${retentionPhrase(retention)}` });
        if (retention !== "never") {
          try {
            const rInput = { logGroupName: request.name, retentionInDays: retention };
            await send("PutRetentionPolicy", rInput, new sdk.PutRetentionPolicyCommand(rInput));
          } catch (e) {
            const cause = fail(e, "PutRetentionPolicy");
            throw new LogGroupError(
              "retention-after-create",
              `log group ${request.name} was created in ${region}, but setting its retention to ${formatRetention(retention)} failed: ${cause.message}\n` +
                `The group exists without a retention policy (its events never expire). To finish, run:\n` +
                `  ${logGroupCommand(request, region)}\n` +
                `or: aws logs put-retention-policy --log-group-name ${shellQuote(request.name)} --retention-in-days ${retention} --region ${region}`,
              { calls, done: [...done], awsError: cause.awsError ?? cause.code },
            );
          }
        }
        const base = {
          status: "created" as const,
          name: request.name,
          region,
          endpoint: endpoint.url,
          retention,
          tags: { ...request.tags },
          ...(request.kmsKeyId ? { kmsKeyId: request.kmsKeyId } : {}),
          ...(request.logGroupClass ? { logGroupClass: request.logGroupClass } : {}),
          changes,
          warnings,
          calls,
        };
        return { ...base, summary: summarize(base) };
      }
    }

    // Existing group: bring retention and tags to what was asked.
    const group = current as LogGroup;
    const arn = group.logGroupArn ?? group.arn?.replace(/:\*$/, "") ?? logGroupArns(request.name, region)[0]!;
    let tags: Record<string, string> = {};
    try {
      const out = await send<{ tags?: Record<string, string> }>("ListTagsForResource", { resourceArn: arn }, new sdk.ListTagsForResourceCommand({ resourceArn: arn }));
      tags = { ...(out.tags ?? {}) };
    } catch (e) {
      throw fail(e, "ListTagsForResource");
    }

    const currentRetention: Retention = (group.retentionInDays as Retention | undefined) ?? "never";
    if (currentRetention !== retention) {
      const description = `retention changed ${retentionArrow(currentRetention)} → ${retentionArrow(retention)}${retention === "never" ? "" : " days"}`;
      progress(retention === "never" ? `Removing the retention policy of ${request.name} (events never expire)…` : `Setting retention of ${request.name} to ${formatRetention(retention)}…`);
      try {
        if (retention === "never") {
          const input = { logGroupName: request.name };
          await send("DeleteRetentionPolicy", input, new sdk.DeleteRetentionPolicyCommand(input));
        } else {
          const input = { logGroupName: request.name, retentionInDays: retention };
          await send("PutRetentionPolicy", input, new sdk.PutRetentionPolicyCommand(input));
        }
      } catch (e) {
        throw fail(e, retention === "never" ? "DeleteRetentionPolicy" : "PutRetentionPolicy");
      }
      done.push(description);
      changes.push({ kind: "retention", from: currentRetention, to: retention, description });
    }

    const toTag: Record<string, string> = {};
    const tagChanges: LogGroupChange[] = [];
    for (const [key, value] of Object.entries(request.tags)) {
      if (!(key in tags)) {
        toTag[key] = value;
        tagChanges.push({ kind: "tag-added", key, value, description: `tag ${key}=${value} added` });
      } else if (tags[key] !== value) {
        toTag[key] = value;
        tagChanges.push({ kind: "tag-changed", key, from: tags[key]!, to: value, description: `tag ${key} changed ${tags[key]} → ${value}` });
      }
    }
    if (Object.keys(toTag).length) {
      progress(`Tagging ${request.name} (${tagList(toTag)})…`);
      const input = { resourceArn: arn, tags: toTag };
      try {
        await send("TagResource", input, new sdk.TagResourceCommand(input));
      } catch (e) {
        throw fail(e, "TagResource");
      }
      Object.assign(tags, toTag);
      changes.push(...tagChanges);
      done.push(...tagChanges.map((c) => c.description));
    }

    if (request.kmsKeyId && group.kmsKeyId !== request.kmsKeyId) {
      warnings.push(
        `the existing group ${group.kmsKeyId ? `is encrypted with ${group.kmsKeyId}` : "has no KMS key"}; --kms-key-id applies only when creating. ` +
          `To change it: aws logs associate-kms-key --log-group-name ${shellQuote(request.name)} --kms-key-id ${request.kmsKeyId} --region ${region}`,
      );
    }
    if (request.logGroupClass && group.logGroupClass && group.logGroupClass !== request.logGroupClass) {
      warnings.push(`the existing group's class is ${group.logGroupClass}; the class of a log group cannot be changed after creation`);
    }

    const base = {
      status: changes.length ? ("updated" as const) : ("unchanged" as const),
      name: request.name,
      region,
      endpoint: endpoint.url,
      arn,
      retention,
      tags,
      ...(group.kmsKeyId ? { kmsKeyId: group.kmsKeyId } : {}),
      ...(group.logGroupClass ? { logGroupClass: group.logGroupClass } : {}),
      changes,
      warnings,
      calls,
    };
    return { ...base, summary: summarize(base) };
  } catch (e) {
    if (e instanceof LogGroupError) {
      if (e.done.length && e.code !== "retention-after-create") {
        const finish = `\nAlready done: ${e.done.join("; ")}. Run the same command again to finish (it is safe to repeat):\n  ${logGroupCommand(request, region)}`;
        const wrapped = new LogGroupError(e.code, `${e.message}${finish}`, { exitCode: e.exitCode, calls: e.calls, done: e.done, ...(e.awsError ? { awsError: e.awsError } : {}) });
        throw wrapped;
      }
      throw e;
    }
    throw fail(e, calls.at(-1)?.operation ?? "DescribeLogGroups");
  } finally {
    client.destroy();
    restoreProfile();
  }
}

/** Set (or leave) one environment variable for the duration of a call; returns the undo. */
function scopeEnv(name: string, value: string | undefined): () => void {
  if (value === undefined) return () => undefined;
  const had = Object.prototype.hasOwnProperty.call(process.env, name);
  const before = process.env[name];
  process.env[name] = value;
  return () => {
    if (had) process.env[name] = before;
    else delete process.env[name];
  };
}
