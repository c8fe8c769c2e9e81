/**
 * The container health check: `node dist/healthcheck.js` exits 0 when GET http://127.0.0.1:$PORT/healthz answers
 * 200 within 3 seconds, else 1. The task definition runs it (["CMD", "node", "dist/healthcheck.js"]); the slim
 * image has no curl or wget, and this needs nothing but Node.
 */
import http from "node:http";
import fs from "node:fs";
import { pathToFileURL } from "node:url";

const TIMEOUT_MS = 3000;

/** PORT as the service reads it (default {{port}}); undefined when it is not a valid port. */
export function portFrom(env: Record<string, string | undefined>): number | undefined {
  const raw = env.PORT?.trim() || "{{port}}";
  const port = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? port : undefined;
}

/** True when /healthz answers 200 within `timeoutMs` (connecting included). */
export function probe(port: number, timeoutMs = TIMEOUT_MS): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(
      { host: "127.0.0.1", port, path: "/healthz", headers: { "user-agent": "healthcheck" }, signal: AbortSignal.timeout(timeoutMs) },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on("error", () => resolve(false));
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(fs.realpathSync(process.argv[1])).href) {
  const port = portFrom(process.env);
  process.exit(port !== undefined && (await probe(port)) ? 0 : 1);
}
