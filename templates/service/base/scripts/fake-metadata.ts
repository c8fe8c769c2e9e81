/**
 * A local stand-in for the ECS task metadata endpoint v4, so the task identity and the metrics run on a laptop.
 *
 *   npm run fake-metadata                    serves http://127.0.0.1:9100/v4/local (--port, --delay <ms>, --status <code>)
 *   ECS_CONTAINER_METADATA_URI_V4=http://127.0.0.1:9100/v4/local npm run dev
 *
 * It serves the samples in scripts/metadata/ (shaped like the documented Fargate responses, sized like this task):
 * `/task`, `/task/stats`, the container's own metadata and `/stats`. The stats counters advance with the clock at
 * the sample's own rates, so the service reports steady, predictable CPU, memory and network figures.
 * Tests start it in-process with their own documents, delays and failures.
 */
import http from "node:http";
import fs from "node:fs";
import { fileURLToPath } from "node:url";

export interface FakeMetadataOptions {
  /** 0 = any free port. */
  port?: number;
  /** The /task document (default: scripts/metadata/task.json). */
  task?: unknown;
  /** The /task/stats document (default: scripts/metadata/task-stats.json); advanced with the clock. */
  stats?: unknown;
  /** Answer every request this late. */
  delayMs?: number;
  /** Answer every request with this status and no document. */
  status?: number;
}

export interface FakeMetadata {
  /** The value for ECS_CONTAINER_METADATA_URI_V4. */
  uri: string;
  /** Requests served so far, by path. */
  requests: string[];
  close(): Promise<void>;
}

const BASE_PATH = "/v4/local";

export function readSample(name: "task" | "task-stats"): unknown {
  return JSON.parse(fs.readFileSync(new URL(`./metadata/${name}.json`, import.meta.url), "utf8")) as unknown;
}

type Json = Record<string, unknown>;

function isJson(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function obj(parent: Json, key: string): Json {
  const value = parent[key];
  return isJson(value) ? value : {};
}

/**
 * The sample as if read at `nowMs`: `read`/`preread` move to now, the cumulative counters grow at the rate the
 * sample implies (CPU from cpu_stats − precpu_stats, network from network_rate_stats).
 */
export function advanceStats(sample: unknown, nowMs: number): unknown {
  if (!isJson(sample)) return sample;
  const out: Json = {};
  for (const [id, original] of Object.entries(sample)) {
    if (!isJson(original) || typeof original.read !== "string" || typeof original.preread !== "string") {
      out[id] = original;
      continue;
    }
    const stats = structuredClone(original);
    const readMs = Date.parse(original.read);
    const windowMs = readMs - Date.parse(original.preread);
    const shiftMs = nowMs - readMs;
    stats.read = new Date(nowMs).toISOString();
    stats.preread = new Date(nowMs - windowMs).toISOString();
    const cpu = obj(obj(stats, "cpu_stats"), "cpu_usage");
    const precpu = obj(obj(stats, "precpu_stats"), "cpu_usage");
    if (typeof cpu.total_usage === "number" && typeof precpu.total_usage === "number" && windowMs > 0) {
      const nsPerMs = (cpu.total_usage - precpu.total_usage) / windowMs;
      cpu.total_usage = Math.round(cpu.total_usage + nsPerMs * shiftMs);
      precpu.total_usage = Math.round(precpu.total_usage + nsPerMs * shiftMs);
    }
    const rates = obj(stats, "network_rate_stats");
    for (const iface of Object.values(obj(stats, "networks"))) {
      if (!isJson(iface)) continue;
      if (typeof iface.rx_bytes === "number" && typeof rates.rx_bytes_per_sec === "number") {
        iface.rx_bytes = Math.round(iface.rx_bytes + (rates.rx_bytes_per_sec * shiftMs) / 1000);
      }
      if (typeof iface.tx_bytes === "number" && typeof rates.tx_bytes_per_sec === "number") {
        iface.tx_bytes = Math.round(iface.tx_bytes + (rates.tx_bytes_per_sec * shiftMs) / 1000);
      }
    }
    out[id] = stats;
  }
  return out;
}

export function startFakeMetadata(options: FakeMetadataOptions = {}): Promise<FakeMetadata> {
  const task = options.task ?? readSample("task");
  const stats = options.stats ?? readSample("task-stats");
  const requests: string[] = [];

  const documentFor = (path: string): unknown => {
    const containers = isJson(task) && Array.isArray(task.Containers) ? (task.Containers as unknown[]) : [];
    const own = containers.find((c) => isJson(c) && c.Name === {{json names.container}}) ?? containers[0];
    const ownId = isJson(own) ? own.DockerId : undefined;
    switch (path) {
      case "":
        return own;
      case "/task":
        return task;
      case "/task/stats":
        return advanceStats(stats, Date.now());
      case "/stats": {
        const all = advanceStats(stats, Date.now());
        return isJson(all) && typeof ownId === "string" ? all[ownId] : undefined;
      }
      default:
        return undefined;
    }
  };

  const server = http.createServer((req, res) => {
    const url = req.url ?? "/";
    requests.push(url);
    const respond = (): void => {
      if (options.status) {
        res.writeHead(options.status, { "content-type": "text/plain" }).end("unavailable");
        return;
      }
      const document = url.startsWith(BASE_PATH) ? documentFor(url.slice(BASE_PATH.length)) : undefined;
      if (document === undefined) {
        res.writeHead(404, { "content-type": "text/plain" }).end("404 page not found");
        return;
      }
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(document));
    };
    if (options.delayMs) setTimeout(respond, options.delayMs);
    else respond();
  });

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      resolve({
        uri: `http://127.0.0.1:${port}${BASE_PATH}`,
        requests,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

function flag(args: string[], name: string): number | undefined {
  const i = args.indexOf(name);
  if (i === -1) return undefined;
  const value = Number(args[i + 1]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} needs a whole number`);
  return value;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === fs.realpathSync(process.argv[1])) {
  const args = process.argv.slice(2);
  const fake = await startFakeMetadata({
    port: flag(args, "--port") ?? 9100,
    delayMs: flag(args, "--delay"),
    status: flag(args, "--status"),
  });
  process.stdout.write(`Fake task metadata endpoint ready. In another terminal:\n\n  ECS_CONTAINER_METADATA_URI_V4=${fake.uri} npm run dev\n\n`);
  const stop = (): void => void fake.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
