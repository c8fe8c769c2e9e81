/**
 * Finding and loading the files `check` reads. The only part of `check` that touches the file system.
 * Default discovery (in the project directory): ecs/*.json, .aws/*.json, task-definition.json, infra/*.{yaml,yml,json},
 * Dockerfile, and build scripts (package.json, Makefile, *.sh, scripts/*.sh, .github/workflows/*.yml, buildspec.yml).
 * Unreadable or malformed files throw InputError (file, line, what was expected) → exit 2.
 */
import fs from "node:fs";
import path from "node:path";
import { parseDockerfile } from "./dockerfile.js";
import { parseJson, parseYaml } from "./parse.js";
import { InputError, emptyInput, type CheckInput, type ParsedDoc } from "../types.js";

export type FileKind = "task-definition" | "policy" | "template" | "dockerfile" | "build-script";

export interface LoadResult {
  input: CheckInput;
  /** Project-relative paths, each with the kind it was read as. */
  files: Array<{ file: string; kind: FileKind }>;
}

function rel(base: string, abs: string): string {
  const r = path.relative(base, abs);
  return (r.startsWith("..") || path.isAbsolute(r) ? abs : r).split(path.sep).join("/");
}

function readText(abs: string, shown: string): string {
  try {
    const buf = fs.readFileSync(abs);
    if (buf.includes(0)) throw new InputError(shown, undefined, undefined, "is a binary file; expected text (JSON, YAML, a Dockerfile or a script)");
    return buf.toString("utf8");
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory; expected a file" : code === "EACCES" ? "permission denied" : (err as Error).message;
    throw new InputError(shown, undefined, undefined, `cannot read it (${why})`);
  }
}

function listDir(dir: string, re: RegExp): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile() && re.test(e.name))
      .map((e) => path.join(dir, e.name))
      .sort();
  } catch {
    return [];
  }
}

/** Files `check` reads in a project directory when none are named. */
export function discover(dir: string): string[] {
  const out: string[] = [];
  const add = (p: string) => {
    if (fs.existsSync(p) && fs.statSync(p).isFile()) out.push(p);
  };
  out.push(...listDir(path.join(dir, "ecs"), /\.json$/i));
  out.push(...listDir(path.join(dir, ".aws"), /task-definition.*\.json$/i));
  add(path.join(dir, "task-definition.json"));
  out.push(...listDir(path.join(dir, "infra"), /\.(ya?ml|json|template)$/i));
  add(path.join(dir, "Dockerfile"));
  add(path.join(dir, "package.json"));
  add(path.join(dir, "Makefile"));
  add(path.join(dir, "buildspec.yml"));
  add(path.join(dir, "buildspec.yaml"));
  out.push(...listDir(dir, /\.sh$/i));
  out.push(...listDir(path.join(dir, "scripts"), /\.(sh|mjs|js|ts)$/i));
  out.push(...listDir(path.join(dir, ".github", "workflows"), /\.ya?ml$/i));
  return [...new Set(out)];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function classifyData(data: unknown): FileKind | "workflow" | "package" | undefined {
  if (!isObject(data)) return undefined;
  if ("containerDefinitions" in data || (isObject(data.taskDefinition) && "containerDefinitions" in data.taskDefinition)) return "task-definition";
  if ("Statement" in data) return "policy";
  if ("Resources" in data || "AWSTemplateFormatVersion" in data) return "template";
  if ("jobs" in data || "phases" in data) return "workflow";
  if ("scripts" in data && "name" in data) return "package";
  return undefined;
}

const EXPECTED = "an ECS task definition (containerDefinitions, or taskDefinition from describe-task-definition), an IAM policy (Statement) or a CloudFormation template (Resources)";

/**
 * Classify and parse files already read (pure). `explicit` files must each be recognised; discovered files that are
 * not (e.g. an unrelated JSON file in ecs/) are skipped.
 */
export function loadTexts(texts: Array<{ file: string; text: string }>, explicit: boolean): LoadResult {
  const input = emptyInput();
  const files: LoadResult["files"] = [];
  for (const { file, text } of texts) {
    const name = file.split("/").pop()!;
    const lower = name.toLowerCase();
    if (/^dockerfile(\..+)?$/i.test(name) || /\.dockerfile$/i.test(name) || /^containerfile$/i.test(name)) {
      input.dockerfiles.push(parseDockerfile(file, text));
      files.push({ file, kind: "dockerfile" });
      continue;
    }
    const isJson = lower.endsWith(".json");
    const isYaml = /\.(ya?ml|template)$/.test(lower);
    if (!isJson && !isYaml) {
      input.buildScripts.push({ file, text });
      files.push({ file, kind: "build-script" });
      continue;
    }
    let doc: ParsedDoc;
    if (isJson) doc = parseJson(file, text);
    else if (lower.endsWith(".template") && text.trimStart().startsWith("{")) doc = parseJson(file, text);
    else doc = parseYaml(file, text);
    const kind = classifyData(doc.data);
    if (kind === "workflow" || kind === "package") {
      input.buildScripts.push({ file, text });
      files.push({ file, kind: "build-script" });
      continue;
    }
    if (kind === undefined) {
      if (!explicit) continue;
      throw new InputError(file, 1, 1, `not a file check understands; expected ${EXPECTED}`);
    }
    if (kind === "template" && !isObject((doc.data as Record<string, unknown>).Resources)) {
      throw new InputError(file, doc.lines?.get("Resources") ?? 1, 1, "Resources is not a mapping; expected a CloudFormation template whose Resources maps logical ids to resources");
    }
    if (kind === "task-definition") input.taskDefinitions.push(doc);
    else if (kind === "policy") input.policies.push(doc);
    else input.templates.push(doc);
    files.push({ file, kind });
  }
  return { input, files };
}

/** Read files (relative names are shown relative to `base`) and load them. */
export function loadFiles(base: string, absPaths: string[], explicit: boolean): LoadResult {
  return loadTexts(
    absPaths.map((abs) => {
      const file = rel(base, abs);
      return { file, text: readText(abs, file) };
    }),
    explicit,
  );
}

/** Discover (or take the given files) under `dir` and load them. */
export function loadProject(dir: string, named: string[] = []): LoadResult {
  const base = path.resolve(dir);
  if (named.length) return loadFiles(base, named.map((f) => path.resolve(base, f)), true);
  if (!fs.existsSync(base) || !fs.statSync(base).isDirectory()) throw new InputError(rel(process.cwd(), base), undefined, undefined, "is not a directory");
  return loadFiles(base, discover(base), false);
}
