/**
 * The ECS task definition, built once as a RegisterTaskDefinition request. ecs/task-definition.json is this
 * object with literal values; the stack's AWS::ECS::TaskDefinition is the same object built with the stack scope
 * and converted to CloudFormation (see scope.ts).
 *
 * Fargate rules applied here (ECS developer guide, "Amazon ECS task definition parameters for Fargate"): FARGATE + awsvpc + task-level cpu/memory from the one sizes
 * table (already validated), runtimePlatform LINUX + the chosen arch, awslogs with group/region/stream-prefix and
 * an explicit mode, a container health check the slim image can run (node, no curl), stopTimeout from the one
 * timings module, read-only root filesystem with writable bind-mount volumes (Fargate has no tmpfs), init process.
 */
import type { ServiceContext } from "../context.js";
import type {
  ContainerDefinition,
  KeyValuePair,
  LogConfiguration,
  MountPoint,
  RegisterTaskDefinitionInput,
  Volume,
} from "./aws-types.js";
import { imageRepositoryUri, type Scope } from "./scope.js";

/** ADOT collector image, pinned. Bump deliberately (and re-run test/aws). */
export const COLLECTOR_IMAGE = "public.ecr.aws/aws-observability/aws-otel-collector:v0.45.1";

/** OTLP/HTTP endpoint the app exports to; the collector listens there (same network namespace under awsvpc). */
// 127.0.0.1, not localhost: the collector binds IPv4 loopback only, and localhost may resolve to ::1 first.
export const OTLP_ENDPOINT = "http://127.0.0.1:4318";

/** awslogs stream prefixes: streams are "<prefix>/<container>/<task-id>". */
export const APP_STREAM_PREFIX = "ecs";
export const COLLECTOR_STREAM_PREFIX = "otel";

/** Buffer for awslogs non-blocking mode (logs beyond it are dropped rather than stalling the app). */
export const LOG_BUFFER_SIZE = "25m";

/** Writable paths under the read-only root filesystem, each a task bind-mount volume. */
export const TMP_VOLUME = { name: "tmp", path: "/tmp" } as const;
/**
 * ECS Exec's SSM agent writes here. AWS documents ECS Exec as unsupported with readonlyRootFilesystem; mounting
 * these three paths as writable volumes is the community-verified workaround (aws/containers-roadmap#1359,
 * aws-containers/amazon-ecs-exec-checker#71).
 */
export const EXEC_VOLUMES = [
  { name: "ssm-managed-agents", path: "/managed-agents" },
  { name: "ssm-var-lib", path: "/var/lib/amazon/ssm" },
  { name: "ssm-var-log", path: "/var/log/amazon/ssm" },
] as const;

/** Container health check: the app image ships dist/healthcheck.js (probes /healthz); the image has no curl. */
export const HEALTHCHECK_COMMAND = ["CMD", "node", "dist/healthcheck.js"];

/**
 * The collector's whole configuration (passed in AOT_CONFIG_CONTENT): OTLP/HTTP on loopback only → batch →
 * X-Ray. Traces only, so the task role needs nothing but xray:PutTraceSegments/PutTelemetryRecords (the image's
 * default config also ships metrics to CloudWatch Logs, which would need log-group permissions we don't grant;
 * the app already publishes its metrics as EMF on stdout).
 */
export const COLLECTOR_CONFIG = [
  "receivers:",
  "  otlp:",
  "    protocols:",
  "      http:",
  "        endpoint: 127.0.0.1:4318",
  "processors:",
  "  batch/traces:",
  "    timeout: 1s",
  "    send_batch_size: 50",
  "exporters:",
  "  awsxray: {}",
  "service:",
  "  pipelines:",
  "    traces:",
  "      receivers: [otlp]",
  "      processors: [batch/traces]",
  "      exporters: [awsxray]",
  "",
].join("\n");

function awslogs(ctx: ServiceContext, scope: Scope, streamPrefix: string): LogConfiguration {
  const options: Record<string, string> = {
    "awslogs-group": scope.logGroup,
    "awslogs-region": scope.region,
    "awslogs-stream-prefix": streamPrefix,
    mode: ctx.logMode,
  };
  // Docker refuses max-buffer-size unless mode is non-blocking.
  if (ctx.logMode === "non-blocking") options["max-buffer-size"] = LOG_BUFFER_SIZE;
  return { logDriver: "awslogs", options };
}

