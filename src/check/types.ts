/**
 * Types shared by the `check` engine, its loaders and its rules.
 * The engine works on already-parsed documents (pure); loaders turn files into these.
 */

export type Severity = "error" | "warning" | "info";

/** A path inside a parsed document: object keys and array indexes, e.g. ["containerDefinitions", 0, "image"]. */
export type DocPath = ReadonlyArray<string | number>;

/** What a rule reports. */
export interface Finding {
  rule: string;
  severity: Severity;
  /** Project-relative file, "/" separators. */
  file: string;
  /** Dotted field path inside the file, e.g. "containerDefinitions[0].portMappings[0].containerPort". Empty for the whole file. */
  field: string;
  /** 1-based line of the field when the loader knew it. */
  line?: number;
  /** One line: what is wrong, naming the value. */
  message: string;
  /** One line: how to fix it. */
  fix: string;
}

/** Static description of a rule (docs/check.md documents each). */
export interface RuleMeta {
  id: string;
  severity: Severity;
  /** One line: what it checks. */
  title: string;
}

/** A parsed JSON or YAML document with the line of each node when known. */
export interface ParsedDoc {
  /** Project-relative path. */
  file: string;
  data: unknown;
  /** Line (1-based) of the node at a path, keyed by `pathKey(path)`. */
  lines?: ReadonlyMap<string, number>;
}

export function pathKey(path: DocPath): string {
  return path.map(String).join("\u0000");
}

/** Instruction of a Dockerfile, continuation lines joined. */
export interface DockerInstruction {
  /** Upper-case keyword: FROM, EXPOSE, USER, CMD, ENTRYPOINT, HEALTHCHECK, ARG, ENV, RUN, … */
  keyword: string;
  /** Flags before the arguments, e.g. { platform: "linux/arm64" } for FROM --platform=linux/arm64. */
  flags: Record<string, string>;
  /** Everything after the keyword and flags, trimmed. */
  args: string;
  /** For CMD/ENTRYPOINT/RUN/HEALTHCHECK CMD: the JSON array when written in exec form. */
  exec?: string[];
  line: number;
}

export interface DockerStage {
  /** FROM image as written (variables not expanded). */
  image: string;
  /** FROM image with ARG defaults expanded. */
  resolvedImage: string;
  /** --platform value as written, if any. */
  platform?: string;
  name?: string;
  line: number;
  instructions: DockerInstruction[];
}

export interface Dockerfile {
  file: string;
  stages: DockerStage[];
  /** ARGs declared before the first FROM, with defaults. */
  globalArgs: Record<string, string | undefined>;
}

/** A build script, CI workflow or package.json in which `docker build --platform` may appear. */
export interface BuildScript {
  file: string;
  text: string;
}

/** Everything `checkProject` looks at. Any list may be empty. */
export interface CheckInput {
  /** ECS task definitions in register form, or describe-task-definition form ({ taskDefinition: … }). */
  taskDefinitions: ParsedDoc[];
  /** IAM policy documents (identity policies and trust policies) as standalone JSON files, e.g. ecs/execution-role-policy.json. */
  policies: ParsedDoc[];
  /** CloudFormation templates, short-form tags already turned into their long form ({ "Fn::GetAtt": […] }). */
  templates: ParsedDoc[];
  dockerfiles: Dockerfile[];
  buildScripts: BuildScript[];
}

export function emptyInput(): CheckInput {
  return { taskDefinitions: [], policies: [], templates: [], dockerfiles: [], buildScripts: [] };
}

/** A file the loader could not read or parse: exit 2. */
export class InputError extends Error {
  override name = "InputError";
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly column: number | undefined,
    readonly detail: string,
  ) {
    super(`${file}${line !== undefined ? `:${line}${column !== undefined ? `:${column}` : ""}` : ""}: ${detail}`);
  }
}
