/**
 * Task metrics as CloudWatch embedded metric format (EMF): every METRICS_INTERVAL_SECONDS the service reads
 * ${ECS_CONTAINER_METADATA_URI_V4}/task/stats and writes one JSON line to stdout. The awslogs driver ships it to
 * CloudWatch Logs, which turns it into metrics: no agent, no sidecar, no extra IAM permission.
 *
 * Namespace "FargateService", dimensions ClusterName + ServiceName. Utilization is normalised to the task size
 * (`Limits` from ${ECS_CONTAINER_METADATA_URI_V4}/task), the same basis as the ECS service metrics that autoscaling uses:
 *   CpuUtilization    = Σ containers ΔcpuUsage(ns) / (Δread(ns) × Limits.CPU) × 100            Percent
 *   MemoryUtilization = Σ containers (usage − inactive_file) / (Limits.Memory × 1 MiB) × 100   Percent
 *   MemoryUsed        = Σ containers (usage − inactive_file) / 1 MiB                           Megabytes
 *   NetworkRxBytes, NetworkTxBytes: task network bytes per second                              Bytes/Second
 * Deltas are taken between this process's own consecutive samples (Docker's precpu_stats is only a fallback
 * for the first one). A metric that cannot be computed from what the endpoint returned is left out of the line.
 */
import { getJson, isRecord, limitsOf, placementOf, type TaskLimits } from "./task-metadata.js";
import type { Logger } from "./logger.js";

export const METRICS_NAMESPACE = "FargateService";

const MIB = 1024 * 1024;

/** Counters of one container at one instant, kept to compute the next deltas. */
interface ContainerSample {
  /** `read` in epoch milliseconds, with sub-millisecond precision. */
  readMs: number;
  cpuNs?: number;
  rxBytes?: number;
  txBytes?: number;
}

export type TaskSample = Map<string, ContainerSample>;

export interface TaskMetrics {
  CpuUtilization?: number;
  MemoryUtilization?: number;
  MemoryUsed?: number;
  NetworkRxBytes?: number;
  NetworkTxBytes?: number;
}

export const METRIC_UNITS: Record<keyof TaskMetrics, string> = {
  CpuUtilization: "Percent",
  MemoryUtilization: "Percent",
  MemoryUsed: "Megabytes",
  NetworkRxBytes: "Bytes/Second",
  NetworkTxBytes: "Bytes/Second",
};

function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** RFC 3339 with nanoseconds ("2024-05-01T10:00:00.123456789Z") → epoch ms; Docker's zero time → undefined. */
export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const match = /^(.+T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(value);
  if (!match) return undefined;
  const seconds = Date.parse(`${match[1]}${match[3]}`);
  if (!Number.isFinite(seconds) || seconds <= 0) return undefined;
  const fraction = match[2] ? Number(`0.${match[2]}`) * 1000 : 0;
  return seconds + fraction;
}

