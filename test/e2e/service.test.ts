/**
 * The generated service, end to end, for every variant the CLI can produce (discovery alb | cloudmap | none,
 * with and without --tracing): render into a temp dir outside the repo, `npm test`, `npm run build`, then run the
 * built service exactly as the Dockerfile's CMD does, against the project's own fake task metadata endpoint:
 * health, readiness and the example route answer, every stdout line is JSON, one EMF line carries the numbers the
 * sample stats imply, and SIGTERM under load loses no request and no log line and exits 0 within the drain budget.
 *
 * To stay inside CI's budget (2 cores), dependencies are installed once, for the tracing variant (a superset),
 * and every variant links that node_modules. Variants run one after another. Durations are printed at the end.
 * E2E_KEEP=1 keeps the temp dir. E2E_NODE=/path/to/node runs the generated project on another Node.js (e.g. the
 * image's LTS line) instead of the one running the tests.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderProject } from "../../src/write/render.js";
import { checkDependencySpec } from "../../src/paths.js";
import { defaultOptions } from "../../src/options/resolve.js";
import { pickServiceOptions, type Discovery } from "../../src/options/schema.js";
import { buildContext, type ServiceContext } from "../../src/context.js";
import { SAMPLE_RATES } from "../../src/artifacts/project.js";
import { baseEnv, PKG } from "../helpers/cli.js";
import { cleanupTmp, makeTmp } from "../helpers/tmp.js";

interface Variant {
  discovery: Discovery;
  tracing: boolean;
}

// The tracing variant comes first: its install is the one every other variant links.
const VARIANTS: Variant[] = [
  { discovery: "alb", tracing: true },
  { discovery: "alb", tracing: false },
  { discovery: "cloudmap", tracing: false },
  { discovery: "none", tracing: false },
  { discovery: "cloudmap", tracing: true },
  { discovery: "none", tracing: true },
];

/** The Node.js the generated project runs on: npm, its tests and the service all use it. */
const NODE = process.env.E2E_NODE ? path.resolve(process.env.E2E_NODE) : process.execPath;
const NODE_VERSION = execFileSync(NODE, ["-p", "process.version"]).toString().trim();
const childEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv =>
  baseEnv({ PATH: `${path.dirname(NODE)}${path.delimiter}${process.env.PATH ?? ""}`, ...extra });

const root = makeTmp("cfs-e2e-");
const sharedDeps = path.join(root, "deps");
const timings: Array<[string, number]> = [];

const npmEnv = (): NodeJS.ProcessEnv =>
  childEnv({
    npm_config_update_notifier: "false",
    npm_config_fund: "false",
    npm_config_audit: "false",
    npm_config_loglevel: "warn",
    CI: "true",
    NO_COLOR: "1",
  });

interface Done {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; rejects with its output when it fails. */
async function run(label: string, cmd: string, args: string[], cwd: string, env = npmEnv()): Promise<Done> {
  const started = performance.now();
  const result = await new Promise<Done>((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
  timings.push([label, performance.now() - started]);
  if (result.code !== 0) throw new Error(`${label}: exit ${result.code}\n${result.stdout}\n${result.stderr}`);
  return result;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(what: string, check: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await delay(25);
  }
}

/** A child whose stdout is split into lines as it arrives. */
interface Proc {
  child: ChildProcess;
  lines: string[];
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

function start(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Proc {
  const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  let partial = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    partial += chunk;
    const parts = partial.split("\n");
    partial = parts.pop() ?? "";
    lines.push(...parts.filter((l) => l.length > 0));
  });
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal, at: performance.now() })),
  );
  return { child, lines, stderr: () => stderr, exited };
}

function get(url: string, agent?: http.Agent): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: agent ?? false }, (res) => {
        let body = "";
        res.setEncoding("utf8").on("data", (c: string) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on("error", reject);
      })
      .on("error", reject);
  });
}

interface LoadResult {
  sent: number;
  ok: number;
  /** Reset, hung up or answered with something else than 200 after the connection was accepted. */
  failed: number;
  /** ECONNREFUSED: never accepted, nothing was sent. */
  refused: number;
  errors: string[];
}

