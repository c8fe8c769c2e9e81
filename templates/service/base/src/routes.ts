import { HttpError, readJson, sendJson, type Route } from "./http.js";
import type { Lifecycle } from "./lifecycle.js";

/**
 * GET /healthz: liveness, 200 while the process runs (the container health check calls it through
 * dist/healthcheck.js). GET /readyz: readiness, 503 while starting or draining.
 */
export function healthRoutes(lifecycle: Lifecycle): Route[] {
  return [
    {
      method: "GET",
      path: "/healthz",
      quiet: true,
      handler: (_req, res) => sendJson(res, 200, { status: "ok" }),
    },
    {
      method: "GET",
      path: "/readyz",
      quiet: true,
      handler: (_req, res) =>
        lifecycle.ready ? sendJson(res, 200, { status: "ready" }) : sendJson(res, 503, { status: lifecycle.phase }),
    },
  ];
}

const MAX_NAME_LENGTH = 100;

function greeting(name: unknown): { message: string } {
  if (typeof name !== "string" || name.trim().length === 0 || name.length > MAX_NAME_LENGTH) {
    throw new HttpError(400, "bad_request", `name must be a non-empty string of at most ${MAX_NAME_LENGTH} characters`);
  }
  return { message: `Hello, ${name.trim()}!` };
}

/**
 * The example resource.
 *   GET  /hello?name=Ada            → 200 {"message":"Hello, Ada!"}   (name defaults to "world")
 *   POST /hello  {"name":"Ada"}     → 200 {"message":"Hello, Ada!"}
 */
export const helloRoutes: Route[] = [
  {
    method: "GET",
    path: "/hello",
    handler: (_req, res, ctx) => {
      const name = ctx.search ? new URLSearchParams(ctx.search).get("name") : null;
      sendJson(res, 200, greeting(name ?? "world"));
    },
  },
  {
    method: "POST",
    path: "/hello",
    handler: async (req, res) => {
      const body = await readJson(req, 16 * 1024);
      const name = typeof body === "object" && body !== null ? (body as Record<string, unknown>).name : undefined;
      sendJson(res, 200, greeting(name));
    },
  },
];
