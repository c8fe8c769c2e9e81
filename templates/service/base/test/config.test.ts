import { describe, expect, it } from "vitest";
import { ConfigError, DEFAULTS, configErrorLine, loadConfig } from "../src/config.js";
import { spawnTs } from "./helpers.js";

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => p.variable);
    throw err;
  }
  return [];
}

describe("configuration", () => {
  it("defaults to the values derived for this service", () => {
    const onEcs = { ECS_CONTAINER_METADATA_URI_V4: "http://169.254.170.2/v4/0123456789abcdef0123456789abcdef-1234567890" };
    expect(loadConfig(onEcs)).toEqual({
      port: {{port}},
      logLevel: "info",
      serviceName: "{{name}}",
      shutdownDelayMs: {{timings.shutdownDelayMs}},
      drainTimeoutMs: {{timings.drainBudgetMs}},
      metricsIntervalSeconds: {{metricsInterval}},
      metadataUri: onEcs.ECS_CONTAINER_METADATA_URI_V4,
    });
    expect(DEFAULTS.shutdownDelayMs).toBeLessThan(DEFAULTS.drainTimeoutMs);
  });

  it("does not wait for a load balancer off ECS", () => {
    expect(loadConfig({})).toMatchObject({ shutdownDelayMs: 0, metadataUri: undefined });
  });

  it("reads every variable", () => {
    const config = loadConfig({
      PORT: "3000",
      LOG_LEVEL: "DEBUG",
      SERVICE_NAME: "orders",
      SHUTDOWN_DELAY_MS: "500",
      DRAIN_TIMEOUT_MS: "10000",
      METRICS_INTERVAL_SECONDS: "15",
      ECS_CONTAINER_METADATA_URI_V4: "http://169.254.170.2/v4/abc-123/",
    });
    expect(config).toEqual({
      port: 3000,
      logLevel: "debug",
      serviceName: "orders",
      shutdownDelayMs: 500,
      drainTimeoutMs: 10000,
      metricsIntervalSeconds: 15,
      metadataUri: "http://169.254.170.2/v4/abc-123",
    });
  });

  it("treats an empty variable as unset", () => {
    expect(loadConfig({ PORT: "", LOG_LEVEL: " " }).port).toBe({{port}});
  });

  it.each([
    ["PORT", "http"],
    ["PORT", "0"],
    ["PORT", "65536"],
    ["PORT", "80.5"],
    ["LOG_LEVEL", "verbose"],
    ["SHUTDOWN_DELAY_MS", "-1"],
    ["DRAIN_TIMEOUT_MS", "0"],
    ["DRAIN_TIMEOUT_MS", "121000"],
    ["METRICS_INTERVAL_SECONDS", "1m"],
    ["ECS_CONTAINER_METADATA_URI_V4", "169.254.170.2/v4"],
  ])("rejects %s=%s, naming the variable", (variable, value) => {
    expect(problemsOf({ [variable]: value })).toEqual([variable]);
  });

  it("needs the shutdown delay to leave time for in-flight requests", () => {
    expect(problemsOf({ SHUTDOWN_DELAY_MS: "5000", DRAIN_TIMEOUT_MS: "5000" })).toEqual(["SHUTDOWN_DELAY_MS"]);
  });

  it("names every bad variable in one error", () => {
    expect(problemsOf({ PORT: "x", LOG_LEVEL: "loud" })).toEqual(["PORT", "LOG_LEVEL"]);
  });

  it("formats the error as one JSON log line", () => {
    let line = "";
    try {
      loadConfig({ PORT: "x" });
    } catch (err) {
      line = configErrorLine(err as ConfigError);
    }
    expect(line.endsWith("\n")).toBe(true);
    expect(line.trim().split("\n")).toHaveLength(1);
    expect(JSON.parse(line)).toMatchObject({
      level: "fatal",
      variable: "PORT",
      msg: 'invalid configuration: PORT must be a whole number from 1 to 65535 (got "x")',
    });
  });

  it("a bad value stops the process: one log line naming the variable, exit code 1", async () => {
    const run = spawnTs(["src/server.ts"], { PORT: "eighty" });
    const { code } = await run.exited;
    expect(code).toBe(1);
    expect(run.lines).toHaveLength(1);
    expect(run.lines[0]).toMatchObject({ level: "fatal", variable: "PORT" });
    expect(run.stderr()).toBe("");
  });
});
