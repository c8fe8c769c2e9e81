/**
 * The ECS task metadata endpoint v4: ECS sets ECS_CONTAINER_METADATA_URI_V4 in every container of the task.
 *   ${uri}/task        task ARN, family, revision, availability zone, Limits {CPU (vCPU), Memory (MiB)}, containers
 *   ${uri}/task/stats  Docker stats of every container in the task, keyed by DockerId
 * Documented responses: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-metadata-endpoint-v4-fargate.html
 * Every field is treated as optional: the endpoint may be slow, erroring or return partial documents.
 */
import http from "node:http";

const MAX_BODY_BYTES = 4 * 1024 * 1024;

export class MetadataError extends Error {
  override name = "MetadataError";
}

/** GET a JSON document; rejects on a non-200 status, invalid JSON, a body over 4 MiB or after `timeoutMs`. */
export function getJson(url: string, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { signal: AbortSignal.timeout(timeoutMs) }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new MetadataError(`GET ${url}: HTTP ${res.statusCode}`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) req.destroy(new MetadataError(`GET ${url}: response larger than ${MAX_BODY_BYTES} bytes`));
        else chunks.push(chunk);
      });
      res.on("end", () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown);
        } catch {
          reject(new MetadataError(`GET ${url}: response is not JSON`));
        }
      });
      res.on("error", reject);
    });
    req.on("error", (err: Error) => {
      reject(err.name === "AbortError" ? new MetadataError(`GET ${url}: no response within ${timeoutMs} ms`) : err);
    });
  });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

function positive(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** Who this task is; added to every log line. */
export interface TaskIdentity {
  taskArn?: string;
  taskId?: string;
  taskFamily?: string;
  taskRevision?: string;
  availabilityZone?: string;
}

export function identityOf(task: unknown): TaskIdentity {
  if (!isRecord(task)) return {};
  const identity: TaskIdentity = {};
  const arn = str(task.TaskARN);
  if (arn) {
    identity.taskArn = arn;
    identity.taskId = arn.slice(arn.lastIndexOf("/") + 1);
  }
  const family = str(task.Family);
  if (family) identity.taskFamily = family;
  const revision = str(task.Revision) ?? (typeof task.Revision === "number" ? String(task.Revision) : undefined);
  if (revision) identity.taskRevision = revision;
  const az = str(task.AvailabilityZone);
  if (az) identity.availabilityZone = az;
  return identity;
}

/** The task size from `Limits`: what ECS service CPU/memory utilization is measured against. */
export interface TaskLimits {
  /** vCPU, e.g. 0.25 for 256 CPU units. */
  cpu?: number;
  memoryMiB?: number;
}

export function limitsOf(task: unknown): TaskLimits {
  if (!isRecord(task) || !isRecord(task.Limits)) return {};
  const limits: TaskLimits = {};
  const cpu = positive(task.Limits.CPU);
  if (cpu !== undefined) limits.cpu = cpu;
  const memory = positive(task.Limits.Memory);
  if (memory !== undefined) limits.memoryMiB = memory;
  return limits;
}

/** Cluster name (from the ARN or short name) and ECS service name, when the task belongs to a service. */
export function placementOf(task: unknown): { cluster?: string; service?: string } {
  if (!isRecord(task)) return {};
  const placement: { cluster?: string; service?: string } = {};
  const cluster = str(task.Cluster);
  if (cluster) placement.cluster = cluster.slice(cluster.lastIndexOf("/") + 1);
  const service = str(task.ServiceName);
  if (service) placement.service = service;
  return placement;
}
