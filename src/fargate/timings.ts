/**
 * Shutdown and health-check timings, derived in one place so the app, the task definition,
 * the load balancer and `check` all agree:
 *
 *   deregistrationDelay  <  drainBudget  <  stopTimeout  ≤ 120 s     (Fargate's limit)
 *   healthCheckGracePeriod ≥ container healthCheck startPeriod
 *
 * ECS deregisters an ALB target (and waits up to the deregistration delay) before it sends SIGTERM;
 * Cloud Map removes the DNS record, but clients may keep the old answer for the record's TTL,
 * so in DNS mode the app keeps serving for at least the TTL after SIGTERM.
 */
import type { Discovery } from "../options/schema.js";

export const STOP_TIMEOUT_MIN = 2;
export const STOP_TIMEOUT_MAX = 120;
/** Seconds kept between the app's own deadline and ECS's SIGKILL. */
export const SHUTDOWN_MARGIN_SECONDS = 5;
/** Cloud Map A-record TTL (seconds). */
export const DNS_TTL_SECONDS = 10;
/** Node's keep-alive must outlive the ALB idle timeout (60 s) or the ALB may reuse a closed socket (502). */
export const ALB_IDLE_TIMEOUT_SECONDS = 60;
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;
export const HEADERS_TIMEOUT_MS = 66_000;

export interface Timings {
  /** Container stopTimeout: SIGTERM → SIGKILL. */
  stopTimeoutSeconds: number;
  /** The app must have exited this long after SIGTERM. */
  drainBudgetMs: number;
  /** After SIGTERM: keep serving (not ready, Connection: close) this long before closing the listener. */
  shutdownDelayMs: number;
  /** ALB target-group deregistration delay. */
  deregistrationDelaySeconds: number;
  /** Container health check. */
  healthCheck: { intervalSeconds: number; timeoutSeconds: number; retries: number; startPeriodSeconds: number };
  /** ECS service grace period for load-balancer health checks. */
  healthCheckGracePeriodSeconds: number;
  dnsTtlSeconds: number;
  keepAliveTimeoutMs: number;
  headersTimeoutMs: number;
}

export function deriveTimings(discovery: Discovery, stopTimeoutSeconds: number): Timings {
  const drainBudgetMs = Math.max(1, stopTimeoutSeconds - SHUTDOWN_MARGIN_SECONDS) * 1000;
  const wantedDelayMs =
    discovery === "cloudmap" ? (DNS_TTL_SECONDS + 1) * 1000 : discovery === "alb" ? 2000 : 0;
  // Never spend more than half the budget waiting; the rest is for in-flight requests.
  const shutdownDelayMs = Math.min(wantedDelayMs, Math.floor(drainBudgetMs / 2));
  const deregistrationDelaySeconds = Math.max(0, Math.min(15, Math.floor(drainBudgetMs / 1000) - 1));
  const healthCheck = { intervalSeconds: 15, timeoutSeconds: 5, retries: 3, startPeriodSeconds: 10 };
  return {
    stopTimeoutSeconds,
    drainBudgetMs,
    shutdownDelayMs,
    deregistrationDelaySeconds,
    healthCheck,
    healthCheckGracePeriodSeconds: Math.max(30, healthCheck.startPeriodSeconds),
    dnsTtlSeconds: DNS_TTL_SECONDS,
    keepAliveTimeoutMs: KEEP_ALIVE_TIMEOUT_MS,
    headersTimeoutMs: HEADERS_TIMEOUT_MS,
  };
}
