import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { portFrom, probe } from "../src/healthcheck.js";
import { freePort, spawnTs } from "./helpers.js";

let server: http.Server;
let port: number;
let status = 200;
let stall = false;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (stall) return;
    res.statusCode = req.url === "/healthz" ? status : 404;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  port = typeof address === "object" && address ? address.port : 0;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe("the container health check (dist/healthcheck.js)", () => {
  it("is healthy only when /healthz answers 200 in time", async () => {
    status = 200;
    expect(await probe(port)).toBe(true);
    status = 503;
    expect(await probe(port)).toBe(false);
    status = 200;
    stall = true;
    const started = Date.now();
    expect(await probe(port, 300)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
    stall = false;
    expect(await probe(await freePort())).toBe(false);
  });

  it("reads PORT like the service does", () => {
    expect(portFrom({})).toBe({{port}});
    expect(portFrom({ PORT: "3000" })).toBe(3000);
    expect(portFrom({ PORT: "http" })).toBeUndefined();
    expect(portFrom({ PORT: "70000" })).toBeUndefined();
  });

  it("as a process: exit code 0 when healthy, 1 when not", async () => {
    status = 200;
    expect((await spawnTs(["src/healthcheck.ts"], { PORT: String(port) }).exited).code).toBe(0);
    expect((await spawnTs(["src/healthcheck.ts"], { PORT: String(await freePort()) }).exited).code).toBe(1);
  });
});
