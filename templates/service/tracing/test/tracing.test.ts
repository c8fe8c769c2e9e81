import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadTracingConfig } from "../src/config.js";
import { freePort, request, spawnTs, waitFor, type LogLine } from "./helpers.js";

interface ExportedSpan {
  traceId: string;
  spanId: string;
  name: string;
  kind: number;
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
}

interface Export {
  resourceSpans: Array<{
    resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> };
    scopeSpans: Array<{ spans: ExportedSpan[] }>;
  }>;
}

/** Stands in for the collector sidecar's OTLP/HTTP receiver. */
let collector: http.Server;
let collectorUrl: string;
const exports: Export[] = [];

beforeAll(async () => {
  collector = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.url === "/v1/traces") exports.push(JSON.parse(Buffer.concat(chunks).toString("utf8")) as Export);
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
  const address = collector.address();
  collectorUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});

afterAll(() => {
  collector.close();
});

const spans = (): ExportedSpan[] => exports.flatMap((e) => e.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)));

async function runService(env: Record<string, string>): Promise<{ lines: LogLine[]; code: number | null }> {
  const port = await freePort();
  const run = spawnTs(["--import", "./src/tracing.ts", "src/server.ts"], {
    PORT: String(port),
    SHUTDOWN_DELAY_MS: "0",
    OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl,
    ...env,
  });
  await waitFor(() => run.lines.find((l) => l.msg === "listening"), 10_000, "the service to listen");
  expect((await request(`http://127.0.0.1:${port}/hello?name=Ada`)).status).toBe(200);
  expect((await request(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  run.child.kill("SIGTERM");
  const { code } = await run.exited;
  return { lines: run.lines, code };
}

describe("tracing configuration", () => {
  it("follows the OpenTelemetry variables", () => {
    expect(loadTracingConfig({})).toEqual({ enabled: true, serviceName: "{{name}}", otlpEndpoint: "http://localhost:4318" });
    expect(loadTracingConfig({ SERVICE_NAME: "a", OTEL_SERVICE_NAME: "b" }).serviceName).toBe("b");
    expect(loadTracingConfig({ SERVICE_NAME: "a" }).serviceName).toBe("a");
    // Only "true" disables the SDK, as the specification says.
    expect(loadTracingConfig({ OTEL_SDK_DISABLED: "TRUE" }).enabled).toBe(false);
    expect(loadTracingConfig({ OTEL_SDK_DISABLED: "1" }).enabled).toBe(true);
    expect(() => loadTracingConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "collector:4318" })).toThrow(ConfigError);
  });
});

describe("tracing", () => {
  it("exports a server span per request to the collector, and the request's log line carries its trace id", async () => {
    const { lines, code } = await runService({ SERVICE_NAME: "{{name}}-test" });
    expect(code).toBe(0);
    // Spans still buffered at SIGTERM are flushed by the shutdown.
    const span = spans().find((s) => s.name === "GET /hello");
    expect(span).toBeDefined();
    expect(span!.kind).toBe(2); // SERVER
    expect(span!.attributes.find((a) => a.key === "http.route")?.value).toEqual({ stringValue: "/hello" });
    expect(spans().some((s) => s.name.includes("/healthz"))).toBe(false);

    const resource = exports[0]!.resourceSpans[0]!.resource.attributes;
    expect(resource.find((a) => a.key === "service.name")?.value.stringValue).toBe("{{name}}-test");

    const line = lines.find((l) => l.msg === "request" && l.path === "/hello");
    expect(line).toMatchObject({ trace_id: span!.traceId, span_id: span!.spanId, trace_flags: "01" });
  });

  it("is off with OTEL_SDK_DISABLED=true", async () => {
    exports.length = 0;
    const { lines, code } = await runService({ OTEL_SDK_DISABLED: "true" });
    expect(code).toBe(0);
    expect(spans()).toHaveLength(0);
    expect(lines.find((l) => l.msg === "request")?.trace_id).toBeUndefined();
  });

  it("stops on a bad OTEL_EXPORTER_OTLP_ENDPOINT, naming it", async () => {
    const run = spawnTs(["--import", "./src/tracing.ts", "src/server.ts"], { OTEL_EXPORTER_OTLP_ENDPOINT: "localhost:4318" });
    const { code } = await run.exited;
    expect(code).toBe(1);
    expect(run.lines).toHaveLength(1);
    expect(run.lines[0]).toMatchObject({ level: "fatal", variable: "OTEL_EXPORTER_OTLP_ENDPOINT" });
  });
});
