/**
 * The `service` plop generator, run in-process on memfs over a matrix of options.
 *
 * - Invariants over every generated file of every variant (always on): the files the issue requires exist; no HTML
 *   entities; no handlebars left over; every JSON/YAML file parses; no `.hbs` and no un-renamed `_dotfile` in any
 *   path; no build-machine path leaks into the output; a few facts that tie the documents to the options.
 * - File snapshots (toMatchFileSnapshot) of a few representative variants, under __snapshots__/<variant>/<path>.snap
 *   (the ".snap" suffix keeps a generated .gitignore, package.json or *.test.ts from acting on this repo). The
 *   templates are still moving, so this suite runs only once the snapshots exist (or with CFS_GENERATOR_SNAPSHOTS=1);
 *   create them with  mkdir -p test/generators/__snapshots__ && npx vitest run test/generators -u
 *   and refresh them (dropping snapshots of files no longer generated) with
 *   rm -rf test/generators/__snapshots__ && mkdir test/generators/__snapshots__ && npx vitest run test/generators -u
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { vol } from "memfs";
import YAML from "yaml";
import type { AllOptions, ServiceOptions } from "../../src/options/schema.js";

vi.mock("node:fs", async () => {
  const { fs } = await import("memfs");
  return { default: fs, ...fs };
});
vi.mock("node:fs/promises", async () => {
  const { fs } = await import("memfs");
  return { default: fs.promises, ...fs.promises };
});
// isbinaryfile (used by node-plop) is CommonJS and would require() the real fs.
vi.mock("isbinaryfile", () => ({ isBinaryFileSync: () => false, isBinaryFile: async () => false }));

const realFs = await vi.importActual<typeof import("node:fs")>("node:fs");
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const REAL_TEMPLATES = path.join(ROOT, "templates");
const SNAPSHOT_ROOT = fileURLToPath(new URL("./__snapshots__", import.meta.url));
const SNAPSHOTS_ON = realFs.existsSync(SNAPSHOT_ROOT) || process.env.CFS_GENERATOR_SNAPSHOTS === "1";
const OUT = "/out/svc";

/** Real files below `dir`, keyed by absolute path, for vol.fromJSON. */
function loadRealDir(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of realFs.readdirSync(dir, { recursive: true }) as string[]) {
    const abs = path.join(dir, rel);
    if (realFs.statSync(abs).isFile()) out[abs] = realFs.readFileSync(abs, "utf8");
  }
  return out;
}
const REAL_FILES = { ...loadRealDir(REAL_TEMPLATES), [path.join(ROOT, "package.json")]: realFs.readFileSync(path.join(ROOT, "package.json"), "utf8") };

function resetVolume(extra: Record<string, string> = {}): void {
  vol.reset();
  vol.fromJSON({ ...REAL_FILES, ...extra });
  vol.mkdirSync(process.cwd(), { recursive: true }); // nodePlop() stats the cwd
  // Keep template permission bits (executable scripts) as they are on disk.
  for (const abs of Object.keys(REAL_FILES)) vol.chmodSync(abs, realFs.statSync(abs).mode & 0o777);
}

// Imported after the volume holds package.json and templates/: src/paths.ts finds the package root at load time.
resetVolume();
const { renderProject } = await import("../../src/write/render.js");
const { defaultOptions } = await import("../../src/options/resolve.js");
const { pickServiceOptions } = await import("../../src/options/schema.js");
const { planActions, outputPathFor } = await import("../../generators/service.js");
const { buildContext } = await import("../../src/context.js");
const { buildDocuments } = await import("../../src/artifacts/index.js");

/** Everything written below `dir` in the volume: relative path → content. */
function treeOf(dir: string): Record<string, string> {
  const json = vol.toJSON(dir) as Record<string, string | null>;
  const out: Record<string, string> = {};
  for (const [abs, content] of Object.entries(json)) {
    if (content !== null) out[path.posix.relative(dir, abs)] = content;
  }
  return out;
}

async function generate(service: ServiceOptions, templatesDir = REAL_TEMPLATES): Promise<{ files: string[]; tree: Record<string, string> }> {
  const files = await renderProject(service, OUT, templatesDir);
  return { files, tree: treeOf(OUT) };
}

// ---------------------------------------------------------------------------------------------------------------
// The matrix