function path(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** Bytes in use: Docker's definition excludes the page cache that can be reclaimed (cgroup v1 and v2 names). */
function memoryUsed(stats: Record<string, unknown>): number | undefined {
  const usage = num(path(stats, "memory_stats", "usage"));
  if (usage === undefined) return undefined;
  const inactive =
    num(path(stats, "memory_stats", "stats", "total_inactive_file")) ??
    num(path(stats, "memory_stats", "stats", "inactive_file")) ??
    0;
  return Math.max(0, usage - inactive);
}

function networkTotals(stats: Record<string, unknown>): { rx: number; tx: number } | undefined {
  const networks = stats.networks;
  if (!isRecord(networks)) return undefined;
  let rx = 0;
  let tx = 0;
  let seen = false;
  for (const iface of Object.values(networks)) {
    const r = num(path(iface, "rx_bytes"));
    const t = num(path(iface, "tx_bytes"));
    if (r === undefined || t === undefined) continue;
    rx += r;
    tx += t;
    seen = true;
  }
  return seen ? { rx, tx } : undefined;
}

function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/**
 * Computes the task's metrics from a /task/stats document and the previous sample; returns the new sample.
 * Pure: no I/O, no clock.
 */
export function computeTaskMetrics(
  stats: unknown,
  limits: TaskLimits,
  previous: TaskSample | undefined,
): { metrics: TaskMetrics; sample: TaskSample } {
  const sample: TaskSample = new Map();
  const metrics: TaskMetrics = {};
  if (!isRecord(stats)) return { metrics, sample };

  let vcpus = 0;
  let cpuKnown = false;
  let memory = 0;
  let memoryKnown = false;
  let rxRate: number | undefined;
  let txRate: number | undefined;

  for (const [dockerId, container] of Object.entries(stats)) {
    // A container that has not started (or has stopped) reports null.
    if (!isRecord(container)) continue;
    const readMs = parseTimestamp(container.read);
    if (readMs === undefined) continue;
    const current: ContainerSample = { readMs };
    const before = previous?.get(dockerId);

    const cpuNs = num(path(container, "cpu_stats", "cpu_usage", "total_usage"));
    if (cpuNs !== undefined) {
      current.cpuNs = cpuNs;
      let deltaNs: number | undefined;
      let windowMs: number | undefined;
      if (before?.cpuNs !== undefined && readMs > before.readMs && cpuNs >= before.cpuNs) {
        deltaNs = cpuNs - before.cpuNs;
        windowMs = readMs - before.readMs;
      } else {
        // First sample of this container: Docker's own previous reading, when it has one.
        const preNs = num(path(container, "precpu_stats", "cpu_usage", "total_usage"));
        const preMs = parseTimestamp(container.preread);
        if (preNs !== undefined && preNs > 0 && preMs !== undefined && readMs > preMs && cpuNs >= preNs) {
          deltaNs = cpuNs - preNs;
          windowMs = readMs - preMs;
        }
      }
      if (deltaNs !== undefined && windowMs !== undefined) {
        vcpus += deltaNs / (windowMs * 1e6);
        cpuKnown = true;
      }
    }

    const used = memoryUsed(container);
    if (used !== undefined) {
      memory += used;
      memoryKnown = true;
    }

    // Containers of a Fargate task share one network namespace: every container reports the task's interface,
    // so the task's traffic is the largest reading, not the sum.
    const net = networkTotals(container);
    let rx: number | undefined;
    let tx: number | undefined;
    if (net) {
      current.rxBytes = net.rx;
      current.txBytes = net.tx;
      if (before?.rxBytes !== undefined && before.txBytes !== undefined && readMs > before.readMs) {
        const seconds = (readMs - before.readMs) / 1000;
        if (net.rx >= before.rxBytes && net.tx >= before.txBytes) {
          rx = (net.rx - before.rxBytes) / seconds;
          tx = (net.tx - before.txBytes) / seconds;
        }
      }
    }
    if (rx === undefined || tx === undefined) {
      // First sample: the rate the ECS agent computed.
      rx = num(path(container, "network_rate_stats", "rx_bytes_per_sec"));
      tx = num(path(container, "network_rate_stats", "tx_bytes_per_sec"));
    }
    if (rx !== undefined) rxRate = Math.max(rxRate ?? 0, rx);
    if (tx !== undefined) txRate = Math.max(txRate ?? 0, tx);

    sample.set(dockerId, current);
  }

  if (cpuKnown && limits.cpu) metrics.CpuUtilization = round((vcpus / limits.cpu) * 100);
  if (memoryKnown) {
    metrics.MemoryUsed = round(memory / MIB);
    if (limits.memoryMiB) metrics.MemoryUtilization = round((memory / (limits.memoryMiB * MIB)) * 100);
  }
  if (rxRate !== undefined) metrics.NetworkRxBytes = round(rxRate, 0);
  if (txRate !== undefined) metrics.NetworkTxBytes = round(txRate, 0);
  return { metrics, sample };
}

export interface Dimensions {
  ClusterName: string;
  ServiceName: string;
}

/** One EMF document: the `_aws` metadata plus the dimension and metric values at the root. */
export function toEmf(metrics: TaskMetrics, dimensions: Dimensions, timestamp: number): Record<string, unknown> {
  const names = (Object.keys(metrics) as Array<keyof TaskMetrics>).filter((k) => metrics[k] !== undefined);
  return {
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [
        {
          Namespace: METRICS_NAMESPACE,
          Dimensions: [["ClusterName", "ServiceName"]],
          Metrics: names.map((name) => ({ Name: name, Unit: METRIC_UNITS[name] })),
        },
      ],
    },
    ...dimensions,
    ...metrics,
  };
}

