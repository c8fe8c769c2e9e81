/**
 * The generated project's structured files, built as objects: package.json, tsconfig.json, and the sample task
 * metadata documents that scripts/fake-metadata.ts serves locally.
 */
import type { GeneratedFile, ServiceContext } from "../context.js";
import { jsonFile } from "./index.js";

/**
 * Every dependency of a generated project, pinned exactly: one place to bump them. All of them run on Node 20.19+
 * (the generated `engines`) as well as on the image's Node LTS.
 */
export const VERSIONS = {
  // JSON-lines logger. With node:http it meets the per-request CPU, cold-start and RSS goals (BENCHMARKS.md);
  // fastify (1.8× CPU, 3× cold start) and express (8× CPU) did not.
  pino: "10.4.0",

  // --tracing only. The 0.223 / 2.12 line is the last OpenTelemetry JS release that supports Node 20
  // (0.300+ requires Node 22.15). Trace SDK + OTLP/HTTP exporter + HTTP/fetch instrumentations only:
  // about 30 MB installed, against about 50 MB for @opentelemetry/sdk-node with its gRPC, metrics and logs exporters.
  "@opentelemetry/api": "1.9.1", // the API the app and logger call (trace ids on log lines); SDK 2.12 needs < 1.10
  "@opentelemetry/sdk-trace-node": "2.12.0", // tracer provider with async-hooks context propagation
  "@opentelemetry/exporter-trace-otlp-http": "0.223.0", // OTLP/HTTP to the ADOT collector sidecar on localhost:4318
  "@opentelemetry/instrumentation": "0.223.0", // registerInstrumentations + the ESM loader hook (hook.mjs)
  "@opentelemetry/instrumentation-http": "0.223.0", // server spans for node:http, client spans for http.request
  "@opentelemetry/instrumentation-undici": "0.33.0", // client spans for fetch()
  "@opentelemetry/resources": "2.12.0", // service.name + OTEL_RESOURCE_ATTRIBUTES
  "@opentelemetry/semantic-conventions": "1.45.0", // attribute name constants

  // Development only.
  "@types/node": "20.19.43", // types of the oldest supported Node line, so code runs on every supported one
  esbuild: "0.28.2", // `npm run build`: one bundle per entry point starts faster than many modules (BENCHMARKS.md)
  tsx: "4.23.15", // `npm run dev` (watch mode), the build script and the fake metadata endpoint, without a build step
  typescript: "5.9.3", // the type check in `npm run build` and `npm test`
  vitest: "4.1.12", // the project's tests (vitest 5 requires Node 22)
} as const;

type Package = keyof typeof VERSIONS;

const RUNTIME: Package[] = ["pino"];
const TRACING: Package[] = [
  "@opentelemetry/api",
  "@opentelemetry/exporter-trace-otlp-http",
  "@opentelemetry/instrumentation",
  "@opentelemetry/instrumentation-http",
  "@opentelemetry/instrumentation-undici",
  "@opentelemetry/resources",
  "@opentelemetry/sdk-trace-node",
  "@opentelemetry/semantic-conventions",
];
const DEV: Package[] = ["@types/node", "esbuild", "tsx", "typescript", "vitest"];

function sortKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function pinned(names: Package[]): Record<string, string> {
  return Object.fromEntries([...names].sort().map((name) => [name, VERSIONS[name]]));
}

/** The node arguments that load tracing before the app (ES modules are instrumented only if the hook is first). */
export function nodeArgs(ctx: ServiceContext, dir: "dist" | "src"): string {
  const ext = dir === "dist" ? "js" : "ts";
  return ctx.tracing ? `--import ./${dir}/tracing.${ext} ${dir}/server.${ext}` : `${dir}/server.${ext}`;
}

export function buildPackageJson(ctx: ServiceContext): Record<string, unknown> {
  return {
    name: ctx.name,
    version: "0.1.0",
    private: true,
    description: `${ctx.name}: a stateless Node.js service for Amazon ECS on AWS Fargate`,
    type: "module",
    engines: { node: ">=20.19.0" },
    scripts: {
      dev: `tsx watch --clear-screen=false ${nodeArgs(ctx, "src")}`,
      start: `node ${nodeArgs(ctx, "dist")}`,
      build: "tsc --noEmit && tsx scripts/build.ts",
      typecheck: "tsc --noEmit",
      // `check`: the task definition, IAM, stack and Dockerfile still agree (create-fargate-service check).
      test: "tsc --noEmit && vitest run && create-fargate-service check",
      check: "create-fargate-service check",
      "fake-metadata": "tsx scripts/fake-metadata.ts",
    },
    dependencies: pinned(ctx.tracing ? [...RUNTIME, ...TRACING] : RUNTIME),
    devDependencies: sortKeys({ ...pinned(DEV), "create-fargate-service": ctx.checkDependency }),
  };
}