/** `connections` keep-alive request loops on one agent (how a load balancer talks to a target) until `stop()`. */
async function load(url: string, connections: number, stop: () => boolean): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const result: LoadResult = { sent: 0, ok: 0, failed: 0, refused: 0, errors: [] };
  const once = (): Promise<void> =>
    new Promise((resolve) => {
      result.sent++;
      const req = http.get(url, { agent }, (res) => {
        res.resume();
        res.on("end", () => {
          if (res.statusCode === 200) result.ok++;
          else {
            result.failed++;
            result.errors.push(`HTTP ${res.statusCode}`);
          }
          resolve();
        });
        res.on("error", (err: NodeJS.ErrnoException) => {
          result.failed++;
          result.errors.push(err.code ?? err.message);
          resolve();
        });
      });
      req.on("error", (err: NodeJS.ErrnoException) => {
        if (err.code === "ECONNREFUSED") result.refused++;
        else {
          result.failed++;
          result.errors.push(err.code ?? err.message);
        }
        resolve();
      });
    });
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (!stop()) await once();
    }),
  );
  agent.destroy();
  return result;
}

/** Stands in for the collector sidecar's OTLP/HTTP receiver (JSON). */
async function startCollector(): Promise<{ url: string; spans: () => Array<{ name: string; traceId: string; kind: number }>; close: () => void }> {
  const bodies: string[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8").on("data", (c: string) => (body += c));
    req.on("end", () => {
      if (req.url === "/v1/traces") bodies.push(body);
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  const spans = () =>
    bodies.flatMap((b) =>
      (JSON.parse(b) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ name: string; traceId: string; kind: number }> }> }> }).resourceSpans.flatMap(
        (r) => r.scopeSpans.flatMap((s) => s.spans),
      ),
    );
  return { url, spans, close: () => server.close() };
}

/** The task metrics the sample stats imply for this task size (scripts/metadata is built from SAMPLE_RATES). */
function expectedMetrics(ctx: ServiceContext): Record<string, number> {
  const containers = ctx.tracing ? [SAMPLE_RATES.app, SAMPLE_RATES.collector] : [SAMPLE_RATES.app];
  const vcpu = containers.reduce((sum, c) => sum + c.vcpu, 0);
  const used = containers.reduce((sum, c) => sum + c.memoryBytes - c.inactiveFileBytes, 0) / (1024 * 1024);
  return {
    CpuUtilization: (vcpu / (ctx.cpu / 1024)) * 100,
    MemoryUtilization: (used / ctx.memory) * 100,
    MemoryUsed: used,
    NetworkRxBytes: SAMPLE_RATES.network.rxBytesPerSecond,
    NetworkTxBytes: SAMPLE_RATES.network.txBytesPerSecond,
  };
}

/** The Dockerfile's exec-form CMD, which is how ECS starts the container. */
function dockerCmd(dir: string): string[] {
  const cmd = /^CMD (\[.*\])$/m.exec(fs.readFileSync(path.join(dir, "Dockerfile"), "utf8"));
  if (!cmd) throw new Error("Dockerfile has no exec-form CMD");
  return JSON.parse(cmd[1]!) as string[];
}

beforeAll(async () => {
  fs.mkdirSync(sharedDeps);
}, 60_000);

afterAll(() => {
  const total = timings.reduce((sum, [, ms]) => sum + ms, 0);
  console.log(
    ["e2e service timings:", ...timings.map(([label, ms]) => `  ${(ms / 1000).toFixed(1).padStart(6)} s  ${label}`), `  ${(total / 1000).toFixed(1).padStart(6)} s  total`].join("\n"),
  );
  if (!process.env.E2E_KEEP) cleanupTmp();
  else console.log(`kept ${root}`);
});

