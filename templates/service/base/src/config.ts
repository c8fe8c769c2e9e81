/**
 * Configuration comes from the environment only and is validated once, at start.
 * On ECS the task definition (ecs/task-definition.json) sets these variables; the defaults below are the values
 * create-fargate-service derived for this service, so a local run behaves like the deployed one.
 */

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  /** PORT: the HTTP port, bound on 0.0.0.0. */
  port: number;
  /** LOG_LEVEL: the lowest level written to stdout. */
  logLevel: LogLevel;
  /** SERVICE_NAME: written on every log line and used as the metrics dimension when ECS does not report one. */
  serviceName: string;
  /**
   * SHUTDOWN_DELAY_MS: after SIGTERM, keep serving (not ready, `Connection: close`) this long before closing the
   * listener. Defaults to 0 off ECS: nothing routes traffic to a laptop, and `npm run dev` restarts at once.
   */
  shutdownDelayMs: number;
  /** DRAIN_TIMEOUT_MS: the process has exited this long after SIGTERM, whatever is still in flight. */
  drainTimeoutMs: number;
  /** METRICS_INTERVAL_SECONDS: how often task metrics are written as CloudWatch embedded metric format. */
  metricsIntervalSeconds: number;
  /** ECS_CONTAINER_METADATA_URI_V4: injected by ECS; absent when running locally (task metrics are then off). */
  metadataUri: string | undefined;
}

/** The values derived for this service; on ECS the task definition sets the same ones. */
export const DEFAULTS = {
  port: {{port}},
  logLevel: "info",
  serviceName: "{{name}}",
  shutdownDelayMs: {{timings.shutdownDelayMs}},
  drainTimeoutMs: {{timings.drainBudgetMs}},
  metricsIntervalSeconds: {{metricsInterval}},
} as const satisfies Omit<Config, "metadataUri">;

/** Fargate's longest stopTimeout is 120 s; nothing after SIGTERM can take longer than that. */
const MAX_SHUTDOWN_MS = 120_000;

export interface ConfigProblem {
  variable: string;
  value: string;
  message: string;
}

export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map((p) => p.message).join("; "));
  }
}

type Env = Record<string, string | undefined>;

/** A variable that is unset or empty takes its default. */
function raw(env: Env, variable: string): string | undefined {
  const value = env[variable]?.trim();
  return value ? value : undefined;
}

class Reader {
  readonly problems: ConfigProblem[] = [];
  constructor(private readonly env: Env) {}

  problem(variable: string, value: string, message: string): void {
    this.problems.push({ variable, value, message: `${variable} ${message} (got ${JSON.stringify(value)})` });
  }

  integer(variable: string, fallback: number, min: number, max: number): number {
    const value = raw(this.env, variable);
    if (value === undefined) return fallback;
    const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      this.problem(variable, value, `must be a whole number from ${min} to ${max}`);
      return fallback;
    }
    return n;
  }

  oneOf<T extends string>(variable: string, fallback: T, choices: readonly T[]): T {
    const value = raw(this.env, variable);
    if (value === undefined) return fallback;
    const found = choices.find((c) => c === value.toLowerCase());
    if (!found) this.problem(variable, value, `must be one of ${choices.join(", ")}`);
    return found ?? fallback;
  }

  text(variable: string, fallback: string, maxLength: number): string {
    const value = raw(this.env, variable);
    if (value === undefined) return fallback;
    if (value.length > maxLength || /[\u0000-\u001f]/.test(value)) {
      this.problem(variable, value, `must be at most ${maxLength} printable characters`);
      return fallback;
    }
    return value;
  }

  url(variable: string): string | undefined {
    const value = raw(this.env, variable);
    if (value === undefined) return undefined;
    let parsed: URL | undefined;
    try {
      parsed = new URL(value);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
      this.problem(variable, value, "must be an http:// or https:// URL");
      return undefined;
    }
    return value.replace(/\/+$/, "");
  }
}

/** Reads and checks every variable; throws one ConfigError that names each bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const read = new Reader(env);
  const metadataUri = read.url("ECS_CONTAINER_METADATA_URI_V4");
  const config: Config = {
    port: read.integer("PORT", DEFAULTS.port, 1, 65535),
    logLevel: read.oneOf("LOG_LEVEL", DEFAULTS.logLevel, LOG_LEVELS),
    serviceName: read.text("SERVICE_NAME", DEFAULTS.serviceName, 255),
    shutdownDelayMs: read.integer("SHUTDOWN_DELAY_MS", metadataUri ? DEFAULTS.shutdownDelayMs : 0, 0, MAX_SHUTDOWN_MS),
    drainTimeoutMs: read.integer("DRAIN_TIMEOUT_MS", DEFAULTS.drainTimeoutMs, 1, MAX_SHUTDOWN_MS),
    metricsIntervalSeconds: read.integer("METRICS_INTERVAL_SECONDS", DEFAULTS.metricsIntervalSeconds, 1, 3600),
    metadataUri,
  };
  if (read.problems.length === 0 && config.shutdownDelayMs >= config.drainTimeoutMs) {
    read.problem(
      "SHUTDOWN_DELAY_MS",
      String(config.shutdownDelayMs),
      `must be less than DRAIN_TIMEOUT_MS (${config.drainTimeoutMs}) so in-flight requests have time to finish`,
    );
  }
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return config;
}
{{#if tracing}}

export interface TracingConfig {
  /** OTEL_SDK_DISABLED=true turns tracing off without a rebuild (any other value leaves it on, as the spec says). */
  enabled: boolean;
  /** OTEL_SERVICE_NAME, else SERVICE_NAME: the `service.name` resource attribute. */
  serviceName: string;
  /**
   * OTEL_EXPORTER_OTLP_ENDPOINT: the collector sidecar's OTLP/HTTP receiver; traces go to `<endpoint>/v1/traces`
   * (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, if set, wins). Checked here; the exporter reads the variables itself.
   */
  otlpEndpoint: string;
}

export const DEFAULT_OTLP_ENDPOINT = "http://localhost:4318";

/** The OpenTelemetry variables this service relies on, checked the same way as the others. */
export function loadTracingConfig(env: Env = process.env): TracingConfig {
  const read = new Reader(env);
  const fallbackName = read.text("SERVICE_NAME", DEFAULTS.serviceName, 255);
  read.url("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
  const config: TracingConfig = {
    enabled: raw(env, "OTEL_SDK_DISABLED")?.toLowerCase() !== "true",
    serviceName: read.text("OTEL_SERVICE_NAME", fallbackName, 255),
    otlpEndpoint: read.url("OTEL_EXPORTER_OTLP_ENDPOINT") ?? DEFAULT_OTLP_ENDPOINT,
  };
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return config;
}
{{/if}}

/**
 * The one line written when the configuration is invalid: same shape as every other log line,
 * written synchronously because the process exits right after.
 */
export function configErrorLine(err: ConfigError, serviceName = DEFAULTS.serviceName): string {
  const first = err.problems[0];
  return `${JSON.stringify({
    level: "fatal",
    time: new Date().toISOString(),
    service: serviceName,
    msg: `invalid configuration: ${err.message}`,
    variable: first?.variable,
    problems: err.problems,
  })}\n`;
}
