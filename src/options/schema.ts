/**
 * The one options schema. Every option's flag, type, default, validation, prompt text and help text live here;
 * argv parsing, the answers file, prompts, `--help`, the README flag table and the JSON summary all read it.
 */
import { FARGATE_CPU_VALUES, FARGATE_MEMORY_MAX, FARGATE_MEMORY_MIN, fargateSizeError, validMemoryFor } from "../fargate/sizes.js";
import { RETENTION_DAYS, logGroupNameError, parseRetention, type Retention, kmsKeyArnError } from "../fargate/log-group.js";
import { isRegion, regionError } from "../fargate/regions.js";
import { STOP_TIMEOUT_MAX, STOP_TIMEOUT_MIN } from "../fargate/timings.js";

export const DISCOVERY_MODES = ["alb", "cloudmap", "none"] as const;
export type Discovery = (typeof DISCOVERY_MODES)[number];
export const ARCHITECTURES = ["x86_64", "arm64"] as const;
export type Arch = (typeof ARCHITECTURES)[number];
export const LOG_MODES = ["non-blocking", "blocking"] as const;
export type LogMode = (typeof LOG_MODES)[number];
export const SCALE_METRICS = ["cpu", "memory", "requests"] as const;
export type ScaleMetric = (typeof SCALE_METRICS)[number];
export const PACKAGE_MANAGERS = ["npm", "pnpm", "yarn"] as const;
export type PackageManager = (typeof PACKAGE_MANAGERS)[number];

export interface Secret {
  /** Environment variable name inside the container. */
  name: string;
  /** Secrets Manager secret ARN or SSM parameter ARN. */
  valueFrom: string;
}

/** Everything that shapes the generated project. */
export interface ServiceOptions {
  directory: string;
  name: string;
  discovery: Discovery;
  namespace: string;
  port: number;
  cpu: number;
  memory: number;
  arch: Arch;
  region: string;
  accountId: string | undefined;
  logGroup: string;
  logRetention: Retention;
  logMode: LogMode;
  createLogGroup: boolean;
  tracing: boolean;
  minTasks: number;
  maxTasks: number;
  scaleOn: ScaleMetric;
  cpuTarget: number;
  memoryTarget: number;
  requestsTarget: number;
  spot: boolean;
  exec: boolean;
  secrets: Secret[];
  secretsKmsKey: string | undefined;
  stopTimeout: number;
  metricsInterval: number;
}

/** How this run behaves (not part of the generated project). */
export interface RunOptions {
  yes: boolean;
  interactive: boolean | undefined;
  force: boolean;
  dryRun: boolean;
  install: boolean;
  git: boolean;
  packageManager: PackageManager;
  json: boolean;
}

export type AllOptions = ServiceOptions & RunOptions;
export type OptionKey = keyof AllOptions;

export type OptionKind = "string" | "integer" | "boolean" | "enum" | "list";

export interface PromptSpec {
  type: "input" | "select" | "confirm" | "number";
  message: string;
  /** Pre-filled answer when the option has no default of its own. */
  suggestion?: string;
}

export interface OptionSpec<T> {
  /** Long flag without dashes, e.g. "log-retention". For booleans a `--no-<flag>` form also exists. */
  flag: string;
  short?: string;
  /** Value placeholder in help, e.g. "<units>". Booleans have none. */
  arg?: string;
  kind: OptionKind;
  choices?: readonly string[];
  description: string;
  /** Help text for the default, e.g. "basename of directory". */
  defaultLabel?: string;
  /** The default, computed from what is already known. `undefined` = no default (required unless --yes). */
  default: (known: Partial<AllOptions>, env: NodeJS.ProcessEnv) => T | undefined;
  /** Turns a raw string (argv, prompt answer) or JSON value (answers file) into a value, or throws a UsageError-ready message. */
  parse: (raw: unknown) => T;
  /** Checks a parsed value; returns a message naming the value and what is allowed. */
  validate?: (value: T) => string | undefined;
  /** Asked interactively when not given. */
  prompt?: PromptSpec;
  /** Not part of the generated project (run behaviour) when "run". */
  group: "service" | "run";
  /** Without a TTY and without --yes, a missing value is a usage error (exit 2). */
  required?: boolean;
  /** Flags that mean the same thing (e.g. --skip-install = --no-install). */
  negativeAliases?: string[];
}

