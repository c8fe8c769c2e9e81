import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startService, type Service } from "../src/service.js";
import { createRequestListener, HttpError } from "../src/http.js";
import { Lifecycle } from "../src/lifecycle.js";
import { memoryLogger, request, testConfig, type LogLine } from "./helpers.js";

let service: Service;
let base: string;
let lines: LogLine[];

beforeAll(async () => {
  const memory = memoryLogger("debug");
  lines = memory.lines;
  service = await startService(testConfig(), memory.logger, { exit: () => undefined });
  const address = service.server.address();
  base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});

afterAll(() => {
  service.metrics.stop();
  service.server.closeAllConnections();
  service.server.close();
});

const requestLines = (): LogLine[] => lines.filter((l) => l.msg === "request");

describe("health", () => {
  it("GET /healthz is 200 while the process runs", async () => {
    const reply = await request(`${base}/healthz`);
    expect(reply.status).toBe(200);
    expect(reply.json()).toEqual({ status: "ok" });
  });

  it("GET /readyz is 200 once started and 503 while starting or draining", async () => {
    expect((await request(`${base}/readyz`)).status).toBe(200);
    service.lifecycle.phase = "starting";
    const starting = await request(`${base}/readyz`);
    service.lifecycle.phase = "ready";
    expect(starting.status).toBe(503);
    expect(starting.json()).toEqual({ status: "starting" });
  });

  it("logs health checks at debug level only", async () => {
    await request(`${base}/healthz`);
    const line = requestLines().find((l) => l.path === "/healthz");
    expect(line?.level).toBe("debug");
  });
});

describe("the example route", () => {
  it("GET /hello greets the world, or ?name", async () => {
    expect((await request(`${base}/hello`)).json()).toEqual({ message: "Hello, world!" });
    const reply = await request(`${base}/hello?name=Ada`);
    expect(reply.status).toBe(200);
    expect(reply.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(reply.json()).toEqual({ message: "Hello, Ada!" });
  });

  it("POST /hello reads a JSON body", async () => {
    const reply = await request(`${base}/hello`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "Grace" }),
    });
    expect(reply.status).toBe(200);
    expect(reply.json()).toEqual({ message: "Hello, Grace!" });
  });

  it("answers bad input with a JSON 4xx", async () => {
    const json = { "content-type": "application/json" };
    const invalid = await request(`${base}/hello`, { method: "POST", headers: json, body: "{" });
    expect(invalid.status).toBe(400);
    expect(invalid.json()).toMatchObject({ error: "bad_request", message: "body is not valid JSON" });
    const noName = await request(`${base}/hello`, { method: "POST", headers: json, body: "{}" });
    expect(noName.status).toBe(400);
    const text = await request(`${base}/hello`, { method: "POST", headers: { "content-type": "text/plain" }, body: "x" });
    expect(text.status).toBe(415);
    const large = await request(`${base}/hello`, { method: "POST", headers: json, body: JSON.stringify({ name: "x".repeat(20_000) }) });
    expect(large.status).toBe(413);
  });
});

describe("errors", () => {
  it("an unknown path is a JSON 404", async () => {
    const reply = await request(`${base}/nope`);
    expect(reply.status).toBe(404);
    expect(reply.json()).toMatchObject({ error: "not_found", message: "no route for GET /nope" });
  });

  it("a known path with another method is a JSON 405 with Allow", async () => {
    const reply = await request(`${base}/healthz`, { method: "DELETE" });
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe("GET");
    expect(reply.json()).toMatchObject({ error: "method_not_allowed" });
  });

  it("a failing handler is a JSON 500 without the stack; the log has the stack", async () => {
    const memory = memoryLogger("info");
    const server = http.createServer(
      createRequestListener({
        logger: memory.logger,
        lifecycle: new Lifecycle(),
        routes: [
          {
            method: "GET",
            path: "/boom",
            handler: async () => {
              throw new Error("database exploded");
            },
          },
          {
            method: "GET",
            path: "/teapot",
            handler: () => {
              throw new HttpError(418, "teapot", "short and stout");
            },
          },
        ],
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    try {
      const reply = await request(`${url}/boom`);
      expect(reply.status).toBe(500);
      expect(reply.body).not.toContain("database exploded");
      expect(reply.body).not.toContain(".ts:");
      const body = reply.json() as Record<string, unknown>;
      expect(body).toEqual({ error: "internal_error", message: "internal server error", requestId: expect.any(String) });

      const teapot = await request(`${url}/teapot`);
      expect(teapot.status).toBe(418);
      expect(teapot.json()).toMatchObject({ error: "teapot", message: "short and stout" });

      await new Promise((resolve) => setTimeout(resolve, 20));
      const error = memory.lines.find((l) => l.msg === "request failed");
      expect(error?.level).toBe("error");
      expect(error?.requestId).toBe(body.requestId);
      const err = error?.err as { message: string; stack: string; type: string };
      expect(err.message).toBe("database exploded");
      expect(err.stack).toContain("database exploded");
      expect(err.type).toBe("Error");
    } finally {
      server.close();
    }
  });
});

describe("request log lines", () => {
  it("writes one JSON line per request with time, level, msg, request id, method, path, status and duration", async () => {
    const before = requestLines().length;
    const reply = await request(`${base}/hello?name=Ada`, { headers: { "x-request-id": "req-123" } });
    expect(reply.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const added = requestLines().slice(before);
    expect(added).toHaveLength(1);
    const line = added[0]!;
    expect(line).toMatchObject({
      level: "info",
      service: "{{name}}",
      msg: "request",
      requestId: "req-123",
      method: "GET",
      path: "/hello",
      status: 200,
    });
    expect(new Date(line.time).toISOString()).toBe(line.time);
    expect(typeof line.durationMs).toBe("number");
    expect(JSON.stringify(line)).not.toContain("name=Ada");
  });

  it("makes up a unique request id when the caller sends none or an unsafe one", async () => {
    const ids: string[] = [];
    for (const headers of [{}, { "x-request-id": 'a b"c' }] as Array<Record<string, string>>) {
      const reply = await request(`${base}/nope`, { headers });
      ids.push((reply.json() as { requestId: string }).requestId);
    }
    expect(ids[0]).toMatch(/^[0-9a-f]{12}-[0-9a-z]+$/);
    expect(ids[1]).toMatch(/^[0-9a-f]{12}-[0-9a-z]+$/);
    expect(ids[0]).not.toBe(ids[1]);
  });
});
