/**
 * Every structured document of the generated project, built from the context as typed objects.
 * project.ts: package.json, tsconfig.json (the application). deploy.ts: ecs/*.json, infra/stack.yaml, workflows.
 */
import type { GeneratedFile, ServiceContext } from "../context.js";
import { buildProjectDocuments } from "./project.js";
import { buildDeployDocuments } from "./deploy.js";

export function buildDocuments(ctx: ServiceContext): GeneratedFile[] {
  return [...buildProjectDocuments(ctx), ...buildDeployDocuments(ctx)];
}

/** JSON as written to disk: two-space indent and a final newline. */
export function jsonFile(path: string, value: unknown): GeneratedFile {
  return { path, content: `${JSON.stringify(value, null, 2)}\n` };
}