const COMPILER_OPTIONS = {
  target: "ES2022",
  lib: ["ES2023"],
  module: "NodeNext",
  moduleResolution: "NodeNext",
  types: ["node"],
  strict: true,
  noUncheckedIndexedAccess: true,
  noImplicitOverride: true,
  noImplicitReturns: true,
  noFallthroughCasesInSwitch: true,
  isolatedModules: true,
  verbatimModuleSyntax: true,
  forceConsistentCasingInFileNames: true,
  skipLibCheck: true,
  noEmit: true,
};

/** One tsconfig: it type-checks everything (editor, `npm test`, `npm run build`); esbuild emits (scripts/build.ts). */
export function buildTsconfig(): Record<string, unknown> {
  return {
    compilerOptions: COMPILER_OPTIONS,
    include: ["src", "test", "scripts", "vitest.config.ts"],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Sample task metadata (scripts/metadata/*.json): shaped like the documented Fargate v4 responses
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-metadata-endpoint-v4-fargate-response.html),
// with this service's names, region and task size.

/** Sample stats: per-container rates the fake endpoint keeps constant. */
export const SAMPLE_RATES = {
  app: { vcpu: 0.05, memoryBytes: 100 * 1024 * 1024, inactiveFileBytes: 8 * 1024 * 1024 },
  collector: { vcpu: 0.01, memoryBytes: 48 * 1024 * 1024, inactiveFileBytes: 4 * 1024 * 1024 },
  network: { rxBytesPerSecond: 2048, txBytesPerSecond: 4096, rxBytes: 1_048_576, txBytes: 2_097_152 },
  /** read − preread of the sample, in seconds. */
  windowSeconds: 10,
} as const;

const SAMPLE_TASK_ID = "0123456789abcdef0123456789abcdef";
const SAMPLE_READ = "2026-01-15T10:00:10.000000000Z";
const SAMPLE_PREREAD = "2026-01-15T10:00:00.000000000Z";

interface SampleContainer {
  name: string;
  dockerId: string;
  image: string;
  rates: { vcpu: number; memoryBytes: number; inactiveFileBytes: number };
}

function sampleContainers(ctx: ServiceContext): SampleContainer[] {
  const containers: SampleContainer[] = [
    {
      name: ctx.names.container,
      dockerId: `${SAMPLE_TASK_ID}-1234567890`,
      image: `${ctx.names.repository}:latest`,
      rates: SAMPLE_RATES.app,
    },
  ];
  if (ctx.tracing) {
    containers.push({
      name: ctx.names.collectorContainer,
      dockerId: `${SAMPLE_TASK_ID}-2345678901`,
      image: "public.ecr.aws/aws-observability/aws-otel-collector",
      rates: SAMPLE_RATES.collector,
    });
  }
  return containers;
}

export function buildSampleTask(ctx: ServiceContext): Record<string, unknown> {
  const account = ctx.accountId ?? "123456789012";
  const arn = (resource: string): string => `arn:${ctx.partition}:ecs:${ctx.region}:${account}:${resource}`;
  const taskArn = arn(`task/${ctx.names.cluster}/${SAMPLE_TASK_ID}`);
  return {
    Cluster: arn(`cluster/${ctx.names.cluster}`),
    TaskARN: taskArn,
    Family: ctx.names.family,
    Revision: "1",
    ServiceName: ctx.names.service,
    DesiredStatus: "RUNNING",
    KnownStatus: "RUNNING",
    Limits: { CPU: ctx.cpu / 1024, Memory: ctx.memory },
    PullStartedAt: "2026-01-15T09:59:40.512743124Z",
    PullStoppedAt: "2026-01-15T09:59:48.097345018Z",
    AvailabilityZone: `${ctx.region}a`,
    LaunchType: "FARGATE",
    Containers: sampleContainers(ctx).map((c) => ({
      DockerId: c.dockerId,
      Name: c.name,
      DockerName: c.name,
      Image: c.image,
      ImageID: "sha256:8b4a0ab6a2f4c7f1d9d8e6c3b2a190f7e6d5c4b3a29180f7e6d5c4b3a2918f7e",
      Labels: {
        "com.amazonaws.ecs.cluster": arn(`cluster/${ctx.names.cluster}`),
        "com.amazonaws.ecs.container-name": c.name,
        "com.amazonaws.ecs.task-arn": taskArn,
        "com.amazonaws.ecs.task-definition-family": ctx.names.family,
        "com.amazonaws.ecs.task-definition-version": "1",
      },
      DesiredStatus: "RUNNING",
      KnownStatus: "RUNNING",
      Limits: { CPU: 2 },
      CreatedAt: "2026-01-15T09:59:48.322837284Z",
      StartedAt: "2026-01-15T09:59:48.829245437Z",
      Type: "NORMAL",
      LogDriver: "awslogs",
      LogOptions: {
        "awslogs-group": ctx.logGroup,
        "awslogs-region": ctx.region,
        "awslogs-stream": `ecs/${c.name}/${SAMPLE_TASK_ID}`,
      },
      ContainerARN: arn(`container/${ctx.names.cluster}/${SAMPLE_TASK_ID}/${c.dockerId.slice(0, 8)}-0000-4000-8000-000000000000`),
      Networks: [
        {
          NetworkMode: "awsvpc",
          IPv4Addresses: ["10.0.2.106"],
          AttachmentIndex: 0,
          MACAddress: "0a:1b:2c:3d:4e:5f",
          IPv4SubnetCIDRBlock: "10.0.2.0/24",
          DomainNameServers: ["10.0.0.2"],
          PrivateDNSName: `ip-10-0-2-106.${ctx.region}.compute.internal`,
          SubnetGatewayIpv4Address: "10.0.2.1/24",
        },
      ],
    })),
    EphemeralStorageMetrics: { Utilized: 261, Reserved: 20496 },
    ClockDrift: {
      ClockErrorBound: 0.4,
      ReferenceTimestamp: "2026-01-15T10:00:00Z",
      ClockSynchronizationStatus: "SYNCHRONIZED",
    },
  };
}

export function buildSampleTaskStats(ctx: ServiceContext): Record<string, unknown> {
  const windowNs = SAMPLE_RATES.windowSeconds * 1e9;
  const stats: Record<string, unknown> = {};
  for (const c of sampleContainers(ctx)) {
    const used = Math.round(c.rates.vcpu * windowNs);
    const total = 3_500_000_000 + used;
    const cpu = (totalUsage: number, systemUsage: number) => ({
      cpu_usage: {
        total_usage: totalUsage,
        percpu_usage: [Math.round(totalUsage / 2), totalUsage - Math.round(totalUsage / 2)],
        usage_in_kernelmode: Math.round(totalUsage * 0.2),
        usage_in_usermode: Math.round(totalUsage * 0.8),
      },
      system_cpu_usage: systemUsage,
      online_cpus: 2,
      throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
    });
    stats[c.dockerId] = {
      read: SAMPLE_READ,
      preread: SAMPLE_PREREAD,
      pids_stats: {},
      blkio_stats: {
        io_service_bytes_recursive: [],
        io_serviced_recursive: [],
        io_queue_recursive: [],
        io_service_time_recursive: [],
        io_wait_time_recursive: [],
        io_merged_recursive: [],
        io_time_recursive: [],
        sectors_recursive: [],
      },
      num_procs: 0,
      storage_stats: {},
      cpu_stats: cpu(total, 2_000_000_000_000 + 2 * windowNs),
      precpu_stats: cpu(total - used, 2_000_000_000_000),
      memory_stats: {
        usage: c.rates.memoryBytes,
        max_usage: c.rates.memoryBytes + 16 * 1024 * 1024,
        stats: {
          active_anon: c.rates.memoryBytes - c.rates.inactiveFileBytes,
          active_file: 0,
          cache: c.rates.inactiveFileBytes,
          inactive_anon: 0,
          inactive_file: c.rates.inactiveFileBytes,
          total_inactive_file: c.rates.inactiveFileBytes,
          rss: c.rates.memoryBytes - c.rates.inactiveFileBytes,
        },
        limit: ctx.memory * 1024 * 1024,
      },
      name: c.name,
      id: c.dockerId,
      networks: {
        eth1: {
          rx_bytes: SAMPLE_RATES.network.rxBytes,
          rx_packets: 2398,
          rx_errors: 0,
          rx_dropped: 0,
          tx_bytes: SAMPLE_RATES.network.txBytes,
          tx_packets: 1898,
          tx_errors: 0,
          tx_dropped: 0,
        },
      },
      network_rate_stats: {
        rx_bytes_per_sec: SAMPLE_RATES.network.rxBytesPerSecond,
        tx_bytes_per_sec: SAMPLE_RATES.network.txBytesPerSecond,
      },
    };
  }
  return stats;
}

/** The generated project's package.json, tsconfig.json and sample metadata documents. */
export function buildProjectDocuments(ctx: ServiceContext): GeneratedFile[] {
  return [
    jsonFile("package.json", buildPackageJson(ctx)),
    jsonFile("tsconfig.json", buildTsconfig()),
    jsonFile("scripts/metadata/task.json", buildSampleTask(ctx)),
    jsonFile("scripts/metadata/task-stats.json", buildSampleTaskStats(ctx)),
  ];
}
