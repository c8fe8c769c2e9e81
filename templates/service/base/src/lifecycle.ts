/**
 * Readiness and graceful shutdown, the way ECS stops a task:
 *
 *   SIGTERM ─► not ready (/readyz 503), every request from now on is answered with `Connection: close`
 *            ─► SHUTDOWN_DELAY_MS later: stop accepting, close idle connections, let in-flight requests finish
 *            ─► run the exit hooks (stop metrics{{#if tracing}}, flush spans{{/if}}), flush logs, exit 0
 *   DRAIN_TIMEOUT_MS after SIGTERM, whatever is left: close every connection, flush logs, exit 1.
 *   A second SIGTERM/SIGINT (half a second or more after the first): flush logs, exit 1 now.
 *
 * The delay exists because the load balancer, Cloud Map and client DNS caches keep sending for a moment after
 * ECS decides to stop the task; DRAIN_TIMEOUT_MS stays below the task definition's stopTimeout, after which ECS
 * sends SIGKILL.
 */
import type { Server } from "node:http";
import { flushLogger, type Logger } from "./logger.js";

export type Phase = "starting" | "ready" | "draining" | "closing";

/** Milliseconds on a clock that never jumps (wall-clock changes don't affect it). */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export class Lifecycle {
  phase: Phase = "starting";
  /** Requests whose response has not finished yet. */
  inFlight = 0;
  /** Called after each response while the listener is closed (set by the shutdown). */
  private onIdle: (() => void) | undefined;

  get ready(): boolean {
    return this.phase === "ready";
  }

  get draining(): boolean {
    return this.phase === "draining" || this.phase === "closing";
  }

  requestStarted(): void {
    this.inFlight++;
  }

  requestFinished(): void {
    this.inFlight--;
    if (this.onIdle) setImmediate(this.onIdle);
  }

  /** After the listener closed: each finished response closes its keep-alive connection. */
  whenRequestFinishes(callback: () => void): void {
    this.onIdle = callback;
  }
}

export type ExitHook = (deadline: number) => Promise<void>;

/** A stop signal this soon after the first is the same stop delivered twice, not a request to hurry. */
const DUPLICATE_SIGNAL_MS = 500;

export interface ShutdownOptions {
  server: Server;
  lifecycle: Lifecycle;
  logger: Logger;
  shutdownDelayMs: number;
  drainTimeoutMs: number;
  /** Run in order after the last request, each given the absolute deadline (monotonicMs() time). */
  exitHooks?: ExitHook[];
  /** process.exit, replaceable in tests. */
  exit?: (code: number) => void;
}

/** Returns the function that starts the shutdown; call it from the signal handlers. */
export function createShutdown(options: ShutdownOptions): (reason: string) => void {
  const { server, lifecycle, logger, shutdownDelayMs, drainTimeoutMs, exitHooks = [] } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let exiting = false;
  let started = 0;

  const finish = async (code: number): Promise<void> => {
    if (exiting) return;
    exiting = true;
    await flushLogger(logger);
    exit(code);
  };

  return (reason: string) => {
    if (lifecycle.draining) {
      // Ctrl-C reaches the service twice, from the terminal and relayed by npm or tsx: that is one request to stop.
      if (monotonicMs() - started < DUPLICATE_SIGNAL_MS) return;
      logger.warn({ signal: reason }, "second stop signal: exiting now");
      void finish(1);
      return;
    }
    started = monotonicMs();
    const deadline = started + drainTimeoutMs;
    lifecycle.phase = "draining";
    logger.info(
      { signal: reason, shutdownDelayMs, drainTimeoutMs, inFlight: lifecycle.inFlight },
      "shutting down: not ready, draining",
    );

    const hardStop = setTimeout(() => {
      logger.error({ inFlight: lifecycle.inFlight, drainTimeoutMs }, "drain timeout: closing the remaining connections");
      server.closeAllConnections();
      void finish(1);
    }, drainTimeoutMs);
    hardStop.unref();

    const closeListener = (): void => {
      lifecycle.phase = "closing";
      // close() stops accepting and closes the connections that are idle now; the others close as their
      // responses finish (a keep-alive connection would otherwise stay open until keepAliveTimeout).
      lifecycle.whenRequestFinishes(() => server.closeIdleConnections());
      server.close(() => {
        void (async () => {
          for (const hook of exitHooks) {
            try {
              await hook(deadline);
            } catch (err) {
              logger.warn({ err }, "exit hook failed");
            }
          }
          clearTimeout(hardStop);
          logger.info({ durationMs: Math.round(monotonicMs() - started) }, "shutdown complete");
          await finish(0);
        })();
      });
    };
    if (shutdownDelayMs > 0) setTimeout(closeListener, shutdownDelayMs);
    else closeListener();
  };
}

/** Remaining milliseconds until `deadline`, at most `capMs`. */
export function timeLeft(deadline: number, capMs: number): number {
  return Math.max(0, Math.min(capMs, deadline - monotonicMs()));
}
