/**
 * JSON lines on stdout, nothing else: the awslogs driver ships stdout to CloudWatch Logs, where every field
 * can be queried with Logs Insights. Nothing is written to local files (the root filesystem is read-only).
 *
 * Every line: {"level":"info","time":"<ISO 8601>","service":"<SERVICE_NAME>", ...task identity, "msg":"..."}.
{{#if tracing}}
 * While a span is active, lines also carry trace_id, span_id and trace_flags, so a trace and its logs join.
{{/if}}
 */
import { pino, type DestinationStream, type Logger } from "pino";
{{#if tracing}}
import { trace } from "@opentelemetry/api";
{{/if}}
import type { LogLevel } from "./config.js";

export type { Logger } from "pino";

export interface LoggerOptions {
  level: LogLevel;
  serviceName: string;
  /** Where lines go; stdout (asynchronous, flushed on exit) unless given, e.g. a memory stream in tests. */
  destination?: DestinationStream;
}
{{#if tracing}}

/**
 * trace_id/span_id of the active span, if any (the OpenTelemetry log data model's field names).
 * Returns a new object every time: pino merges the line's own fields into it.
 */
function traceContext(): object {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId, traceFlags } = span.spanContext();
  return { trace_id: traceId, span_id: spanId, trace_flags: `0${traceFlags.toString(16)}` };
}
{{/if}}

/**
 * `,"time":"<ISO 8601>"`, formatted once per millisecond: under load many lines share one, and formatting a date
 * costs more than the rest of a log line.
 */
function isoTime(): () => string {
  let lastMs = 0;
  let last = "";
  return () => {
    const now = Date.now();
    if (now !== lastMs) {
      lastMs = now;
      last = `,"time":"${new Date(now).toISOString()}"`;
    }
    return last;
  };
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: options.serviceName },
      timestamp: isoTime(),
      formatters: { level: (label) => ({ level: label }) },
{{#if tracing}}
      mixin: traceContext,
{{/if}}
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

/** Writes what is buffered, then calls back; never waits longer than `timeoutMs`. */
export function flushLogger(logger: Logger, timeoutMs = 1000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    timer.unref();
    logger.flush(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
