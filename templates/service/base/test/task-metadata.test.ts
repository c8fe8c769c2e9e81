import http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { startService, type Service } from "../src/service.js";
import { getJson, identityOf } from "../src/task-metadata.js";
import { readSample, startFakeMetadata, type FakeMetadata } from "../scripts/fake-metadata.js";
import { memoryLogger, request, testConfig } from "./helpers.js";

let fake: FakeMetadata | undefined;
let service: Service | undefined;
let other: http.Server | undefined;

afterEach(async () => {
  service?.metrics.stop();
  service?.server.closeAllConnections();
  service?.server.close();
  other?.close();
  await fake?.close();
  fake = service = other = undefined;
});

function urlOf(server: http.Server): string {
  const address = server.address();
  return `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
}

describe("task identity on every log line", () => {
  it("reads /task once at start and adds the task ARN, family, revision and zone", async () => {
    fake = await startFakeMetadata();
    const { logger, lines } = memoryLogger("info");
    service = await startService(testConfig({ metadataUri: fake.uri, metricsIntervalSeconds: 60 }), logger);
    await request(`${urlOf(service.server)}/hello`);
    await new Promise((resolve) => setTimeout(resolve, 20));

    const identity = identityOf(readSample("task"));
    expect(identity.taskArn).toMatch(/^arn:aws/);
    for (const msg of ["listening", "request"]) {
      expect(lines.find((l) => l.msg === msg)).toMatchObject(identity);
    }
    expect(fake.requests.filter((r) => r.endsWith("/task"))).toHaveLength(1);
  });

  it("starts without the identity when the endpoint does not answer in time", async () => {
    fake = await startFakeMetadata({ delayMs: 5000 });
    const { logger, lines } = memoryLogger("info");
    const started = Date.now();
    service = await startService(testConfig({ metadataUri: fake.uri, metricsIntervalSeconds: 60 }), logger);
    expect(Date.now() - started).toBeLessThan(2500);
    expect(lines.find((l) => l.level === "warn")?.msg).toBe("task metadata unavailable; starting without the task identity");
    expect(lines.find((l) => l.msg === "listening")?.taskArn).toBeUndefined();
  });
});

describe("getJson", () => {
  it("rejects non-JSON, non-200 and oversized answers", async () => {
    other = http.createServer((req, res) => {
      if (req.url === "/text") res.end("not json");
      else if (req.url === "/big") res.end(`"${"x".repeat(5 * 1024 * 1024)}"`);
      else res.writeHead(503).end();
    });
    await new Promise<void>((resolve) => other!.listen(0, "127.0.0.1", resolve));
    const url = urlOf(other);
    await expect(getJson(`${url}/text`, 1000)).rejects.toThrow("response is not JSON");
    await expect(getJson(`${url}/down`, 1000)).rejects.toThrow("HTTP 503");
    await expect(getJson(`${url}/big`, 5000)).rejects.toThrow("larger than");
  });
});
