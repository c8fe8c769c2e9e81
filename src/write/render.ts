/**
 * Render the whole project into a directory through the plop generator. Pure until commit: callers render
 * into a staging directory and only move it into place once every file has rendered.
 */
import path from "node:path";
import nodePlop from "node-plop";
import type { ServiceOptions } from "../options/schema.js";
import { buildContext } from "../context.js";
import { buildDocuments } from "../artifacts/index.js";
import { TEMPLATES_DIR, packageVersion } from "../paths.js";
import { registerServiceGenerator, listFiles } from "../../generators/service.js";
import { PRECOMPILED_TEMPLATES } from "./precompiled-templates.js";

export class GenerationError extends Error {
  override name = "GenerationError";
  readonly exitCode = 1;
}

/**
 * Renders every file of the project into `destDir` and returns the relative paths written, sorted.
 * `checkDependency` is the package.json spec of the create-fargate-service dev dependency (default: this version).
 */
export async function renderProject(
  options: ServiceOptions,
  destDir: string,
  templatesDir = TEMPLATES_DIR,
  checkDependency = packageVersion(),
): Promise<string[]> {
  const plop = await nodePlop(undefined, { destBasePath: path.resolve(destDir), force: false });
  registerServiceGenerator(plop, { templatesDir, buildDocuments, precompiled: PRECOMPILED_TEMPLATES });
  const ctx = buildContext(options, packageVersion(), checkDependency);
  const { failures } = await plop.getGenerator("service").runActions(ctx);
  if (failures.length > 0) {
    const first = failures[0]!;
    throw new GenerationError(`could not generate ${first.path || first.type}: ${first.error}`);
  }
  return listFiles(destDir);
}