export class OptionValueError extends Error {
  override name = "OptionValueError";
}

// ---------------------------------------------------------------------------------------------------------------
// Parsers: each names the value and what is allowed.

function asString(flag: string, raw: unknown): string {
  if (typeof raw === "string") return raw;
  if (typeof raw === "number" || typeof raw === "boolean") return String(raw);
  throw new OptionValueError(`--${flag}: expected a string, got ${JSON.stringify(raw)}`);
}

function integer(flag: string, min: number, max: number) {
  return (raw: unknown): number => {
    const s = asString(flag, raw).trim();
    if (!/^-?\d+$/.test(s)) throw new OptionValueError(`--${flag} "${s}" is not a whole number; allowed: ${min}–${max}`);
    const n = Number(s);
    if (n < min || n > max) throw new OptionValueError(`--${flag} ${n} is out of range; allowed: ${min}–${max}`);
    return n;
  };
}

function oneOf<T extends string>(flag: string, choices: readonly T[]) {
  return (raw: unknown): T => {
    const s = asString(flag, raw).trim();
    const lower = s.toLowerCase();
    const found = choices.find((c) => c === lower || c.replace(/_/g, "-") === lower.replace(/_/g, "-"));
    if (!found) throw new OptionValueError(`--${flag} "${s}" is not allowed; use one of: ${choices.join(", ")}`);
    return found;
  };
}

