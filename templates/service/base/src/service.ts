/**
 * The service: learns the task's identity, listens on 0.0.0.0:PORT, publishes task metrics and knows how to shut
 * down. src/server.ts runs it; tests start it in-process.
 */
import http from "node:http";
import type { Config } from "./config.js";
import type { Logger } from "./logger.js";
import { createRequestListener } from "./http.js";
import { healthRoutes, helloRoutes } from "./routes.js";
import { Lifecycle, createShutdown, type ExitHook } from "./lifecycle.js";
import { getJson, identityOf } from "./task-metadata.js";
import { startMetrics, type MetricsPublisher } from "./metrics.js";

/** How long the start waits for the task metadata endpoint before starting without the task's identity. */
const METADATA_TIMEOUT_MS = 1000;
/** Node's keep-alive outlives the load balancer's 60 s idle timeout, so the ALB never reuses a socket Node closed. */
const KEEP_ALIVE_TIMEOUT_MS = {{timings.keepAliveTimeoutMs}};
/** Must be greater than keepAliveTimeout. */
const HEADERS_TIMEOUT_MS = {{timings.headersTimeoutMs}};

export interface Service {
  server: http.Server;
  lifecycle: Lifecycle;
  logger: Logger;
  metrics: MetricsPublisher;
  /** Starts the graceful shutdown (what SIGTERM does). */
  shutdown: (reason: string) => void;
}

/** Reads /task once; its identity goes on every log line from then on. */
async function readTask(config: Config, logger: Logger): Promise<unknown> {
  if (!config.metadataUri) return undefined;
  try {
    return await getJson(`${config.metadataUri}/task`, METADATA_TIMEOUT_MS);
  } catch (err) {
    logger.warn({ err: { message: (err as Error).message } }, "task metadata unavailable; starting without the task identity");
    return undefined;
  }
}

export interface StartOptions {
  /** Run after the last request, before the logs are flushed (e.g. flushing spans). */
  exitHooks?: ExitHook[];
  /** process.exit, replaceable in tests. */
  exit?: (code: number) => void;
}

export async function startService(config: Config, logger: Logger, options: StartOptions = {}): Promise<Service> {
  const lifecycle = new Lifecycle();
  let identified = false;
  const identify = (task: unknown): void => {
    if (identified || task === undefined) return;
    identified = true;
    logger.setBindings(identityOf(task));
  };

  const task = await readTask(config, logger);
  identify(task);

  const server = http.createServer(
    createRequestListener({ routes: [...healthRoutes(lifecycle), ...helloRoutes], logger, lifecycle }),
  );
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = HEADERS_TIMEOUT_MS;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, "0.0.0.0", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;

  const metrics = startMetrics({
    metadataUri: config.metadataUri,
    intervalSeconds: config.metricsIntervalSeconds,
    logger,
    serviceName: config.serviceName,
    task,
    onTask: identify,
  });

  const shutdown = createShutdown({
    server,
    lifecycle,
    logger,
    shutdownDelayMs: config.shutdownDelayMs,
    drainTimeoutMs: config.drainTimeoutMs,
    exitHooks: [async () => metrics.stop(), ...(options.exitHooks ?? [])],
    ...(options.exit ? { exit: options.exit } : {}),
  });

  lifecycle.phase = "ready";
  logger.info(
    {
      port,
      shutdownDelayMs: config.shutdownDelayMs,
      drainTimeoutMs: config.drainTimeoutMs,
      metricsIntervalSeconds: config.metricsIntervalSeconds,
      node: process.version,
    },
    "listening",
  );
  return { server, lifecycle, logger, metrics, shutdown };
}
