import http from "node:http";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createRequestListener, sendJson } from "../src/http.js";
import { healthRoutes } from "../src/routes.js";
import { Lifecycle, createShutdown } from "../src/lifecycle.js";
import { delay, freePort, memoryLogger, request, spawnTs, waitFor } from "./helpers.js";

interface Harness {
  url: string;
  server: http.Server;
  lifecycle: Lifecycle;
  shutdown: (reason: string) => void;
  exits: number[];
  exitedAt: () => number | undefined;
  lines: ReturnType<typeof memoryLogger>["lines"];
}

const servers: http.Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
});

/** The real request listener and shutdown, with a slow route and a recorded exit. */
async function harness(shutdownDelayMs: number, drainTimeoutMs: number): Promise<Harness> {
  const { logger, lines } = memoryLogger("info");
  const lifecycle = new Lifecycle();
  const server = http.createServer(
    createRequestListener({
      logger,
      lifecycle,
      routes: [
        ...healthRoutes(lifecycle),
        {
          method: "GET",
          path: "/slow",
          handler: (req, res, ctx) => {
            const ms = Number(new URLSearchParams(ctx.search).get("ms") ?? 300);
            setTimeout(() => sendJson(res, 200, { slept: ms }), ms);
          },
        },
      ],
    }),
  );
  server.keepAliveTimeout = 65_000;
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  lifecycle.phase = "ready";
  const exits: number[] = [];
  let exitedAt: number | undefined;
  const shutdown = createShutdown({
    server,
    lifecycle,
    logger,
    shutdownDelayMs,
    drainTimeoutMs,
    exit: (code) => {
      exits.push(code);
      exitedAt = Date.now();
    },
  });
  return { url, server, lifecycle, shutdown, exits, exitedAt: () => exitedAt, lines };
}

describe("graceful shutdown", () => {
  it("stops being ready, answers with Connection: close, finishes in-flight requests, then exits 0", async () => {
    const h = await harness(300, 3000);
    const agent = new http.Agent({ keepAlive: true });
    // A keep-alive connection that is idle when the listener closes must not hold the shutdown up.
    await request(`${h.url}/healthz`, { agent });
    const inFlight = request(`${h.url}/slow?ms=600`);
    await delay(50);
    const signalledAt = Date.now();
    h.shutdown("SIGTERM");

    const ready = await request(`${h.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.json()).toEqual({ status: "draining" });
    expect(ready.headers.connection).toBe("close");
    expect((await request(`${h.url}/healthz`)).status).toBe(200);

    const reply = await inFlight;
    expect(reply.status).toBe(200);
    await waitFor(() => h.exits[0], 2000, "exit");
    expect(h.exits).toEqual([0]);
    // In-flight work ended at ~650 ms; nothing waited for the idle keep-alive connection.
    expect(h.exitedAt()! - signalledAt).toBeLessThan(1500);
    expect(h.lines.map((l) => l.msg)).toContain("shutdown complete");
    agent.destroy();
  });

  it("refuses new connections once the delay is over", async () => {
    const h = await harness(100, 3000);
    const slow = request(`${h.url}/slow?ms=500`);
    await delay(20);
    h.shutdown("SIGTERM");
    await delay(250);
    await expect(request(`${h.url}/healthz`)).rejects.toMatchObject({ code: "ECONNREFUSED" });
    expect((await slow).status).toBe(200);
  });

  it("closes a keep-alive connection whose response finishes after the listener closed", async () => {
    const h = await harness(50, 5000);
    const agent = new http.Agent({ keepAlive: true });
    const slow = request(`${h.url}/slow?ms=400`, { agent });
    await delay(20);
    const signalledAt = Date.now();
    h.shutdown("SIGTERM");
    expect((await slow).status).toBe(200);
    await waitFor(() => h.exits[0], 2000, "exit");
    expect(h.exitedAt()! - signalledAt).toBeLessThan(1000);
    agent.destroy();
  });

  it("exits 1 when the drain timeout passes with requests still in flight", async () => {
    const h = await harness(50, 400);
    void request(`${h.url}/slow?ms=5000`).catch(() => undefined);
    await delay(20);
    const signalledAt = Date.now();
    h.shutdown("SIGTERM");
    await waitFor(() => h.exits[0], 2000, "exit");
    expect(h.exits).toEqual([1]);
    expect(h.exitedAt()! - signalledAt).toBeLessThan(700);
    expect(h.lines.find((l) => l.msg.startsWith("drain timeout"))).toMatchObject({ level: "error", inFlight: 1 });
  });

  it("a second signal exits at once; the same signal delivered twice in a row is one", async () => {
    const h = await harness(5000, 10_000);
    h.shutdown("SIGINT");
    h.shutdown("SIGINT");
    await delay(600);
    expect(h.exits).toEqual([]);
    h.shutdown("SIGTERM");
    await waitFor(() => h.exits[0], 2000, "exit");
    expect(h.exits).toEqual([1]);
    expect(h.lines.at(-1)).toMatchObject({ level: "warn", msg: "second stop signal: exiting now" });
  });
});

describe("the process", () => {
  it("on SIGTERM finishes the request in flight, closes its connection, logs every line and exits 0", async () => {
    const port = await freePort();
    const run = spawnTs(["src/server.ts"], {
      PORT: String(port),
      SHUTDOWN_DELAY_MS: "300",
      DRAIN_TIMEOUT_MS: "5000",
{{#if tracing}}
      OTEL_SDK_DISABLED: "true",
{{/if}}
    });
    await waitFor(() => run.lines.find((l) => l.msg === "listening"), 10_000, "the service to listen");

    // A POST whose body is still arriving when SIGTERM comes: in flight.
    const socket = net.connect(port, "127.0.0.1");
    await new Promise((resolve) => socket.once("connect", resolve));
    const body = JSON.stringify({ name: "Ada" });
    socket.write(
      `POST /hello HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body.slice(0, 5)}`,
    );
    let response = "";
    socket.setEncoding("utf8").on("data", (chunk: string) => (response += chunk));
    const closed = new Promise((resolve) => socket.once("close", resolve));
    await delay(100);
    const signalledAt = Date.now();
    run.child.kill("SIGTERM");
    await delay(100);
    socket.write(body.slice(5));

    const { code } = await run.exited;
    const elapsed = Date.now() - signalledAt;
    expect(code).toBe(0);
    expect(elapsed).toBeLessThan(5000);
    expect(response).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(response).toContain('{"message":"Hello, Ada!"}');
    // The keep-alive connection was closed by the service, not left open.
    await closed;
    const msgs = run.lines.map((l) => l.msg);
    expect(msgs).toContain("shutting down: not ready, draining");
    expect(run.lines.find((l) => l.msg === "request")).toMatchObject({ method: "POST", path: "/hello", status: 200 });
    expect(msgs.at(-1)).toBe("shutdown complete");
    socket.destroy();
  });
});