export interface MetricsOptions {
  /** ECS_CONTAINER_METADATA_URI_V4; undefined turns metrics off (with one log line). */
  metadataUri: string | undefined;
  intervalSeconds: number;
  logger: Logger;
  /** SERVICE_NAME: the ServiceName dimension when the task does not belong to an ECS service. */
  serviceName: string;
  /** The /task document, if the caller already read it. */
  task?: unknown;
  /** Called once with the /task document when it is first read here. */
  onTask?: (task: unknown) => void;
}

export interface MetricsPublisher {
  stop(): void;
}

/**
 * Samples /task/stats now (to have a baseline), then every interval writes one EMF line.
 * Failures never throw: the first one is logged as a warning, the recovery as info, and sampling goes on.
 */
export function startMetrics(options: MetricsOptions): MetricsPublisher {
  const { metadataUri, intervalSeconds, logger, serviceName } = options;
  if (!metadataUri) {
    logger.info("task metrics off: ECS_CONTAINER_METADATA_URI_V4 is not set (not running on ECS)");
    return { stop: () => undefined };
  }
  const intervalMs = intervalSeconds * 1000;
  const timeoutMs = Math.min(2000, Math.max(200, intervalMs / 2));
  let task: unknown = options.task;
  let limits: TaskLimits = limitsOf(task);
  let previous: TaskSample | undefined;
  let failing = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const collect = async (emit: boolean): Promise<void> => {
    try {
      if (limits.cpu === undefined || limits.memoryMiB === undefined) {
        task = await getJson(`${metadataUri}/task`, timeoutMs);
        limits = limitsOf(task);
        options.onTask?.(task);
      }
      const stats = await getJson(`${metadataUri}/task/stats`, timeoutMs);
      const { metrics, sample } = computeTaskMetrics(stats, limits, previous);
      previous = sample;
      if (failing) {
        failing = false;
        logger.info("task metrics: the metadata endpoint answers again");
      }
      if (!emit || stopped) return;
      if (Object.keys(metrics).length === 0) {
        logger.debug("task metrics: nothing to report in this sample");
        return;
      }
      const placement = placementOf(task);
      const dimensions = { ClusterName: placement.cluster ?? "unknown", ServiceName: placement.service ?? serviceName };
      // Metrics are written whatever LOG_LEVEL is; the child sees the identity the root logger has by now.
      logger.child({}, { level: "info" }).info(toEmf(metrics, dimensions, Date.now()), "metrics");
    } catch (err) {
      if (!failing) {
        failing = true;
        logger.warn(
          { err: { message: (err as Error).message }, retryInSeconds: intervalSeconds },
          "task metrics: the metadata endpoint failed; retrying every interval",
        );
      }
    }
  };

  const loop = (): void => {
    timer = setTimeout(() => {
      void collect(true).finally(() => {
        if (!stopped) loop();
      });
    }, intervalMs);
    timer.unref();
  };

  void collect(false).finally(() => {
    if (!stopped) loop();
  });
  logger.info({ intervalSeconds, namespace: METRICS_NAMESPACE }, "task metrics on");

  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
