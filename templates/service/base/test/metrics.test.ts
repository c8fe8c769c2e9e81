import { afterEach, describe, expect, it } from "vitest";
import { METRICS_NAMESPACE, computeTaskMetrics, parseTimestamp, startMetrics, toEmf, type MetricsPublisher } from "../src/metrics.js";
import { identityOf, limitsOf } from "../src/task-metadata.js";
import { startFakeMetadata, readSample, type FakeMetadata } from "../scripts/fake-metadata.js";
import { memoryLogger, waitFor, delay, type LogLine } from "./helpers.js";

const MIB = 1024 * 1024;

/** Two containers, 0.5 vCPU / 1024 MiB task; numbers chosen so the expected results are easy to check by hand. */
const TASK = {
  Cluster: "arn:aws:ecs:eu-west-1:123456789012:cluster/prod",
  ServiceName: "orders",
  TaskARN: "arn:aws:ecs:eu-west-1:123456789012:task/prod/0123456789abcdef0123456789abcdef",
  Family: "orders",
  Revision: "7",
  AvailabilityZone: "eu-west-1b",
  Limits: { CPU: 0.5, Memory: 1024 },
};

function container(o: {
  read: string;
  preread: string;
  cpu: number;
  precpu: number;
  usage: number;
  inactive: Record<string, number>;
  rx?: number;
  tx?: number;
}): Record<string, unknown> {
  return {
    read: o.read,
    preread: o.preread,
    cpu_stats: { cpu_usage: { total_usage: o.cpu }, online_cpus: 2 },
    precpu_stats: { cpu_usage: { total_usage: o.precpu } },
    memory_stats: { usage: o.usage, stats: o.inactive, limit: 4096 * MIB },
    networks: { eth1: { rx_bytes: o.rx ?? 10_000, tx_bytes: o.tx ?? 20_000 } },
    network_rate_stats: { rx_bytes_per_sec: 100, tx_bytes_per_sec: 200 },
  };
}

// App: 0.5 s of CPU in 10 s = 0.05 vCPU; sidecar: 0.2 s in 10 s = 0.02 vCPU. 0.07 / 0.5 vCPU = 14 %.
// Memory: (200 − 20) MiB (cgroup v2 name) + (100 − 10) MiB (cgroup v1 name) = 270 MiB of 1024 = 26.37 %.
const FIRST = {
  app: container({
    read: "2026-01-15T10:00:10.000000000Z",
    preread: "2026-01-15T10:00:00.000000000Z",
    cpu: 1_500_000_000,
    precpu: 1_000_000_000,
    usage: 200 * MIB,
    inactive: { inactive_file: 20 * MIB },
  }),
  sidecar: container({
    read: "2026-01-15T10:00:10.000000000Z",
    preread: "2026-01-15T10:00:00.000000000Z",
    cpu: 400_000_000,
    precpu: 200_000_000,
    usage: 100 * MIB,
    inactive: { total_inactive_file: 10 * MIB },
  }),
};

// 60 s later: the app used 12 s of CPU (0.2 vCPU), the sidecar 0.6 s (0.01 vCPU): 0.21 / 0.5 = 42 %.
// Network: +60 000 / +120 000 bytes in 60 s on the shared interface = 1000 / 2000 bytes per second.
const SECOND = {
  app: container({
    read: "2026-01-15T10:01:10.000000000Z",
    preread: "2026-01-15T10:01:09.000000000Z",
    cpu: 13_500_000_000,
    precpu: 13_400_000_000,
    usage: 300 * MIB,
    inactive: { inactive_file: 44 * MIB },
    rx: 70_000,
    tx: 140_000,
  }),
  sidecar: container({
    read: "2026-01-15T10:01:10.000000000Z",
    preread: "2026-01-15T10:01:09.000000000Z",
    cpu: 1_000_000_000,
    precpu: 990_000_000,
    usage: 100 * MIB,
    inactive: { total_inactive_file: 10 * MIB },
    rx: 70_000,
    tx: 140_000,
  }),
};

