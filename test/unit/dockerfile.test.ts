/**
 * The generated Dockerfile, parsed and checked for both architectures (no Docker engine here): multi-stage, a
 * Node LTS slim base pinned by major, `npm ci`, production dependencies only in the runtime stage, non-root,
 * EXPOSE the port, exec-form CMD, the platform of --arch, no secrets, and a build context (.dockerignore) that
 * holds every file the build copies.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildContext, NODE_IMAGE_MAJOR, type ServiceContext } from "../../src/context.js";
import { defaultOptions } from "../../src/options/resolve.js";
import { pickServiceOptions, type Arch, type Discovery } from "../../src/options/schema.js";
import { buildDocuments } from "../../src/artifacts/index.js";
import { TEMPLATES_DIR } from "../../src/paths.js";
import { createRenderer, planActions } from "../../generators/service.js";

function contextFor(arch: Arch, tracing: boolean, discovery: Discovery = "alb", port = 8080): ServiceContext {
  return buildContext(pickServiceOptions(defaultOptions({ directory: "my-svc", arch, tracing, discovery, port }, {})), "0.0.0-test");
}

/** Every generated file as text, rendered in memory. */
function renderAll(ctx: ServiceContext): Map<string, string> {
  const render = createRenderer(TEMPLATES_DIR);
  const files = new Map<string, string>();
  for (const action of planActions(ctx, { templatesDir: TEMPLATES_DIR, buildDocuments })) {
    if (action.type === "document") files.set(action.file.path, action.file.content);
    else files.set(action.path, render(fs.readFileSync(action.templateFile, "utf8"), ctx, action.path));
  }
  return files;
}

interface Instruction {
  keyword: string;
  /** Flags such as --platform=…, --from=…, --chown=… */
  flags: Record<string, string>;
  /** The arguments after the flags, as written. */
  args: string;
  line: number;
}

interface Stage {
  from: Instruction;
  image: string;
  name: string | undefined;
  instructions: Instruction[];
}

/** A Dockerfile parser for what the generated file uses: comments, parser directives, continuations, flags. */
function parseDockerfile(text: string): { directives: Record<string, string>; stages: Stage[]; all: Instruction[] } {
  const directives: Record<string, string> = {};
  const all: Instruction[] = [];
  const lines = text.split("\n");
  let inDirectives = true;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!.trim();
    const directive = /^#\s*([a-z]+)\s*=\s*(.+)$/i.exec(line);
    if (inDirectives && directive) {
      directives[directive[1]!.toLowerCase()] = directive[2]!.trim();
      continue;
    }
    inDirectives = false;
    if (line === "" || line.startsWith("#")) continue;
    const start = i + 1;
    while (line.endsWith("\\")) line = `${line.slice(0, -1).trim()} ${lines[++i]!.trim()}`;
    const [keyword = "", ...rest] = line.split(/\s+/);
    const flags: Record<string, string> = {};
    while (rest[0]?.startsWith("--")) {
      const [k, v = ""] = rest.shift()!.slice(2).split("=");
      flags[k!] = v;
    }
    all.push({ keyword: keyword.toUpperCase(), flags, args: rest.join(" "), line: start });
  }
  const stages: Stage[] = [];
  for (const ins of all) {
    if (ins.keyword === "FROM") {
      const [image = "", as, name] = ins.args.split(/\s+/);
      stages.push({ from: ins, image, name: as?.toUpperCase() === "AS" ? name : undefined, instructions: [] });
    } else {
      expect(stages.length, `${ins.keyword} before the first FROM`).toBeGreaterThan(0);
      stages.at(-1)!.instructions.push(ins);
    }
  }
  return { directives, stages, all };
}

