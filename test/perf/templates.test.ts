/**
 * Precompiled templates (src/write/precompiled-templates.ts, filled by scripts/build.mjs) change how fast a scaffold
 * runs, never what it writes:
 *  - the build precompiles every template under templates/ that has a mustache, and a template without one renders
 *    through handlebars to its own text (so writing it as it is changes nothing);
 *  - rendering with the precompiled specs writes the same bytes as compiling every template at run time, and the
 *    specs are actually used;
 *  - the built CLI (bundle, precompiled templates, lazy handlebars compiler) writes the same tree as the sources.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import nodePlop from "node-plop";
import { ROOT, buildPrivateCopy, loadedModules, writeResolveHook } from "../../bench/lib/module-graph.mjs";
import { registerServiceGenerator, listFiles } from "../../generators/service.js";
import { buildDocuments } from "../../src/artifacts/index.js";
import { buildContext } from "../../src/context.js";
import { parseGiven, resolveOptions } from "../../src/options/resolve.js";
import { pickServiceOptions, type OptionKey, type ServiceOptions } from "../../src/options/schema.js";
import { packageVersion, TEMPLATES_DIR } from "../../src/paths.js";
import { renderProject } from "../../src/write/render.js";
import { checkDependencySpec } from "../../src/paths.js";
import Handlebars from "handlebars";
import { TEMPLATE_OPTIONS, isStaticTemplate, type PrecompiledTemplates, type TemplateSpecification } from "../../src/write/precompiled-templates.js";

interface BuildModule {
  precompileTemplates: () => Promise<{ specs: Map<string, string>; warnings: Array<{ text: string }>; files: string[] }>;
}

/** Option sets that between them use every feature folder and discovery mode. */
const VARIANTS: Array<{ name: string; given: Partial<Record<OptionKey, unknown>>; argv: string[] }> = [
  { name: "defaults", given: {}, argv: [] },
  { name: "cloudmap + tracing + arm64", given: { discovery: "cloudmap", tracing: true, arch: "arm64" }, argv: ["--discovery", "cloudmap", "--tracing", "--arch", "arm64"] },
  { name: "worker (no discovery)", given: { discovery: "none" }, argv: ["--discovery", "none"] },
];

let tmp: string;
let specs: Map<string, string>;
let precompiled: PrecompiledTemplates;

async function serviceOptions(given: Partial<Record<OptionKey, unknown>>): Promise<ServiceOptions> {
  const { options } = await resolveOptions(parseGiven({ directory: "app", yes: true, install: false, git: false, ...given }), { env: {}, interactive: false });
  return pickServiceOptions(options);
}

/** Render through node-plop with the given precompiled map; returns the output directory. */
async function render(options: ServiceOptions, map: PrecompiledTemplates): Promise<string> {
  const dest = fs.mkdtempSync(path.join(tmp, "out-"));
  const plop = await nodePlop(undefined, { destBasePath: dest, force: false });
  registerServiceGenerator(plop, { templatesDir: TEMPLATES_DIR, buildDocuments, precompiled: map });
  const { failures } = await plop.getGenerator("service").runActions(buildContext(options, packageVersion()));
  expect(failures).toEqual([]);
  return dest;
}