describe("computeTaskMetrics", () => {
  const limits = limitsOf(TASK);

  it("normalises CPU and memory to the task size; the first sample uses Docker's precpu_stats", () => {
    const { metrics } = computeTaskMetrics(FIRST, limits, undefined);
    expect(metrics).toEqual({
      CpuUtilization: 14,
      MemoryUtilization: 26.37,
      MemoryUsed: 270,
      // No previous sample of our own: the ECS agent's rates, the task's interface counted once.
      NetworkRxBytes: 100,
      NetworkTxBytes: 200,
    });
  });

  it("takes later deltas from its own previous sample", () => {
    const { sample } = computeTaskMetrics(FIRST, limits, undefined);
    const { metrics } = computeTaskMetrics(SECOND, limits, sample);
    expect(metrics.CpuUtilization).toBe(42);
    expect(metrics.MemoryUsed).toBe(346);
    expect(metrics.NetworkRxBytes).toBe(1000);
    expect(metrics.NetworkTxBytes).toBe(2000);
  });

  it("leaves out what it cannot compute, and never throws on partial documents", () => {
    expect(computeTaskMetrics(null, limits, undefined).metrics).toEqual({});
    expect(computeTaskMetrics("garbage", limits, undefined).metrics).toEqual({});
    // A container that has not started reports null; one without timestamps is skipped.
    expect(computeTaskMetrics({ a: null, b: { cpu_stats: {} } }, limits, undefined).metrics).toEqual({});
    // Without Limits there is nothing to normalise to: only absolute values.
    const noLimits = computeTaskMetrics(FIRST, {}, undefined).metrics;
    expect(noLimits.CpuUtilization).toBeUndefined();
    expect(noLimits.MemoryUtilization).toBeUndefined();
    expect(noLimits.MemoryUsed).toBe(270);
    // Docker's zero time in preread (first read ever) and zero precpu: no CPU figure yet.
    const first = { app: { ...FIRST.app, preread: "0001-01-01T00:00:00Z", precpu_stats: { cpu_usage: { total_usage: 0 } } } };
    expect(computeTaskMetrics(first, limits, undefined).metrics.CpuUtilization).toBeUndefined();
    // Missing memory_stats.stats: usage as is.
    const bare = { app: { ...FIRST.app, memory_stats: { usage: 64 * MIB } } };
    expect(computeTaskMetrics(bare, limits, undefined).metrics.MemoryUsed).toBe(64);
  });

  it("ignores counters that went backwards (a restarted container)", () => {
    const { sample } = computeTaskMetrics(SECOND, limits, undefined);
    const { metrics } = computeTaskMetrics(
      { app: { ...FIRST.app, read: "2026-01-15T10:02:10.000000000Z", preread: "2026-01-15T10:02:00.000000000Z" } },
      limits,
      sample,
    );
    // Falls back to precpu_stats of the new reading: 0.05 vCPU of 0.5.
    expect(metrics.CpuUtilization).toBe(10);
    expect(metrics.NetworkRxBytes).toBe(100);
  });

  it("computes the sample the fake endpoint serves", () => {
    const { metrics } = computeTaskMetrics(readSample("task-stats"), limitsOf(readSample("task")), undefined);
    expect(metrics.CpuUtilization).toBeGreaterThan(0);
    expect(metrics.MemoryUtilization).toBeGreaterThan(0);
    expect(metrics.NetworkRxBytes).toBeGreaterThan(0);
  });
});

describe("parseTimestamp", () => {
  it("keeps sub-millisecond precision and rejects Docker's zero time", () => {
    expect(parseTimestamp("2026-01-15T10:00:10.123456789Z")).toBeCloseTo(Date.UTC(2026, 0, 15, 10, 0, 10) + 123.456789, 5);
    expect(parseTimestamp("2026-01-15T10:00:10Z")).toBe(Date.UTC(2026, 0, 15, 10, 0, 10));
    expect(parseTimestamp("0001-01-01T00:00:00Z")).toBeUndefined();
    expect(parseTimestamp("yesterday")).toBeUndefined();
    expect(parseTimestamp(42)).toBeUndefined();
  });
});

describe("toEmf", () => {
  it("is an embedded metric format document: _aws metadata, dimensions and values at the root", () => {
    const doc = toEmf({ CpuUtilization: 14, MemoryUsed: 270 }, { ClusterName: "prod", ServiceName: "orders" }, 1_700_000_000_000);
    expect(doc).toEqual({
      _aws: {
        Timestamp: 1_700_000_000_000,
        CloudWatchMetrics: [
          {
            Namespace: METRICS_NAMESPACE,
            Dimensions: [["ClusterName", "ServiceName"]],
            Metrics: [
              { Name: "CpuUtilization", Unit: "Percent" },
              { Name: "MemoryUsed", Unit: "Megabytes" },
            ],
          },
        ],
      },
      ClusterName: "prod",
      ServiceName: "orders",
      CpuUtilization: 14,
      MemoryUsed: 270,
    });
  });
});

