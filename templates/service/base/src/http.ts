/**
 * A small HTTP layer on node:http: exact-path routing, JSON bodies, request ids and one log line per request.
 * No framework: per request it costs a fraction of what the popular ones do (see BENCHMARKS in the generator's repo).
 */
import http, { type IncomingMessage, type ServerResponse } from "node:http";
{{#if tracing}}
import { trace } from "@opentelemetry/api";
{{/if}}
import type { Logger } from "./logger.js";
import { monotonicMs, type Lifecycle } from "./lifecycle.js";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface RequestContext {
  /** The caller's x-request-id when it is a sane token, else a new id; on the request's log line and error bodies. */
  requestId: string;
  /** The path without the query string. */
  path: string;
  /** The query string without "?", "" when there is none. */
  search: string;
  logger: Logger;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, ctx: RequestContext) => void | Promise<void>;

export interface Route {
  method: Method;
  path: string;
  handler: Handler;
  /** Log this route's requests at debug level (health checks arrive every few seconds). */
  quiet?: boolean;
}

/** An error with an HTTP status that is safe to show to the client. */
export class HttpError extends Error {
  override name = "HttpError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader("content-type", "application/json; charset=utf-8");
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, status: number, code: string, message: string, requestId: string): void {
  sendJson(res, status, { error: code, message, requestId });
}

/** Reads a JSON request body of at most `limitBytes`; rejects with a 4xx HttpError otherwise. */
export async function readJson(req: IncomingMessage, limitBytes = 1024 * 1024): Promise<unknown> {
  const type = req.headers["content-type"] ?? "";
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    throw new HttpError(415, "unsupported_media_type", "expected content-type: application/json");
  }
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limitBytes) throw new HttpError(413, "payload_too_large", `body is larger than ${limitBytes} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) throw new HttpError(413, "payload_too_large", `body is larger than ${limitBytes} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
  } catch {
    throw new HttpError(400, "bad_request", "body is not valid JSON");
  }
}

const REQUEST_ID = /^[\w.:@/+=-]{1,128}$/;
/**
 * Request ids made here: 48 random bits per process, then a counter. Unique across tasks and far cheaper than a
 * UUID per request; they identify log lines, they are not secrets (so Math.random, and no crypto module to load).
 */
const ID_PREFIX = Math.floor(Math.random() * 2 ** 48)
  .toString(16)
  .padStart(12, "0");
let lastId = 0;

function requestIdOf(req: IncomingMessage): string {
  const given = req.headers["x-request-id"];
  return typeof given === "string" && REQUEST_ID.test(given) ? given : `${ID_PREFIX}-${(++lastId).toString(36)}`;
}

interface RequestLogFields {
  requestId: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  aborted?: boolean;
}

export interface RequestListenerOptions {
  routes: Route[];
  logger: Logger;
  lifecycle: Lifecycle;
}

/** The server's request listener: routing, error handling, drain behaviour and the request log line. */
export function createRequestListener({ routes, logger, lifecycle }: RequestListenerOptions): http.RequestListener {
  const table = new Map<string, Map<string, Route>>();
  for (const route of routes) {
    const byMethod = table.get(route.path) ?? new Map<string, Route>();
    byMethod.set(route.method, route);
    table.set(route.path, byMethod);
  }

  return (req, res) => {
    const start = monotonicMs();
    const requestId = requestIdOf(req);
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q === -1 ? url : url.slice(0, q);
    const method = req.method ?? "GET";
    const byMethod = table.get(path);
    const route = byMethod?.get(method === "HEAD" ? "GET" : method);

    lifecycle.requestStarted();
    // While draining, every response asks the client to reconnect, which moves it to another task.
    if (lifecycle.draining) res.setHeader("connection", "close");

    // "close" comes once per response, when it has been sent or the connection was lost.
    res.on("close", () => {
      lifecycle.requestFinished();
      const fields: RequestLogFields = {
        requestId,
        method,
        path,
        status: res.statusCode,
        durationMs: Math.round((monotonicMs() - start) * 100) / 100,
      };
      // The client went away before the response was complete.
      if (!res.writableFinished) fields.aborted = true;
      if (route?.quiet) logger.debug(fields, "request");
      else logger.info(fields, "request");
    });

    if (!route) {
      if (byMethod) {
        res.setHeader("allow", [...byMethod.keys()].join(", "));
        sendError(res, 405, "method_not_allowed", `${method} is not allowed on ${path}`, requestId);
      } else {
        sendError(res, 404, "not_found", `no route for ${method} ${path}`, requestId);
      }
      return;
    }

{{#if tracing}}
    // Name the server span after the route ("GET /hello"); a span named after the raw path would not group.
    trace.getActiveSpan()?.updateName(`${method} ${route.path}`).setAttribute("http.route", route.path);
{{/if}}
    try {
      const result = route.handler(req, res, { requestId, path, search: q === -1 ? "" : url.slice(q + 1), logger });
      if (result) result.catch((err: unknown) => fail(res, err, requestId, method, path));
    } catch (err) {
      fail(res, err, requestId, method, path);
    }
  };

  /** A handler threw: its HttpError goes to the client; anything else is logged with its stack and is a bare 500. */
  function fail(res: ServerResponse, err: unknown, requestId: string, method: string, path: string): void {
    if (err instanceof HttpError) {
      if (!res.headersSent) sendError(res, err.status, err.code, err.message, requestId);
      return;
    }
    logger.error({ err, requestId, method, path }, "request failed");
    if (res.headersSent) res.destroy();
    else sendError(res, 500, "internal_error", "internal server error", requestId);
  }
}