/** Every file of a tree: content and whether it is executable. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(
    listFiles(dir).map((f) => {
      const full = path.join(dir, f);
      return [f, `${fs.statSync(full).mode & 0o111 ? "[x] " : ""}${fs.readFileSync(full, "utf8")}`];
    }),
  );
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cfs-perf-templates-"));
  const build = (await import(pathToFileURL(path.join(ROOT, "scripts", "build.mjs")).href)) as BuildModule;
  ({ specs } = await build.precompileTemplates());
  // The specs are JavaScript object literals, as the bundle embeds them.
  precompiled = new Map([...specs].map(([text, js]) => [text, new Function(`return ${js};`)() as TemplateSpecification]));
});

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe("precompiled templates", () => {
  const templateFiles = (): string[] => {
    const walk = (d: string): string[] =>
      fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
    return walk(TEMPLATES_DIR);
  };

  it("the build precompiles every file under templates/ that has a mustache, under its text", () => {
    const files = templateFiles();
    const dynamic = files.filter((f) => !isStaticTemplate(fs.readFileSync(f, "utf8")));
    const missing = dynamic.filter((f) => !specs.has(fs.readFileSync(f, "utf8")));
    expect(missing.map((f) => path.relative(ROOT, f))).toEqual([]);
    expect(dynamic.length).toBeGreaterThan(0);
    expect(specs.size).toBeLessThanOrEqual(dynamic.length);
  });

  it("a template without a mustache renders through handlebars to its own text", () => {
    const statics = templateFiles().filter((f) => isStaticTemplate(fs.readFileSync(f, "utf8")));
    expect(statics.length).toBeGreaterThan(0);
    for (const file of statics) {
      const source = fs.readFileSync(file, "utf8");
      expect(Handlebars.create().compile(source, TEMPLATE_OPTIONS)({}), path.relative(ROOT, file)).toBe(source);
    }
    // What the rule rests on: any mustache is handlebars' business, even an escaped one.
    expect(isStaticTemplate("a \\{{b}} c")).toBe(false);
    expect(isStaticTemplate("a { b } c }}")).toBe(true);
  });

  it.each(VARIANTS)("$name: the same files with precompiled specs as with run-time compilation, and the specs are used", async ({ given }) => {
    const options = await serviceOptions(given);
    let hits = 0;
    const counting = new (class extends Map<string, TemplateSpecification> {
      override get(text: string): TemplateSpecification | undefined {
        const spec = super.get(text);
        if (spec) hits++;
        return spec;
      }
    })(precompiled);
    const compiled = snapshot(await render(options, new Map()));
    const fast = snapshot(await render(options, counting));
    expect(fast).toEqual(compiled);
    const rendered = Object.keys(compiled).length;
    expect(hits).toBeGreaterThan(0);
    expect(hits).toBeLessThanOrEqual(rendered + 10);
  });
});

describe("the built CLI", () => {
  let cli: string;
  beforeAll(async () => {
    ({ cli } = await buildPrivateCopy(path.join(tmp, "pkg")));
  });

  it.each(VARIANTS)("$name: dist/cli.js writes the same tree as renderProject from the sources", async ({ given, argv }) => {
    const cwd = fs.mkdtempSync(path.join(tmp, "cli-"));
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [cli, "app", "--yes", "--no-install", "--no-git", ...argv], { cwd, env, stdio: "ignore" });
      child.on("close", resolve);
    });
    expect(code).toBe(0);
    const fromSource = fs.mkdtempSync(path.join(tmp, "src-"));
    // The private copy is a checkout, not an npm install: the CLI links it for `check`, and so must the reference.
    const copyRoot = path.resolve(path.dirname(cli), "..");
    await renderProject(await serviceOptions(given), fromSource, undefined, checkDependencySpec(copyRoot));
    expect(snapshot(path.join(cwd, "app"))).toEqual(snapshot(fromSource));
  });

  it("compiles a template changed after the build at run time, loading the handlebars compiler file for it", async () => {
    // A copy of the package whose README template differs from the one the build precompiled.
    const pkg = path.join(tmp, "pkg-changed");
    fs.cpSync(TEMPLATES_DIR, path.join(pkg, "templates"), { recursive: true });
    fs.appendFileSync(path.join(pkg, "templates", "service", "base", "README.md"), "\n{{name}} changed after the build\n");
    const copy = await buildPrivateCopy(pkg);
    const cwd = fs.mkdtempSync(path.join(tmp, "cli-"));
    const register = writeResolveHook(path.join(tmp, "hook"));
    const env = { PATH: process.env.PATH, HOME: process.env.HOME };
    const r = await loadedModules({ ...copy, register, args: ["app", "--yes", "--no-install", "--no-git"], cwd, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.files).toContain("chunks/handlebars-compiler.cjs");
    expect(fs.readFileSync(path.join(cwd, "app", "README.md"), "utf8").endsWith("\napp changed after the build\n")).toBe(true);

    // A compile error from that file names the template and loses nothing.
    fs.appendFileSync(path.join(pkg, "templates", "service", "base", "README.md"), "{{#if name}} never closed\n");
    const broken = await loadedModules({ ...copy, register, args: ["app2", "--yes", "--no-install", "--no-git"], cwd, env });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/template service[\\/]base[\\/]README\.md: Parse error/);
    expect(fs.readdirSync(cwd)).toEqual(["app"]);
  });
});