describe("identity", () => {
  it("reads the task ARN, id, family, revision and availability zone", () => {
    expect(identityOf(TASK)).toEqual({
      taskArn: TASK.TaskARN,
      taskId: "0123456789abcdef0123456789abcdef",
      taskFamily: "orders",
      taskRevision: "7",
      availabilityZone: "eu-west-1b",
    });
    expect(identityOf({ TaskARN: 5 })).toEqual({});
    expect(identityOf(undefined)).toEqual({});
  });
});

describe("startMetrics against a metadata endpoint", () => {
  let fake: FakeMetadata | undefined;
  let publisher: MetricsPublisher | undefined;
  afterEach(async () => {
    publisher?.stop();
    await fake?.close();
    fake = undefined;
  });

  const metricLines = (lines: LogLine[]) => lines.filter((l) => l.msg === "metrics");

  it("is off, saying so once, without ECS_CONTAINER_METADATA_URI_V4", async () => {
    const { logger, lines } = memoryLogger();
    publisher = startMetrics({ metadataUri: undefined, intervalSeconds: 0.25, logger, serviceName: "orders" });
    await delay(600);
    expect(lines.map((l) => l.msg)).toEqual(["task metrics off: ECS_CONTAINER_METADATA_URI_V4 is not set (not running on ECS)"]);
  });

  it("writes one EMF line per interval, whatever LOG_LEVEL is", async () => {
    fake = await startFakeMetadata({ task: TASK, stats: FIRST });
    const { logger, lines } = memoryLogger("error");
    publisher = startMetrics({ metadataUri: fake.uri, intervalSeconds: 0.25, logger, serviceName: "fallback" });
    const line = await waitFor(() => metricLines(lines)[0], 3000, "a metrics line");
    expect(line).toMatchObject({
      ClusterName: "prod",
      ServiceName: "orders",
      CpuUtilization: 14,
      MemoryUtilization: 26.37,
      MemoryUsed: 270,
      _aws: { CloudWatchMetrics: [{ Namespace: METRICS_NAMESPACE, Dimensions: [["ClusterName", "ServiceName"]] }] },
    });
    expect(fake.requests.filter((r) => r.endsWith("/task"))).toHaveLength(1);
  });

  it("survives an erroring endpoint: one warning, no metrics, no crash", async () => {
    fake = await startFakeMetadata({ status: 500 });
    const { logger, lines } = memoryLogger();
    publisher = startMetrics({ metadataUri: fake.uri, intervalSeconds: 0.25, logger, serviceName: "orders" });
    await waitFor(() => (fake!.requests.length >= 3 ? true : undefined), 4000, "three attempts");
    const warnings = lines.filter((l) => l.level === "warn");
    expect(warnings).toHaveLength(1);
    expect(String((warnings[0]!.err as { message: string }).message)).toContain("HTTP 500");
    expect(metricLines(lines)).toHaveLength(0);
  });

  it("gives up on a slow endpoint after its timeout", async () => {
    fake = await startFakeMetadata({ task: TASK, stats: FIRST, delayMs: 3000 });
    const { logger, lines } = memoryLogger();
    publisher = startMetrics({ metadataUri: fake.uri, intervalSeconds: 0.25, logger, serviceName: "orders" });
    const warning = await waitFor(() => lines.find((l) => l.level === "warn"), 2000, "a warning");
    expect(String((warning.err as { message: string }).message)).toContain("no response within 200 ms");
    expect(metricLines(lines)).toHaveLength(0);
  });

  it("survives an endpoint that is not there", async () => {
    const { logger, lines } = memoryLogger();
    publisher = startMetrics({ metadataUri: "http://127.0.0.1:9/v4/gone", intervalSeconds: 0.25, logger, serviceName: "orders" });
    const warning = await waitFor(() => lines.find((l) => l.level === "warn"), 2000, "a warning");
    expect(warning.msg).toContain("retrying");
  });

  it("reports what a partial document allows", async () => {
    fake = await startFakeMetadata({ task: { ...TASK, Limits: undefined }, stats: { app: FIRST.app, gone: null } });
    const { logger, lines } = memoryLogger();
    publisher = startMetrics({ metadataUri: fake.uri, intervalSeconds: 0.25, logger, serviceName: "orders" });
    const line = await waitFor(() => metricLines(lines)[0], 3000, "a metrics line");
    expect(line.MemoryUsed).toBe(180);
    expect(line.CpuUtilization).toBeUndefined();
    expect(line.MemoryUtilization).toBeUndefined();
  });
});
