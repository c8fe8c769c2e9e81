/**
 * The OpenTelemetry pieces, built from the configuration: a tracer provider that batches spans to the
 * AWS Distro for OpenTelemetry collector sidecar over OTLP/HTTP, and the HTTP server/client instrumentations.
 * src/tracing.ts starts them before the application loads.
 */
import type { IncomingMessage, RequestOptions } from "node:http";
import { ProxyTracerProvider, trace } from "@opentelemetry/api";
import { HttpInstrumentation } from "@opentelemetry/instrumentation-http";
import { UndiciInstrumentation } from "@opentelemetry/instrumentation-undici";
import type { Instrumentation } from "@opentelemetry/instrumentation";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { detectResources, envDetector, resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, NodeTracerProvider, type SpanExporter } from "@opentelemetry/sdk-trace-node";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";
import type { TracingConfig } from "./config.js";

/** Health checks arrive every few seconds from ECS and the load balancer; they are not worth a trace. */
const UNTRACED_PATHS = new Set(["/healthz", "/readyz"]);

/** node:http modules the ESM loader hook intercepts (instrumentations for other modules add theirs here). */
export const HOOKED_MODULES = ["node:http", "http", "node:https", "https"];

export function createTracerProvider(config: TracingConfig, exporter?: SpanExporter): NodeTracerProvider {
  const resource = detectResources({ detectors: [envDetector] }).merge(
    resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.serviceName }),
  );
  return new NodeTracerProvider({
    resource,
    // OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG choose the sampler (default: parent-based, always on).
    // The exporter reads OTEL_EXPORTER_OTLP_ENDPOINT / OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (default http://localhost:4318).
    spanProcessors: [new BatchSpanProcessor(exporter ?? new OTLPTraceExporter())],
  });
}

/** "host:port" of a URL, with the scheme's default port filled in. */
function targetOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || (u.protocol === "https:" ? "443" : "80")}`;
  } catch {
    return undefined;
  }
}

/** HTTP server spans (incoming requests) and client spans (node:http and fetch), without the metadata endpoint. */
export function createInstrumentations(metadataUri = process.env.ECS_CONTAINER_METADATA_URI_V4): Instrumentation[] {
  const metadata = targetOf(metadataUri);
  return [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (req: IncomingMessage) => UNTRACED_PATHS.has((req.url ?? "/").split("?", 1)[0] ?? "/"),
      ignoreOutgoingRequestHook: (options: RequestOptions) =>
        metadata !== undefined &&
        `${options.hostname ?? options.host ?? "localhost"}:${options.port ?? (options.protocol === "https:" ? 443 : 80)}` === metadata,
    }),
    new UndiciInstrumentation({
      ignoreRequestHook: (request) => metadata !== undefined && targetOf(request.origin) === metadata,
    }),
  ];
}

/**
 * Exports the spans still buffered by the provider src/tracing.ts registered (none when tracing is off);
 * gives up after `timeoutMs` so the shutdown stays inside its budget.
 */
export async function shutdownTracing(timeoutMs: number): Promise<void> {
  const global = trace.getTracerProvider();
  const provider = global instanceof ProxyTracerProvider ? global.getDelegate() : global;
  if (!(provider instanceof NodeTracerProvider)) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    provider.shutdown(),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    }),
  ]);
  clearTimeout(timer);
}