describe.each(VARIANTS)("generated service: --discovery $discovery, tracing $tracing", (variant) => {
  const name = `svc-${variant.discovery}${variant.tracing ? "-tracing" : ""}`;
  const dir = path.join(root, name);
  let ctx: ServiceContext;

  beforeAll(async () => {
    const options = pickServiceOptions(defaultOptions({ directory: dir, discovery: variant.discovery, tracing: variant.tracing }, {}));
    ctx = buildContext(options, PKG.version);
    const started = performance.now();
    fs.mkdirSync(dir);
    // Run from this checkout: the project links it for `check`, exactly as `npm run create` does.
    await renderProject(options, dir, undefined, checkDependencySpec());
    timings.push([`${name}: render`, performance.now() - started]);

    if (!fs.existsSync(path.join(sharedDeps, "node_modules"))) {
      expect(variant.tracing).toBe(true);
      fs.copyFileSync(path.join(dir, "package.json"), path.join(sharedDeps, "package.json"));
      await run(`${name}: npm install (shared by every variant)`, "npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], sharedDeps);
    }
    fs.symlinkSync(path.join(sharedDeps, "node_modules"), path.join(dir, "node_modules"), "dir");
  }, 600_000);

  it("keeps tracing out of the project entirely unless asked for", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    const otel = Object.keys(pkg.dependencies).filter((d) => d.startsWith("@opentelemetry/"));
    const sources = fs.readdirSync(path.join(dir, "src")).map((f) => fs.readFileSync(path.join(dir, "src", f), "utf8"));
    if (variant.tracing) {
      expect(otel.length).toBeGreaterThan(0);
      expect(fs.existsSync(path.join(dir, "src", "tracing.ts"))).toBe(true);
    } else {
      expect(otel).toEqual([]);
      expect(sources.some((s) => s.includes("@opentelemetry"))).toBe(false);
      expect(fs.existsSync(path.join(dir, "src", "tracing.ts"))).toBe(false);
    }
  });

  it("passes its own tests (npm test: type check + vitest)", async () => {
    await run(`${name}: npm test`, "npm", ["test"], dir);
  });

  it("builds (npm run build)", async () => {
    await run(`${name}: npm run build`, "npm", ["run", "build"], dir);
    for (const file of ["server.js", "healthcheck.js", ...(variant.tracing ? ["tracing.js"] : [])]) {
      expect(fs.existsSync(path.join(dir, "dist", file)), file).toBe(true);
    }
  });

  it("runs as the image would: endpoints, JSON logs, task identity and metrics, health check, graceful shutdown under load", async () => {
    const started = performance.now();
    const metadataPort = await freePort();
    const fake = start(NODE, ["--import", "tsx", "scripts/fake-metadata.ts", "--port", String(metadataPort)], dir, childEnv());
    const collector = variant.tracing ? await startCollector() : undefined;
    let service: Proc | undefined;
    try {
      await waitFor("the fake metadata endpoint", () => fake.lines.find((l) => l.includes("ECS_CONTAINER_METADATA_URI_V4=")));
      const metadataUri = `http://127.0.0.1:${metadataPort}/v4/local`;

      const port = await freePort();
      const shutdownDelayMs = 1000;
      const [cmd, ...args] = dockerCmd(dir);
      expect(cmd).toBe("node");
      service = start(NODE, args, dir, {
        ...childEnv(),
        NODE_ENV: "production",
        PORT: String(port),
        SERVICE_NAME: ctx.name,
        SHUTDOWN_DELAY_MS: String(shutdownDelayMs),
        DRAIN_TIMEOUT_MS: String(ctx.timings.drainBudgetMs),
        METRICS_INTERVAL_SECONDS: "1",
        ECS_CONTAINER_METADATA_URI_V4: metadataUri,
        ...(collector ? { OTEL_SERVICE_NAME: ctx.name, OTEL_EXPORTER_OTLP_ENDPOINT: collector.url } : {}),
      });
      const logs = () => service!.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      const listening = await waitFor("the service to listen", () => logs().find((l) => l.msg === "listening"));
      expect(listening).toMatchObject({ level: "info", service: ctx.name, port, drainTimeoutMs: ctx.timings.drainBudgetMs, shutdownDelayMs });
      expect(listening.node).toBe(NODE_VERSION);
      // The task identity from /task is on every line from the start.
      expect(listening.taskArn).toMatch(new RegExp(`^arn:aws:ecs:${ctx.region}:\\d{12}:task/${ctx.names.cluster}/`));
      expect(listening).toMatchObject({ taskFamily: ctx.names.family, taskRevision: "1", availabilityZone: `${ctx.region}a` });

      const base = `http://127.0.0.1:${port}`;
      const health = await get(`${base}/healthz`);
      expect(health.status).toBe(200);
      expect(JSON.parse(health.body)).toEqual({ status: "ok" });
      const ready = await get(`${base}/readyz`);
      expect(ready.status).toBe(200);
      expect(JSON.parse(ready.body)).toEqual({ status: "ready" });
      const hello = await get(`${base}/hello?name=e2e`);
      expect(hello.status).toBe(200);
      expect(JSON.parse(hello.body)).toEqual({ message: "Hello, e2e!" });
      const missing = await get(`${base}/missing`);
      expect(missing.status).toBe(404);
      expect(JSON.parse(missing.body)).toMatchObject({ error: "not_found" });

      // The container health check, as the task definition runs it.
      const healthcheck = await run(`${name}: node dist/healthcheck.js`, NODE, ["dist/healthcheck.js"], dir, childEnv({ PORT: String(port) }));
      expect(healthcheck.code).toBe(0);

      // One EMF line with the numbers the sample stats imply for this task size.
      const metrics = await waitFor("a metrics line", () => logs().find((l) => l.msg === "metrics"), 10_000);
      expect(metrics._aws).toMatchObject({
        CloudWatchMetrics: [{ Namespace: "FargateService", Dimensions: [["ClusterName", "ServiceName"]] }],
      });
      expect(metrics).toMatchObject({ ClusterName: ctx.names.cluster, ServiceName: ctx.names.service });
      // The fake advances whole counters between millisecond timestamps: allow 0.5 % (or 0.05) of rounding.
      for (const [metric, value] of Object.entries(expectedMetrics(ctx))) {
        expect(typeof metrics[metric], metric).toBe("number");
        expect(Math.abs((metrics[metric] as number) - value), `${metric} ${String(metrics[metric])} ≈ ${value}`).toBeLessThanOrEqual(
          Math.max(0.05, value * 0.005),
        );
      }

      // SIGTERM while a load generator runs. Like a load balancer after deregistration, it stops sending half-way
      // through the shutdown delay; every request it sent must be answered.
      let signalledAt = 0;
      let stopped = false;
      const loadDone = load(`${base}/hello`, 16, () => stopped);
      await delay(700);
      signalledAt = performance.now();
      service.child.kill("SIGTERM");
      await delay(shutdownDelayMs / 2);
      stopped = true;
      const result = await loadDone;
      const exit = await service.exited;
      const exitAfterMs = exit.at - signalledAt;
      timings.push([`${name}: shutdown after SIGTERM (${result.ok} requests answered under load)`, exitAfterMs]);

      expect(result.failed, result.errors.join(", ")).toBe(0);
      expect(result.refused).toBe(0);
      expect(result.ok).toBeGreaterThan(50);
      expect(exit.code).toBe(0);
      expect(exitAfterMs).toBeGreaterThanOrEqual(shutdownDelayMs);
      expect(exitAfterMs).toBeLessThan(Math.min(shutdownDelayMs + 1500, ctx.timings.drainBudgetMs));

      // Every stdout line is JSON, nothing went to stderr, and no request's log line was lost.
      const all = logs();
      expect(service.stderr()).toBe("");
      expect(all.filter((l) => l.msg === "request" && l.path === "/hello")).toHaveLength(result.ok + 1);
      expect(all.every((l) => typeof l.time === "string" && typeof l.level === "string" && l.service === ctx.name)).toBe(true);
      expect(all.filter((l) => l.level === "error" || l.level === "fatal")).toEqual([]);
      expect(all.at(-1)?.msg).toBe("shutdown complete");

      if (collector) {
        const span = await waitFor("the server span of GET /hello", () => collector.spans().find((s) => s.name === "GET /hello"));
        expect(span.kind).toBe(2);
        const traced = all.filter((l) => l.msg === "request" && l.trace_id !== undefined);
        expect(traced.length).toBeGreaterThan(0);
        expect(collector.spans().map((s) => s.traceId)).toContain(traced[0]!.trace_id);
      } else {
        expect(all.some((l) => "trace_id" in l)).toBe(false);
      }
    } finally {
      if (service && service.child.exitCode === null) service.child.kill("SIGKILL");
      fake.child.kill("SIGTERM");
      collector?.close();
      timings.push([`${name}: run checks`, performance.now() - started]);
    }
  }, 120_000);
});