function bool(flag: string) {
  return (raw: unknown): boolean => {
    if (typeof raw === "boolean") return raw;
    const s = asString(flag, raw).trim().toLowerCase();
    if (["true", "yes", "y", "1", "on"].includes(s)) return true;
    if (["false", "no", "n", "0", "off"].includes(s)) return false;
    throw new OptionValueError(`--${flag} "${s}" is not a boolean; use true or false`);
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Names

/** Every AWS name we derive ("<name>-tg" for target groups, etc.) fits the 32-character ELB limit. */
export const MAX_SERVICE_NAME = 28;
const SERVICE_NAME = /^[a-z][a-z0-9-]*$/;

export function serviceNameError(name: string): string | undefined {
  if (!SERVICE_NAME.test(name)) {
    return `--name "${name}" is not allowed; use lowercase letters, digits and "-", starting with a letter`;
  }
  if (name.length > MAX_SERVICE_NAME) {
    return `--name "${name}" is ${name.length} characters; at most ${MAX_SERVICE_NAME} so every AWS name derived from it fits`;
  }
  if (name.endsWith("-") || name.includes("--")) {
    return `--name "${name}" may not end with "-" or contain "--" (load balancer names forbid it)`;
  }
  return undefined;
}

/** "My Cool_Service!" → "my-cool-service"; the best valid name for a directory basename. */
export function repairServiceName(raw: string): string {
  let name = raw
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^[^a-z]+/, "")
    .slice(0, MAX_SERVICE_NAME)
    .replace(/-+$/, "");
  if (!name) name = "fargate-service";
  return name;
}

export function basenameOf(directory: string, cwd = process.cwd()): string {
  const parts = (directory === "." ? cwd : directory).split(/[\\/]+/).filter(Boolean);
  return parts[parts.length - 1] ?? "fargate-service";
}

const ACCOUNT_ID = /^\d{12}$/;
/** The same pattern the stack's NamespaceName parameter allows. */
const DNS_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;
const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SECRET_ARN = /^arn:aws[a-z-]*:(secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+|ssm:[a-z0-9-]+:\d{12}:parameter\/[A-Za-z0-9/_.-]+)$/;

export function parseSecret(raw: unknown): Secret {
  if (typeof raw === "object" && raw !== null && "name" in raw && "valueFrom" in raw) {
    return parseSecret(`${String((raw as Secret).name)}=${String((raw as Secret).valueFrom)}`);
  }
  const s = asString("secret", raw);
  const eq = s.indexOf("=");
  const name = eq > 0 ? s.slice(0, eq) : "";
  const valueFrom = eq > 0 ? s.slice(eq + 1) : "";
  if (!SECRET_NAME.test(name)) {
    throw new OptionValueError(`--secret "${s}": expected NAME=ARN where NAME is an environment variable name (letters, digits, _)`);
  }
  if (!SECRET_ARN.test(valueFrom)) {
    throw new OptionValueError(
      `--secret "${s}": "${valueFrom}" is not a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>) ` +
        `or SSM parameter ARN (arn:aws:ssm:<region>:<account>:parameter/<name>)`,
    );
  }
  return { name, valueFrom };
}

export function defaultRegion(env: NodeJS.ProcessEnv): string {
  return env.AWS_REGION || env.AWS_DEFAULT_REGION || "us-east-1";
}

/** npm_config_user_agent = "pnpm/9.1.0 npm/? node/v20.20.2 linux x64" → "pnpm". */
export function detectPackageManager(userAgent: string | undefined): PackageManager {
  const name = userAgent?.split(" ")[0]?.split("/")[0];
  return (PACKAGE_MANAGERS as readonly string[]).includes(name ?? "") ? (name as PackageManager) : "npm";
}

// ---------------------------------------------------------------------------------------------------------------
// The schema

type Schema = { [K in OptionKey]: OptionSpec<AllOptions[K]> };

export const SCHEMA: Schema = {
  directory: {
    flag: "directory",
    kind: "string",
    description: 'Target directory ("." = current directory); given as the first argument',
    defaultLabel: "asked; with --yes: fargate-service",
    default: (known) => (known.yes ? "fargate-service" : undefined),
    parse: (raw) => asString("directory", raw).trim(),
    validate: (v) => (v.length === 0 ? "directory must not be empty" : undefined),
    prompt: { type: "input", message: "Where should the service be created?", suggestion: "fargate-service" },
    group: "service",
    required: true,
  },
  name: {
    flag: "name",
    arg: "<name>",
    kind: "string",
    description: `Service name: lowercase letters, digits and "-", starting with a letter, at most ${MAX_SERVICE_NAME} characters`,
    defaultLabel: "basename of directory, repaired to that form",
    default: (known) => (known.directory ? repairServiceName(basenameOf(known.directory)) : undefined),
    parse: (raw) => asString("name", raw).trim(),
    validate: serviceNameError,
    prompt: { type: "input", message: "Service name" },
    group: "service",
  },
  discovery: {
    flag: "discovery",
    arg: "<mode>",
    kind: "enum",
    choices: DISCOVERY_MODES,
    description: "alb (internet-facing load balancer) | cloudmap (private DNS via Cloud Map) | none (worker, no inbound)",
    default: () => "alb",
    parse: oneOf("discovery", DISCOVERY_MODES),
    prompt: { type: "select", message: "How do clients reach the service?" },
    group: "service",
  },
  namespace: {
    flag: "namespace",
    arg: "<dns-name>",
    kind: "string",
    description: "Private DNS namespace for --discovery cloudmap: other services call <name>.<namespace>",
    // ICANN reserves ".internal" for private use, so it never collides with a public name.
    default: () => "internal",
    parse: (raw) => asString("namespace", raw).trim().toLowerCase(),
    validate: (v) =>
      DNS_NAME.test(v) && v.length <= 253
        ? undefined
        : `--namespace "${v}" is not a DNS name; use lowercase labels of letters, digits and "-" separated by ".", e.g. internal or svc.example.internal`,
    group: "service",
  },
  port: {
    flag: "port",
    arg: "<port>",
    kind: "integer",
    description: "Container port (1024–65535)",
    default: () => 8080,
    parse: integer("port", 1024, 65535),
    group: "service",
  },
  cpu: {
    flag: "cpu",
    arg: "<units>",
    kind: "enum",
    choices: FARGATE_CPU_VALUES.map(String),
    description: `Task CPU units: ${FARGATE_CPU_VALUES.join(", ")} (1024 = 1 vCPU)`,
    defaultLabel: "256, or the smallest that allows --memory",
    default: (known) =>
      known.memory === undefined ? 256 : (FARGATE_CPU_VALUES.find((c) => validMemoryFor(c).includes(known.memory!)) ?? 256),
    parse: (raw) => Number(oneOf("cpu", FARGATE_CPU_VALUES.map(String))(raw)),
    prompt: { type: "select", message: "Task CPU (units, 1024 = 1 vCPU)" },
    group: "service",
  },
  memory: {
    flag: "memory",
    arg: "<MiB>",
    kind: "integer",
    description: "Task memory in MiB; must be a valid Fargate pair with --cpu",
    defaultLabel: "512 (the smallest valid for --cpu)",
    default: (known) => validMemoryFor(known.cpu ?? 256)[0],
    parse: integer("memory", FARGATE_MEMORY_MIN, FARGATE_MEMORY_MAX),
    prompt: { type: "select", message: "Task memory (MiB)" },
    group: "service",
  },
  arch: {
    flag: "arch",
    arg: "<arch>",
    kind: "enum",
    choices: ARCHITECTURES,
    description: "CPU architecture of the task and the image: x86_64 | arm64 (Graviton, cheaper per vCPU)",
    default: () => "x86_64",
    parse: oneOf("arch", ARCHITECTURES),
    prompt: { type: "select", message: "CPU architecture" },
    group: "service",
  },
  region: {
    flag: "region",
    arg: "<region>",
    kind: "string",
    description: "AWS region code, e.g. eu-west-1",
    defaultLabel: "AWS_REGION, else AWS_DEFAULT_REGION, else us-east-1",
    default: (_known, env) => defaultRegion(env),
    parse: (raw) => asString("region", raw).trim(),
    validate: regionError,
    prompt: { type: "input", message: "AWS region" },
    group: "service",
  },
  accountId: {
    flag: "account-id",
    arg: "<id>",
    kind: "string",
    description: "12-digit AWS account ID, written into the ARNs of ecs/*.json (the stack needs none)",
    defaultLabel: "AWS_ACCOUNT_ID, else filled in at deploy time",
    default: (_known, env) => (env.AWS_ACCOUNT_ID && ACCOUNT_ID.test(env.AWS_ACCOUNT_ID) ? env.AWS_ACCOUNT_ID : undefined),
    parse: (raw) => asString("account-id", raw).trim(),
    validate: (v) => (v === undefined || ACCOUNT_ID.test(v) ? undefined : `--account-id "${v}" is not a 12-digit AWS account ID`),
    group: "service",
  },
  logGroup: {
    flag: "log-group",
    arg: "<name>",
    kind: "string",
    description: "CloudWatch Logs group name (1–512 of a-z A-Z 0-9 . - _ / #)",
    defaultLabel: "/ecs/<name>",
    default: (known) => (known.name ? `/ecs/${known.name}` : undefined),
    parse: (raw) => asString("log-group", raw).trim(),
    validate: (v) => {
      const e = logGroupNameError(v);
      return e ? `--log-group: ${e}` : undefined;
    },
    group: "service",
  },
  logRetention: {
    flag: "log-retention",
    arg: "<days>",
    kind: "enum",
    choices: [...RETENTION_DAYS.map(String), "never"],
    description: `Log retention in days (${RETENTION_DAYS.join(", ")}) or never`,
    default: () => 30,
    parse: (raw) => {
      const r = parseRetention(asString("log-retention", raw).trim());
      if (r === undefined) {
        throw new OptionValueError(
          `--log-retention "${String(raw)}" is not allowed; use one of: ${RETENTION_DAYS.join(", ")}, or never`,
        );
      }
      return r;
    },
    prompt: { type: "select", message: "Log retention (days)" },
    group: "service",
  },
  logMode: {
    flag: "log-mode",
    arg: "<mode>",
    kind: "enum",
    choices: LOG_MODES,
    description: "awslogs delivery: non-blocking (never stalls the app; may drop logs if the buffer fills) | blocking",
    default: () => "non-blocking",
    parse: oneOf("log-mode", LOG_MODES),
    group: "service",
  },
  createLogGroup: {
    flag: "create-log-group",
    kind: "boolean",
    description: "Create the log group now with the AWS SDK (the stack then uses it instead of creating one)",
    default: () => false,
    parse: bool("create-log-group"),
    group: "service",
  },
  tracing: {
    flag: "tracing",
    kind: "boolean",
    description: "OpenTelemetry tracing through an AWS Distro for OpenTelemetry collector sidecar",
    default: () => false,
    parse: bool("tracing"),
    prompt: { type: "confirm", message: "Add OpenTelemetry tracing (ADOT collector sidecar)?" },
    group: "service",
  },
  minTasks: {
    flag: "min-tasks",
    arg: "<n>",
    kind: "integer",
    description: "Autoscaling minimum number of tasks (1–1000)",
    default: () => 1,
    parse: integer("min-tasks", 1, 1000),
    group: "service",
  },
  maxTasks: {
    flag: "max-tasks",
    arg: "<n>",
    kind: "integer",
    description: "Autoscaling maximum number of tasks (1–1000, ≥ --min-tasks)",
    default: (known) => Math.max(4, known.minTasks ?? 1),
    defaultLabel: "4",
    parse: integer("max-tasks", 1, 1000),
    group: "service",
  },
  scaleOn: {
    flag: "scale-on",
    arg: "<metric>",
    kind: "enum",
    choices: SCALE_METRICS,
    description: "Target-tracking metric: cpu | memory | requests (requests per target; alb only)",
    default: () => "cpu",
    parse: oneOf("scale-on", SCALE_METRICS),
    group: "service",
  },
  cpuTarget: {
    flag: "cpu-target",
    arg: "<percent>",
    kind: "integer",
    description: "Target average CPU % for --scale-on cpu (10–90)",
    default: () => 70,
    parse: integer("cpu-target", 10, 90),
    group: "service",
  },
  memoryTarget: {
    flag: "memory-target",
    arg: "<percent>",
    kind: "integer",
    description: "Target average memory % for --scale-on memory (10–90)",
    default: () => 75,
    parse: integer("memory-target", 10, 90),
    group: "service",
  },
  requestsTarget: {
    flag: "requests-target",
    arg: "<n>",
    kind: "integer",
    description: "Target requests per task per minute for --scale-on requests (1–1000000)",
    default: () => 1000,
    parse: integer("requests-target", 1, 1_000_000),
    group: "service",
  },
  spot: {
    flag: "spot",
    kind: "boolean",
    description: "Run on FARGATE_SPOT with a base of one on-demand FARGATE task",
    default: () => false,
    parse: bool("spot"),
    group: "service",
  },
  exec: {
    flag: "exec",
    kind: "boolean",
    description: "Enable ECS Exec (aws ecs execute-command) with the permissions and writable paths it needs",
    default: () => false,
    parse: bool("exec"),
    group: "service",
  },
  secrets: {
    flag: "secret",
    arg: "<NAME=ARN>",
    kind: "list",
    description: "Inject a secret as env var NAME from a Secrets Manager or SSM parameter ARN (repeatable)",
    defaultLabel: "none",
    default: () => [],
    parse: (raw) => (Array.isArray(raw) ? raw : [raw]).map(parseSecret),
    validate: (list) => {
      const names = list.map((s) => s.name);
      const dup = names.find((n, i) => names.indexOf(n) !== i);
      return dup ? `--secret: "${dup}" is given more than once` : undefined;
    },
    group: "service",
  },
  secretsKmsKey: {
    flag: "secrets-kms-key",
    arg: "<arn>",
    kind: "string",
    description: "Customer-managed KMS key ARN that encrypts the secrets (adds kms:Decrypt on that key only)",
    defaultLabel: "none (AWS-managed key)",
    default: () => undefined,
    parse: (raw) => asString("secrets-kms-key", raw).trim(),
    validate: (v) => (v === undefined ? undefined : kmsKeyArnError(v) && `--secrets-kms-key: ${kmsKeyArnError(v)}`),
    group: "service",
  },
  stopTimeout: {
    flag: "stop-timeout",
    arg: "<seconds>",
    kind: "integer",
    description: `Seconds between SIGTERM and SIGKILL (${STOP_TIMEOUT_MIN}–${STOP_TIMEOUT_MAX}); the app drains within it`,
    default: () => 30,
    parse: integer("stop-timeout", STOP_TIMEOUT_MIN, STOP_TIMEOUT_MAX),
    group: "service",
  },
  metricsInterval: {
    flag: "metrics-interval",
    arg: "<seconds>",
    kind: "integer",
    description: "How often the service writes task metrics (CPU, memory, network) as CloudWatch EMF (10–3600)",
    default: () => 60,
    parse: integer("metrics-interval", 10, 3600),
    group: "service",
  },

  // --- run behaviour -------------------------------------------------------------------------------------------
  yes: {
    flag: "yes",
    short: "y",
    kind: "boolean",
    description: "Use defaults for everything not given; never prompt",
    default: () => false,
    parse: bool("yes"),
    group: "run",
  },
  interactive: {
    flag: "interactive",
    kind: "boolean",
    description: "Force prompts on or off",
    defaultLabel: "on when stdin and stdout are terminals and not in CI",
    default: () => undefined,
    parse: bool("interactive"),
    group: "run",
  },
  force: {
    flag: "force",
    short: "f",
    kind: "boolean",
    description: "Write into a non-empty directory: overwrite colliding files, keep all others, never touch .git",
    default: () => false,
    parse: bool("force"),
    group: "run",
  },
  dryRun: {
    flag: "dry-run",
    kind: "boolean",
    description: "Print the files and steps that would be written and run; write nothing",
    default: () => false,
    parse: bool("dry-run"),
    group: "run",
  },
  install: {
    flag: "install",
    kind: "boolean",
    description: "Install dependencies after writing (--no-install or --skip-install to skip)",
    default: () => true,
    parse: bool("install"),
    negativeAliases: ["skip-install"],
    group: "run",
  },
  git: {
    flag: "git",
    kind: "boolean",
    description: "git init with one initial commit (skipped inside an existing work tree)",
    default: () => true,
    parse: bool("git"),
    group: "run",
  },
  packageManager: {
    flag: "package-manager",
    arg: "<pm>",
    kind: "enum",
    choices: PACKAGE_MANAGERS,
    description: "Package manager for install and next steps: npm | pnpm | yarn",
    defaultLabel: "the one running this command (npm_config_user_agent), else npm",
    default: (_known, env) => detectPackageManager(env.npm_config_user_agent),
    parse: oneOf("package-manager", PACKAGE_MANAGERS),
    group: "run",
  },
  json: {
    flag: "json",
    kind: "boolean",
    description: "Print one JSON object with the options, files and steps (progress still goes to stderr)",
    default: () => false,
    parse: bool("json"),
    group: "run",
  },
};

export const OPTION_KEYS = Object.keys(SCHEMA) as OptionKey[];
export const SERVICE_OPTION_KEYS = OPTION_KEYS.filter((k) => SCHEMA[k].group === "service") as Array<keyof ServiceOptions>;

/** Resolution order: defaults are computed in this order so later defaults can read earlier values. */
export const RESOLUTION_ORDER: OptionKey[] = [
  "yes", "interactive", "force", "dryRun", "install", "git", "packageManager", "json",
  "directory", "name", "discovery", "namespace", "port", "cpu", "memory", "arch", "region", "accountId",
  "logGroup", "logRetention", "logMode", "createLogGroup", "tracing",
  "minTasks", "maxTasks", "scaleOn", "cpuTarget", "memoryTarget", "requestsTarget",
  "spot", "exec", "secrets", "secretsKmsKey", "stopTimeout", "metricsInterval",
];

/** Rules that involve more than one option. Each returns a message naming the values and what is allowed. */
export function crossFieldErrors(o: AllOptions): string[] {
  const errors: string[] = [];
  const size = fargateSizeError(o.cpu, o.memory);
  if (size) errors.push(`--cpu/--memory: ${size}`);
  if (o.minTasks > o.maxTasks) errors.push(`--min-tasks ${o.minTasks} is greater than --max-tasks ${o.maxTasks}`);
  if (o.scaleOn === "requests" && o.discovery !== "alb") {
    errors.push(`--scale-on requests needs --discovery alb (request counts come from the load balancer); got --discovery ${o.discovery}`);
  }
  if (o.secretsKmsKey && o.secrets.length === 0) errors.push("--secrets-kms-key is only used with --secret");
  if (o.arch === "arm64" && o.spot) {
    // Fargate Spot supports ARM64 since 2024 (Linux); nothing to refuse.
  }
  if (!isRegion(o.region)) errors.push(regionError(o.region) ?? `--region "${o.region}" is not valid`);
  return errors;
}

export function pickServiceOptions(o: AllOptions): ServiceOptions {
  return Object.fromEntries(SERVICE_OPTION_KEYS.map((k) => [k, o[k]])) as unknown as ServiceOptions;
}