/** .dockerignore semantics for the allowlist form: last matching pattern wins, a directory pattern covers its files. */
function inContext(dockerignore: string, file: string): boolean {
  const patterns = dockerignore
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  const matches = (pattern: string, p: string): boolean => {
    const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*\*/g, "\0").replace(/\*/g, "[^/]*").replace(/\0/g, ".*")}$`);
    const parts = p.split("/");
    return parts.some((_, i) => re.test(parts.slice(0, i + 1).join("/")));
  };
  let included = true;
  for (const raw of patterns) {
    const negated = raw.startsWith("!");
    const pattern = (negated ? raw.slice(1) : raw).replace(/\/+$/, "");
    if (matches(pattern, file)) included = negated;
  }
  return included;
}

const VARIANTS: Array<{ arch: Arch; tracing: boolean }> = [
  { arch: "x86_64", tracing: false },
  { arch: "arm64", tracing: false },
  { arch: "x86_64", tracing: true },
  { arch: "arm64", tracing: true },
];

describe.each(VARIANTS)("Dockerfile for --arch $arch, tracing $tracing", ({ arch, tracing }) => {
  const ctx = contextFor(arch, tracing);
  const files = renderAll(ctx);
  const dockerfile = files.get("Dockerfile")!;
  const { directives, stages, all } = parseDockerfile(dockerfile);
  const runtime = stages.at(-1)!;
  const byName = new Map(stages.filter((s) => s.name).map((s) => [s.name!, s]));
  const platform = arch === "arm64" ? "linux/arm64" : "linux/amd64";

  it("uses BuildKit's Dockerfile syntax 1 and only instructions it knows", () => {
    expect(directives.syntax).toBe("docker/dockerfile:1");
    const known = ["FROM", "WORKDIR", "COPY", "RUN", "ENV", "USER", "EXPOSE", "CMD", "ARG", "LABEL"];
    for (const ins of all) expect(known, `line ${ins.line}: ${ins.keyword}`).toContain(ins.keyword);
  });

  it("is multi-stage: a build stage with dev dependencies, a runtime stage without", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const build = byName.get("build");
    expect(build).toBeDefined();
    expect(build!.instructions.some((i) => i.keyword === "RUN" && /\bnpm run build\b/.test(i.args))).toBe(true);
    expect(runtime.name).toBeUndefined();
  });

  it(`bases every stage on node:${NODE_IMAGE_MAJOR}-<debian>-slim, pinned by major`, () => {
    for (const stage of stages) {
      const m = /^node:(\d+)-([a-z]+)-slim$/.exec(stage.image);
      expect(m, stage.image).not.toBeNull();
      expect(Number(m![1])).toBe(ctx.nodeImageMajor);
      expect(m![2]).toBe("trixie");
    }
    // An even major is an LTS line.
    expect(ctx.nodeImageMajor % 2).toBe(0);
  });

  it(`builds the image for ${platform}; the build stage may run on the build machine's platform`, () => {
    expect(runtime.from.flags.platform).toBe(platform);
    for (const stage of stages) {
      if (stage === byName.get("build")) expect(["$BUILDPLATFORM", platform]).toContain(stage.from.flags.platform);
      else expect(stage.from.flags.platform, stage.name ?? "runtime").toBe(platform);
    }
    // Whatever stage the runtime copies node_modules from was installed for the target platform.
    const modules = runtime.instructions.find((i) => i.keyword === "COPY" && /node_modules/.test(i.args));
    expect(byName.get(modules!.flags.from!)!.from.flags.platform).toBe(platform);
  });

  it("installs with npm ci from the lockfile, never npm install", () => {
    const installs = all.filter((i) => i.keyword === "RUN" && /\bnpm (ci|install|i)\b/.test(i.args));
    expect(installs.length).toBeGreaterThan(0);
    for (const ins of installs) expect(ins.args).toMatch(/^npm ci\b/);
    for (const stage of stages) {
      const ci = stage.instructions.findIndex((i) => i.keyword === "RUN" && i.args.startsWith("npm ci"));
      if (ci === -1) continue;
      const lock = stage.instructions.findIndex((i) => i.keyword === "COPY" && /\bpackage-lock\.json\b/.test(i.args));
      expect(lock, `${stage.name}: package-lock.json is copied before npm ci`).toBeGreaterThanOrEqual(0);
      expect(lock).toBeLessThan(ci);
    }
  });

  it("ships production dependencies only, and the compiled code, in the runtime stage", () => {
    expect(runtime.instructions.some((i) => i.keyword === "RUN")).toBe(false);
    const copies = runtime.instructions.filter((i) => i.keyword === "COPY");
    const modules = copies.find((i) => /node_modules/.test(i.args))!;
    const deps = byName.get(modules.flags.from!)!;
    const install = deps.instructions.find((i) => i.keyword === "RUN" && i.args.startsWith("npm ci"))!;
    expect(install.args).toMatch(/--omit=dev\b/);
    expect(modules.flags.from).not.toBe("build");
    expect(copies.some((i) => i.flags.from === "build" && /^\/app\/dist\s/.test(i.args))).toBe(true);
    // No sources, tests or dev tooling: only dist, node_modules and package.json (for "type": "module").
    for (const copy of copies.filter((i) => !i.flags.from)) expect(copy.args).toBe("package.json ./");
    expect(runtime.instructions.find((i) => i.keyword === "ENV")?.args).toBe("NODE_ENV=production");
  });

  it("runs as the non-root node user", () => {
    const users = runtime.instructions.filter((i) => i.keyword === "USER");
    expect(users.at(-1)?.args).toBe("node");
    // USER comes after the last COPY/RUN, so everything the image holds stays root-owned and read-only to the app.
    const last = runtime.instructions.findLastIndex((i) => i.keyword === "COPY" || i.keyword === "RUN");
    expect(runtime.instructions.indexOf(users.at(-1)!)).toBeGreaterThan(last);
  });

  it("exposes the port and starts node directly with an exec-form CMD", () => {
    expect(runtime.instructions.filter((i) => i.keyword === "EXPOSE").map((i) => i.args)).toEqual([String(ctx.port)]);
    expect(all.some((i) => i.keyword === "ENTRYPOINT")).toBe(false);
    const cmds = runtime.instructions.filter((i) => i.keyword === "CMD");
    expect(cmds).toHaveLength(1);
    const cmd = JSON.parse(cmds[0]!.args) as string[];
    expect(cmd).toEqual(tracing ? ["node", "--import", "./dist/tracing.js", "dist/server.js"] : ["node", "dist/server.js"]);
    // What the CMD runs is compiled from sources the project has.
    for (const js of cmd.filter((a) => a.endsWith(".js"))) {
      expect(files.has(js.replace(/^\.\//, "").replace(/^dist\//, "src/").replace(/\.js$/, ".ts")), js).toBe(true);
    }
    // The task definition's health check runs dist/healthcheck.js from the working directory.
    expect(files.has("src/healthcheck.ts")).toBe(true);
    expect(runtime.instructions.find((i) => i.keyword === "WORKDIR")?.args).toBe("/app");
  });

  it("bakes in no secrets and no local files beyond the build inputs", () => {
    for (const ins of all.filter((i) => i.keyword === "ENV" || i.keyword === "ARG")) {
      expect(ins.args).not.toMatch(/SECRET|PASSWORD|TOKEN|CREDENTIAL|ACCESS_KEY|AWS_/i);
    }
    expect(dockerfile).not.toMatch(/\.env\b|\.npmrc|id_rsa|--mount=type=secret/);
    expect(all.some((i) => i.keyword === "COPY" && /^\.\s/.test(i.args))).toBe(false);
  });

  it("copies only files that exist and that .dockerignore lets into the build context", () => {
    const dockerignore = files.get(".dockerignore")!;
    const sources = all
      .filter((i) => i.keyword === "COPY" && !i.flags.from)
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    expect(sources.sort()).toEqual(["package-lock.json", "package-lock.json", "package.json", "package.json", "package.json", "scripts/build.ts", "src", "tsconfig.json"]);
    for (const source of sources) {
      if (source === "package-lock.json") continue; // created by `npm install`, documented in the README
      const present = [...files.keys()].filter((f) => f === source || f.startsWith(`${source}/`));
      expect(present.length, `${source} exists in the project`).toBeGreaterThan(0);
      for (const f of present) expect(inContext(dockerignore, f), `${f} is in the build context`).toBe(true);
    }
    expect(inContext(dockerignore, "package-lock.json")).toBe(true);
    for (const outside of ["node_modules/pino/package.json", "dist/server.js", ".git/config", ".env", "test/app.test.ts", "infra/stack.yaml", "README.md", "scripts/fake-metadata.ts", "scripts/metadata/task.json"]) {
      expect(inContext(dockerignore, outside), outside).toBe(false);
    }
  });

  it("tells how to build it for the right platform, and why it needs the lockfile", () => {
    expect(dockerfile).toContain(`docker build --platform ${platform}`);
    const readme = files.get("README.md")!;
    expect(readme).toContain(`docker build --platform ${platform}`);
    expect(readme).toMatch(/npm install[^\n]*package-lock\.json/);
  });
});

describe("Dockerfile options", () => {
  it("exposes the chosen port", () => {
    const { stages } = parseDockerfile(renderAll(contextFor("x86_64", false, "cloudmap", 3000)).get("Dockerfile")!);
    expect(stages.at(-1)!.instructions.find((i) => i.keyword === "EXPOSE")?.args).toBe("3000");
  });

  it("is the same for every discovery mode", () => {
    const alb = renderAll(contextFor("arm64", false, "alb")).get("Dockerfile");
    expect(renderAll(contextFor("arm64", false, "cloudmap")).get("Dockerfile")).toBe(alb);
    expect(renderAll(contextFor("arm64", false, "none")).get("Dockerfile")).toBe(alb);
  });

  it("the parser sees what Docker sees", () => {
    const parsed = parseDockerfile("# syntax=docker/dockerfile:1\n# comment\nFROM --platform=linux/arm64 node:24-trixie-slim AS x\nRUN a \\\n  b\n");
    expect(parsed.directives.syntax).toBe("docker/dockerfile:1");
    expect(parsed.stages[0]).toMatchObject({ image: "node:24-trixie-slim", name: "x", from: { flags: { platform: "linux/arm64" } } });
    expect(parsed.stages[0]!.instructions[0]!.args).toBe("a b");
    expect(path.basename(TEMPLATES_DIR)).toBe("templates");
  });
});
