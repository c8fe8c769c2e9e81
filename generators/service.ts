/**
 * The `service` plop generator: its actions are a pure function of the ServiceContext.
 *
 * - Text files (code, Dockerfile, README) come from `templates/service/<feature>/**`, rendered by an isolated
 *   handlebars instance with `noEscape` (no HTML entities, ever) and `strict` (a misspelt variable fails generation).
 * - Structured files (task definition, IAM, CloudFormation, package.json) are built as typed objects in
 *   `src/artifacts/` and written as they are: they are never templated.
 *
 * Paths: a template path segment starting with a single "_" is written with a "." instead
 * (`_gitignore` → `.gitignore`), because npm drops some dotfiles from published tarballs.
 */
import fs from "node:fs";
import path from "node:path";
import Handlebars from "handlebars";
import type { NodePlopAPI, ActionType } from "node-plop";
import type { GeneratedFile, ServiceContext } from "../src/context.js";
import { TEMPLATE_OPTIONS, isStaticTemplate, type PrecompiledTemplates } from "../src/write/precompiled-templates.js";
import { TEMPLATE_HELPERS } from "../src/write/template-helpers.js";

/**
 * Feature folders under templates/service/. `base` is always rendered; the others only when their option is on.
 * A file in a feature folder replaces the same path from `base`.
 */
export const TEMPLATE_FEATURES: ReadonlyArray<readonly [folder: string, enabled: (ctx: ServiceContext) => boolean]> = [
  ["base", () => true],
  ["tracing", (ctx) => ctx.tracing],
];

export interface ServiceGeneratorConfig {
  /** Absolute path of the `templates/` directory. */
  templatesDir: string;
  /** Structured documents built from the context (src/artifacts). */
  buildDocuments: (ctx: ServiceContext) => GeneratedFile[];
  /** Templates compiled ahead of time (the bundle's, see src/write/precompiled-templates.ts); others compile when rendered. */
  precompiled?: PrecompiledTemplates;
}

export interface RenderAction {
  type: "render";
  /** Absolute template path. */
  templateFile: string;
  /** Output path relative to the destination. */
  path: string;
}

export interface DocumentAction {
  type: "document";
  file: GeneratedFile;
}

/** Output path for a template path relative to its feature folder. */
export function outputPathFor(templateRelPath: string): string {
  return templateRelPath
    .split("/")
    .map((seg) => (/^_[^_]/.test(seg) ? `.${seg.slice(1)}` : seg))
    .join("/");
}

/** Every file below `dir`, as "/"-separated relative paths, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else out.push(child);
    }
  };
  if (fs.existsSync(dir)) walk("");
  return out.sort();
}

/** The plan: which template renders to which path, plus the structured documents. Later entries win. */
export function planActions(ctx: ServiceContext, config: ServiceGeneratorConfig): Array<RenderAction | DocumentAction> {
  const byPath = new Map<string, RenderAction | DocumentAction>();
  for (const [folder, enabled] of TEMPLATE_FEATURES) {
    if (!enabled(ctx)) continue;
    const root = path.join(config.templatesDir, "service", folder);
    for (const rel of listFiles(root)) {
      const out = outputPathFor(rel);
      byPath.set(out, { type: "render", templateFile: path.join(root, rel), path: out });
    }
  }
  for (const file of config.buildDocuments(ctx)) {
    byPath.set(file.path, { type: "document", file });
  }
  return [...byPath.values()];
}

/** Renders one template's text with the context; `name` is for error messages. */
export type Renderer = (source: string, ctx: ServiceContext, name: string) => string;

/** A renderer on an isolated handlebars: noEscape + strict, our helpers and partials only. */
export function createRenderer(templatesDir: string, precompiled: PrecompiledTemplates = new Map()): Renderer {
  const hbs = Handlebars.create();
  hbs.registerHelper(TEMPLATE_HELPERS);
  // A partial registered as text is compiled with the options of the template that calls it, and a precompiled
  // template carries none (it would HTML-escape): precompiled templates are used only if every partial is precompiled.
  let everyPartialPrecompiled = true;
  const partialsDir = path.join(templatesDir, "partials");
  for (const rel of listFiles(partialsDir)) {
    const name = rel.replace(/\.[^.]+$/, "");
    const source = fs.readFileSync(path.join(partialsDir, rel), "utf8");
    const spec = precompiled.get(source);
    if (spec) hbs.registerPartial(name, hbs.template(spec));
    else {
      everyPartialPrecompiled = false;
      hbs.registerPartial(name, source);
    }
  }
  const usable: PrecompiledTemplates = everyPartialPrecompiled ? precompiled : new Map();
  return (source, ctx, name) => {
    if (isStaticTemplate(source)) return source;
    try {
      const spec = usable.get(source);
      return (spec ? hbs.template(spec) : hbs.compile(source, TEMPLATE_OPTIONS))(ctx);
    } catch (err) {
      throw new Error(`template ${name}: ${(err as Error).message}`);
    }
  };
}

/**
 * Synchronous on purpose: a Ctrl-C handler removes the staging directory and exits, and it can only run between
 * these calls. An asynchronous mkdir/write still in flight on the thread pool would re-create the staging directory
 * after the handler removed it, leaving it behind.
 */
async function writeOut(destBase: string, rel: string, content: string, madeDirs: Set<string>, mode?: number): Promise<string> {
  const dest = path.join(destBase, rel);
  const dir = path.dirname(dest);
  if (!madeDirs.has(dir)) {
    fs.mkdirSync(dir, { recursive: true });
    madeDirs.add(dir);
  }
  fs.writeFileSync(dest, content, mode === undefined ? undefined : { mode });
  return rel;
}

/**
 * One turn of the event loop, so a Ctrl-C/SIGTERM handler can run between files: reads and writes are synchronous
 * (see writeOut; a thread-pool round trip per read cost more than the read itself), so nothing else would yield.
 */
function betweenFiles(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function registerServiceGenerator(plop: NodePlopAPI, config: ServiceGeneratorConfig): void {
  const render = createRenderer(config.templatesDir, config.precompiled);
  const madeDirs = new Set<string>(); // directories the current run has made, so each is made once

  plop.setActionType("render", async (answers, action) => {
    await betweenFiles();
    const a = action as unknown as RenderAction;
    const source = fs.readFileSync(a.templateFile, "utf8");
    const rendered = render(source, answers as ServiceContext, path.relative(config.templatesDir, a.templateFile));
    const mode = fs.statSync(a.templateFile).mode & 0o111 ? 0o755 : undefined;
    return writeOut(plop.getDestBasePath(), a.path, rendered, madeDirs, mode);
  });

  plop.setActionType("document", async (_answers, action) => {
    await betweenFiles();
    const { file } = action as unknown as DocumentAction;
    return writeOut(plop.getDestBasePath(), file.path, file.content, madeDirs, file.mode);
  });

  plop.setGenerator("service", {
    description: "A stateless Node.js service for ECS on Fargate, with its deployment artifacts",
    prompts: [],
    actions: (answers) => {
      madeDirs.clear(); // a new run, maybe into a new destination
      return planActions(answers as ServiceContext, config) as unknown as ActionType[];
    },
  });
}