/** The app's environment: the contract with the application (PORT, LOG_LEVEL, SERVICE_NAME, timings, OTEL). */
export function appEnvironment(ctx: ServiceContext): KeyValuePair[] {
  const env: KeyValuePair[] = [
    { name: "PORT", value: String(ctx.port) },
    { name: "LOG_LEVEL", value: "info" },
    { name: "SERVICE_NAME", value: ctx.name },
    { name: "SHUTDOWN_DELAY_MS", value: String(ctx.timings.shutdownDelayMs) },
    { name: "DRAIN_TIMEOUT_MS", value: String(ctx.timings.drainBudgetMs) },
    { name: "METRICS_INTERVAL_SECONDS", value: String(ctx.metricsInterval) },
  ];
  if (ctx.tracing) {
    env.push({ name: "OTEL_SERVICE_NAME", value: ctx.name }, { name: "OTEL_EXPORTER_OTLP_ENDPOINT", value: OTLP_ENDPOINT });
  }
  return env;
}

/** Task volumes (all Fargate bind mounts on task ephemeral storage). */
export function taskVolumes(ctx: ServiceContext): Array<{ name: string; path: string }> {
  return [TMP_VOLUME, ...(ctx.exec ? EXEC_VOLUMES : [])];
}

export function buildTaskDefinition(ctx: ServiceContext, scope: Scope): RegisterTaskDefinitionInput {
  const volumes = taskVolumes(ctx);
  const mountPoints: MountPoint[] = volumes.map((v) => ({ sourceVolume: v.name, containerPath: v.path, readOnly: false }));
  const hc = ctx.timings.healthCheck;

  const app: ContainerDefinition = {
    name: ctx.names.container,
    image: `${imageRepositoryUri(scope, ctx.names.repository)}:${scope.imageTag}`,
    essential: true,
    portMappings: [{ containerPort: ctx.port, protocol: "tcp", name: "http", appProtocol: "http" }],
    environment: appEnvironment(ctx),
    ...(ctx.secrets.length ? { secrets: ctx.secrets.map((s) => ({ name: s.name, valueFrom: s.valueFrom })) } : {}),
    mountPoints,
    readonlyRootFilesystem: true,
    linuxParameters: { initProcessEnabled: true },
    stopTimeout: ctx.timings.stopTimeoutSeconds,
    healthCheck: {
      command: [...HEALTHCHECK_COMMAND],
      interval: hc.intervalSeconds,
      timeout: hc.timeoutSeconds,
      retries: hc.retries,
      startPeriod: hc.startPeriodSeconds,
    },
    logConfiguration: awslogs(ctx, scope, APP_STREAM_PREFIX),
  };

  const containers: ContainerDefinition[] = [app];
  if (ctx.tracing) {
    // The app waits for the collector to start; ECS stops dependents first, so the collector outlives the app's drain.
    app.dependsOn = [{ containerName: ctx.names.collectorContainer, condition: "START" }];
    containers.push({
      name: ctx.names.collectorContainer,
      image: COLLECTOR_IMAGE,
      // Non-essential: a collector crash must never stop the service.
      essential: false,
      environment: [{ name: "AOT_CONFIG_CONTENT", value: COLLECTOR_CONFIG }],
      mountPoints: [{ sourceVolume: TMP_VOLUME.name, containerPath: TMP_VOLUME.path, readOnly: false }],
      readonlyRootFilesystem: true,
      stopTimeout: ctx.timings.stopTimeoutSeconds,
      logConfiguration: awslogs(ctx, scope, COLLECTOR_STREAM_PREFIX),
    });
  }

  const taskVolumeList: Volume[] = volumes.map((v) => ({ name: v.name }));
  return {
    family: ctx.names.family,
    taskRoleArn: scope.taskRoleArn,
    executionRoleArn: scope.executionRoleArn,
    networkMode: "awsvpc",
    requiresCompatibilities: ["FARGATE"],
    cpu: String(ctx.cpu),
    memory: String(ctx.memory),
    runtimePlatform: { cpuArchitecture: ctx.cpuArchitecture, operatingSystemFamily: "LINUX" },
    containerDefinitions: containers,
    volumes: taskVolumeList,
  };
}
