/**
 * OpenTelemetry tracing, loaded before the application: `node --import ./dist/tracing.js dist/server.js`.
 *
 * Spans go over OTLP/HTTP to the AWS Distro for OpenTelemetry collector that runs next to this container in the
 * task (OTEL_EXPORTER_OTLP_ENDPOINT, default http://localhost:4318), which forwards them to AWS X-Ray.
 * `service.name` is OTEL_SERVICE_NAME, else SERVICE_NAME. OTEL_SDK_DISABLED=true turns tracing off.
 *
 * It has to load first: an ES module is instrumented only if the loader hook registered here sees it imported.
 * The service flushes the spans still buffered when it shuts down (shutdownTracing in src/telemetry.ts).
 */
import { register } from "node:module";
import { registerInstrumentations } from "@opentelemetry/instrumentation";
import { ConfigError, configErrorLine, loadTracingConfig, type TracingConfig } from "./config.js";
import { HOOKED_MODULES, createInstrumentations, createTracerProvider } from "./telemetry.js";

function readConfig(): TracingConfig {
  try {
    return loadTracingConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stdout.write(configErrorLine(err));
    process.exit(1);
  }
}

const config = readConfig();

if (config.enabled) {
  register("@opentelemetry/instrumentation/hook.mjs", import.meta.url, { data: { include: HOOKED_MODULES } });
  createTracerProvider(config).register();
  registerInstrumentations({ instrumentations: createInstrumentations() });
}