const ACCOUNT = "123456789012";
const SM = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:db/url=primary+rw@x-AbCdEf`;
const SSM = `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/svc/api-key`;
const KMS = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

interface Variant {
  id: string;
  given: Partial<AllOptions>;
}

const VARIANTS: Variant[] = [];
for (const discovery of ["alb", "cloudmap", "none"] as const) {
  for (const tracing of [false, true]) {
    for (const arch of ["x86_64", "arm64"] as const) {
      VARIANTS.push({ id: `${discovery}-${tracing ? "tracing" : "plain"}-${arch}`, given: { discovery, tracing, arch } });
    }
  }
}
VARIANTS.push(
  {
    // Every option away from its default, with values that handlebars would HTML-escape (= + @ # ") if it could.
    id: "kitchen-sink",
    given: {
      name: "billing-api-v2",
      discovery: "alb",
      port: 3000,
      cpu: 1024,
      memory: 3072,
      arch: "arm64",
      region: "eu-west-1",
      accountId: ACCOUNT,
      logGroup: "/custom/billing#api.v2_x",
      logRetention: "never",
      logMode: "blocking",
      createLogGroup: true,
      tracing: true,
      minTasks: 2,
      maxTasks: 12,
      scaleOn: "requests",
      requestsTarget: 250,
      spot: true,
      exec: true,
      secrets: [
        { name: "DATABASE_URL", valueFrom: SM },
        { name: "API_KEY", valueFrom: SSM },
      ],
      secretsKmsKey: KMS,
      stopTimeout: 120,
      metricsInterval: 10,
    },
  },
  { id: "cloudmap-memory-scaling-govcloud", given: { discovery: "cloudmap", scaleOn: "memory", memoryTarget: 60, region: "us-gov-west-1" } },
  { id: "worker-largest-china", given: { discovery: "none", cpu: 16384, memory: 122880, region: "cn-north-1", logRetention: 1 } },
);

/** Variants whose every file is snapshotted (the others are covered by the invariants). */
const SNAPSHOTTED = ["alb-plain-x86_64", "cloudmap-tracing-arm64", "none-plain-x86_64", "kitchen-sink"];

function optionsFor(v: Variant): ServiceOptions {
  return pickServiceOptions(defaultOptions({ directory: "svc", ...v.given }, {}));
}

// ---------------------------------------------------------------------------------------------------------------
// Invariants

const REQUIRED = ["package.json", "tsconfig.json", "src/server.ts", "Dockerfile", ".dockerignore", ".gitignore", "README.md", "ecs/task-definition.json"];
const HTML_ENTITY = /&(quot|#x27|#39|amp|lt|gt|#x3D|#61|#x60|#96);/;
const isWorkflow = (p: string) => /^\.github\/workflows\/[^/]+\.ya?ml$/.test(p);
const isYaml = (p: string) => /\.ya?ml$/.test(p);

/**
 * Handlebars left in a file: any "{{", or "}}" outside code (where `{ a: { b } }}` can be legitimate).
 * Workflow files are built as YAML objects, not templated, and their `${{ … }}` expressions are GitHub's: they are
 * only parsed. CloudFormation dynamic references `{{resolve:…}}` are allowed anywhere.
 */
function leftoverHandlebars(rel: string, content: string): string[] {
  if (isWorkflow(rel)) return [];
  const text = content.replace(/\{\{resolve:[^}]*\}\}/g, "");
  const lines = text.split("\n");
  return lines.filter((l) => l.includes("{{") || (l.includes("}}") && !/\.(ts|js|mjs|cjs)$/.test(rel))).map((l) => l.trim());
}

function yamlErrors(content: string): string[] {
  // Every document; CloudFormation short tags (!Ref, !Sub, …) are accepted as unknown tags, not errors.
  return YAML.parseAllDocuments(content).flatMap((d) => ("errors" in d ? d.errors.map((e) => e.message) : []));
}

describe.each(VARIANTS)("variant $id", (variant) => {
  const options = optionsFor(variant);
  let files: string[];
  let tree: Record<string, string>;

  beforeAll(async () => {
    resetVolume();
    ({ files, tree } = await generate(options));
  });

  it("renders without failures and returns exactly the files written", () => {
    expect(files).toEqual(Object.keys(tree).sort());
    expect(files.length).toBeGreaterThanOrEqual(REQUIRED.length);
  });

  it("writes the files every project needs", () => {
    for (const f of REQUIRED) expect(files, f).toContain(f);
  });

  it("no .hbs, no un-renamed _dotfile, no empty segment in any path", () => {
    for (const f of files) {
      expect(f, f).not.toMatch(/\.hbs$/);
      expect(f.split("/").some((seg) => /^_[^_]/.test(seg)), f).toBe(false);
      expect(f.split("/").every((seg) => seg.length > 0), f).toBe(true);
    }
  });

  it("no HTML entities in any file", () => {
    for (const [f, content] of Object.entries(tree)) expect(HTML_ENTITY.exec(content)?.[0], f).toBeUndefined();
  });

  it("no handlebars left in any file", () => {
    for (const [f, content] of Object.entries(tree)) expect(leftoverHandlebars(f, content), f).toEqual([]);
  });

  it("every JSON file parses", () => {
    for (const [f, content] of Object.entries(tree)) {
      if (f.endsWith(".json")) expect(() => JSON.parse(content), f).not.toThrow();
    }
  });

  it("every YAML file parses (workflows included: only parsed, never checked for braces)", () => {
    for (const [f, content] of Object.entries(tree)) {
      if (isYaml(f)) expect(yamlErrors(content), f).toEqual([]);
    }
  });

  it("no path of the machine that generated it leaks into the output", () => {
    for (const [f, content] of Object.entries(tree)) {
      expect(content.includes(ROOT), f).toBe(false);
      expect(content.includes(OUT), f).toBe(false);
    }
  });

  it("the Dockerfile starts from an image", () => {
    expect(tree.Dockerfile).toMatch(/^FROM\s+\S+/m);
  });

  it("package.json is named after the service", () => {
    expect(JSON.parse(tree["package.json"]!).name).toBe(options.name);
  });

  it("the task definition carries the chosen size and architecture", () => {
    const td = JSON.parse(tree["ecs/task-definition.json"]!) as {
      cpu: string;
      memory: string;
      runtimePlatform?: { cpuArchitecture?: string };
      requiresCompatibilities?: string[];
    };
    expect(String(td.cpu)).toBe(String(options.cpu));
    expect(String(td.memory)).toBe(String(options.memory));
    expect(td.runtimePlatform?.cpuArchitecture).toBe(options.arch === "arm64" ? "ARM64" : "X86_64");
    expect(td.requiresCompatibilities).toContain("FARGATE");
  });

  it("dotfiles arrive renamed", () => {
    expect(tree[".gitignore"]).toMatch(/node_modules/);
    expect(tree[".dockerignore"]).toMatch(/node_modules/);
  });

  it("the plan matches the output: every template and document, each path once", () => {
    const plan = planActions(buildContext(options, "0.0.0"), { templatesDir: REAL_TEMPLATES, buildDocuments });
    const paths = plan.map((a) => (a.type === "render" ? a.path : a.file.path));
    expect(new Set(paths).size).toBe(paths.length);
    expect([...paths].sort()).toEqual(files);
  });
});

describe("variants differ where the options say they do", () => {
  it("output is deterministic: the same options give byte-identical files", async () => {
    const options = optionsFor(VARIANTS[0]!);
    resetVolume();
    const a = (await generate(options)).tree;
    resetVolume();
    const b = (await generate(options)).tree;
    expect(b).toEqual(a);
  });

  it("no two variants of the matrix generate identical projects", async () => {
    const seen = new Map<string, string>();
    for (const v of VARIANTS) {
      resetVolume();
      const { tree } = await generate(optionsFor(v));
      const key = JSON.stringify(tree);
      expect(seen.get(key), `${v.id} is identical to ${seen.get(key)}`).toBeUndefined();
      seen.set(key, v.id);
    }
  });
});

describe.runIf(SNAPSHOTS_ON)("file snapshots (run `npx vitest run test/generators -u` after changing templates)", () => {
  it.each(SNAPSHOTTED)("%s", async (id) => {
    const v = VARIANTS.find((x) => x.id === id)!;
    resetVolume();
    const { files, tree } = await generate(optionsFor(v));
    await expect(`${files.join("\n")}\n`).toMatchFileSnapshot(path.join(SNAPSHOT_ROOT, `${id}.files.txt`));
    for (const f of files) await expect(tree[f]).toMatchFileSnapshot(path.join(SNAPSHOT_ROOT, id, `${f}.snap`));
    // A file the generator no longer writes leaves its snapshot behind; vitest does not remove it.
    const variantDir = path.join(SNAPSHOT_ROOT, id);
    const stored = realFs.existsSync(variantDir)
      ? (realFs.readdirSync(variantDir, { recursive: true }) as string[])
          .map((p) => p.split(path.sep).join("/"))
          .filter((p) => p.endsWith(".snap") && realFs.statSync(path.join(variantDir, p)).isFile())
      : [];
    const orphans = stored.filter((p) => !files.includes(p.replace(/\.snap$/, "")));
    expect(orphans, `obsolete snapshots: rm -r test/generators/__snapshots__/${id} and run with -u`).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The renderer: strict and unescaped, feature folders, dotfile renaming

describe("handlebars: strict, never escaping", () => {
  const TPL = "/tpl";
  const base = (files: Record<string, string>) => Object.fromEntries(Object.entries(files).map(([p, c]) => [`${TPL}/service/base/${p}`, c]));
  const options = () => optionsFor({ id: "x", given: { secrets: [{ name: "DATABASE_URL", valueFrom: SM }] } });

  it("a misspelt variable fails generation, naming the template and the variable", async () => {
    resetVolume(base({ "README.md": "# {{name}}\n", "src/typo.ts": "export const port = {{prot}};\n" }));
    await expect(generate(options(), TPL)).rejects.toThrow(/src\/typo\.ts.*"prot" not defined/s);
  });

  it("a misspelt nested property fails too", async () => {
    resetVolume(base({ "README.md": "{{names.clustr}}\n" }));
    await expect(generate(options(), TPL)).rejects.toThrow(/"clustr" not defined/);
  });

  it("a failure is a GenerationError (exit code 1)", async () => {
    resetVolume(base({ "README.md": "{{nope}}\n" }));
    const err = (await generate(options(), TPL).then(
      () => undefined,
      (e: unknown) => e,
    )) as Error & { exitCode?: number };
    expect(err.name).toBe("GenerationError");
    expect(err.exitCode).toBe(1);
  });

  it("values are written as they are: no HTML escaping of = + @ & < > \" '", async () => {
    resetVolume(base({ "out.txt": "{{#each secrets}}{{name}}={{valueFrom}}\n{{/each}}{{json secrets}}\n<&\"'`=>\n" }));
    const { tree } = await generate(options(), TPL);
    expect(tree["out.txt"]).toBe(`DATABASE_URL=${SM}\n${JSON.stringify([{ name: "DATABASE_URL", valueFrom: SM }])}\n<&"'\`=>\n`);
  });

  it("a file in a feature folder replaces the base file with the same path, only when the feature is on", async () => {
    const files = {
      ...base({ "src/otel.ts": "// base\n", "keep.txt": "k\n" }),
      [`${TPL}/service/tracing/src/otel.ts`]: "// tracing {{tracing}}\n",
    };
    resetVolume(files);
    const off = await generate(optionsFor({ id: "x", given: { tracing: false } }), TPL);
    expect(off.tree["src/otel.ts"]).toBe("// base\n");
    resetVolume(files);
    const on = await generate(optionsFor({ id: "x", given: { tracing: true } }), TPL);
    expect(on.tree["src/otel.ts"]).toBe("// tracing true\n");
    expect(on.tree["keep.txt"]).toBe("k\n");
  });

  it("partials under templates/partials are available", async () => {
    resetVolume({ ...base({ "README.md": "[{{> banner}}]\n" }), [`${TPL}/partials/banner.hbs`]: "service {{name}}" });
    const { tree } = await generate(options(), TPL);
    expect(tree["README.md"]).toBe("[service svc]\n");
  });

  it("an executable template stays executable", async () => {
    resetVolume(base({ "scripts/run.sh": "#!/bin/sh\necho {{name}}\n", "README.md": "x\n" }));
    vol.chmodSync(`${TPL}/service/base/scripts/run.sh`, 0o755);
    await generate(options(), TPL);
    expect(vol.statSync(`${OUT}/scripts/run.sh`).mode & 0o111).not.toBe(0);
    expect(vol.statSync(`${OUT}/README.md`).mode & 0o111).toBe(0);
  });
});

describe("outputPathFor", () => {
  it.each([
    ["_gitignore", ".gitignore"],
    ["_dockerignore", ".dockerignore"],
    ["_npmrc", ".npmrc"],
    ["_github/workflows/ci.yml", ".github/workflows/ci.yml"],
    ["src/_env.example", "src/.env.example"],
    ["__init__.py", "__init__.py"],
    ["src/a_b.ts", "src/a_b.ts"],
    ["Dockerfile", "Dockerfile"],
  ])("%s → %s", (from, to) => {
    expect(outputPathFor(from)).toBe(to);
  });
});
