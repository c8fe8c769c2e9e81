/**
 * A tiny CloudWatch Logs look-alike on a loopback port, for the faults moto cannot produce on demand:
 * it speaks the awsJson1_1 protocol (POST /, `X-Amz-Target: Logs_20140328.<Operation>`, errors as `{"__type", "message"}`)
 * and answers each operation from a script. Every request is recorded, so a test can prove nothing was sent.
 */
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

export type Reply =
  | { status?: number; body?: unknown }
  | { status: number; error: string; message?: string }
  /** Accept the request and never answer (timeouts). */
  | "hang"
  /** Destroy the socket without a response. */
  | "reset";

export interface RecordedRequest {
  operation: string;
  body: Record<string, unknown>;
  headers: http.IncomingHttpHeaders;
}

export interface FaultServer {
  endpoint: string;
  port: number;
  requests: RecordedRequest[];
  /** Answers for one operation, in order; the last one repeats. Unscripted: DescribeLogGroups → no groups, others → {}. */
  script(operation: string, ...replies: Reply[]): void;
  reset(): void;
  close(): Promise<void>;
}

const DEFAULTS: Record<string, Reply> = {
  DescribeLogGroups: { body: { logGroups: [] } },
  ListTagsForResource: { body: { tags: {} } },
};

export async function startFaultServer(): Promise<FaultServer> {
  const requests: RecordedRequest[] = [];
  let scripts = new Map<string, Reply[]>();
  const sockets = new Set<Socket>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const target = String(req.headers["x-amz-target"] ?? "");
      const operation = target.replace(/^Logs_20140328\./, "");
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown>;
      } catch {
        /* keep {} */
      }
      requests.push({ operation, body, headers: req.headers });
      const queue = scripts.get(operation);
      const reply: Reply = (queue && (queue.length > 1 ? queue.shift() : queue[0])) ?? DEFAULTS[operation] ?? { body: {} };
      if (reply === "hang") return;
      if (reply === "reset") {
        req.socket.destroy();
        return;
      }
      const headers = { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": `req-${requests.length}` };
      if ("error" in reply) {
        res.writeHead(reply.status, { ...headers, "x-amzn-errortype": `${reply.error}:` });
        res.end(JSON.stringify({ __type: reply.error, ...(reply.message !== undefined ? { message: reply.message } : {}) }));
      } else {
        res.writeHead(reply.status ?? 200, headers);
        res.end(JSON.stringify(reply.body ?? {}));
      }
    });
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    requests,
    script(operation, ...replies) {
      scripts.set(operation, [...replies]);
    },
    reset() {
      requests.length = 0;
      scripts = new Map();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port with nothing listening (connection refused). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
