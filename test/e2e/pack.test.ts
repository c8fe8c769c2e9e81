/**
 * The published artifact, end to end: `npm pack` the repo (after `npm run build`), check what the tarball holds,
 * run its bin with `npm exec` in a temporary directory outside the repo, then `npm install` and `npm run build`
 * the generated project. Durations are printed; the whole file is meant to stay well under a minute with a warm
 * npm cache.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PKG, ROOT, baseEnv } from "../helpers/cli.js";
import { cleanupTmp, makeTmp } from "../helpers/tmp.js";

const exec = promisify(execFile);
const timings: Array<[string, number]> = [];

/** Run a command, timing it; npm gets a quiet, deterministic environment and none of the parent's npm_* settings. */
async function run(label: string, file: string, args: string[], cwd: string): Promise<{ stdout: string; stderr: string }> {
  const start = performance.now();
  try {
    return await exec(file, args, {
      cwd,
      env: baseEnv({ npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false", npm_config_loglevel: "warn" }),
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${label} failed: ${e.message}\n${e.stdout ?? ""}\n${e.stderr ?? ""}`);
  } finally {
    timings.push([label, Math.round(performance.now() - start)]);
  }
}

interface PackResult {
  filename: string;
  files: Array<{ path: string }>;
}

let work: string;
let tarball: string;
let packed: string[];
let project: string;

beforeAll(async () => {
  if (!fs.existsSync(path.join(ROOT, "dist", "cli.js"))) throw new Error("dist/cli.js is missing: run `npm run build` first (npm test does)");
  work = makeTmp("cfs-pack-");
  const { stdout } = await run("npm pack", "npm", ["pack", "--json", "--pack-destination", work], ROOT);
  const [result] = JSON.parse(stdout) as PackResult[];
  tarball = path.join(work, result!.filename);
  packed = result!.files.map((f) => f.path).sort();
});

afterAll(() => {
  const total = timings.reduce((n, [, ms]) => n + ms, 0);
  console.log(`pack e2e timings: ${timings.map(([l, ms]) => `${l} ${(ms / 1000).toFixed(1)}s`).join(", ")}; total ${(total / 1000).toFixed(1)}s`);
  cleanupTmp();
});

describe("npm pack → npx → install → build", () => {
  it("the tarball holds dist/ and templates/ (with _gitignore), and nothing from src/ or test/", () => {
    expect(fs.existsSync(tarball)).toBe(true);
    expect(packed).toContain("package.json");
    expect(packed).toContain("dist/cli.js");
    // Our license, and those of the packages bundled in dist/ (scripts/build.mjs writes the list).
    expect(packed).toContain("LICENSE");
    expect(packed).toContain("dist/THIRD-PARTY-LICENSES.md");
    expect(packed.some((p) => p.startsWith("dist/chunks/"))).toBe(true);
    expect(packed).toContain("templates/service/base/_gitignore");
    expect(packed).toContain("templates/service/base/_dockerignore");
    expect(packed).toContain("templates/service/base/Dockerfile");
    const stray = packed.filter(
      (p) => !p.startsWith("dist/") && !p.startsWith("templates/") && !/^(package\.json|README(\.md)?|LICENSE(\.md|\.txt)?|CHANGELOG\.md)$/i.test(p),
    );
    expect(stray).toEqual([]);
    // npm drops .gitignore and .npmrc from tarballs: no template may rely on one.
    expect(packed.filter((p) => /(^|\/)\.(gitignore|npmrc)$/.test(p))).toEqual([]);
    // Every template of the repo made it in.
    const templates = (fs.readdirSync(path.join(ROOT, "templates"), { recursive: true }) as string[])
      .filter((p) => fs.statSync(path.join(ROOT, "templates", p)).isFile())
      .map((p) => `templates/${p.split(path.sep).join("/")}`);
    for (const t of templates) expect(packed, t).toContain(t);
  });

  it("the tarball declares the bin and no runtime dependencies (everything is bundled)", async () => {
    const { stdout } = await run("tar list", "tar", ["-xOzf", tarball, "package/package.json"], work);
    const pkg = JSON.parse(stdout) as { bin: Record<string, string>; dependencies?: object; version: string };
    expect(pkg.bin).toEqual({ "create-fargate-service": "dist/cli.js" });
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.version).toBe(PKG.version);
  });

  it("npm exec runs the packed bin outside the repo and scaffolds a project", async () => {
    const outside = makeTmp("cfs-outside-");
    expect(path.relative(ROOT, outside).startsWith("..")).toBe(true);
    const r = await run(
      "npx create",
      "npm",
      ["exec", "--yes", `--package=${tarball}`, "--", "create-fargate-service", "svc", "--yes", "--no-git", "--no-install"],
      outside,
    );
    project = path.join(outside, "svc");
    expect(r.stdout).toMatch(/Next steps/);
    // Nothing points back into the repository checkout.
    expect(r.stderr).not.toContain(ROOT);
    for (const f of ["package.json", "tsconfig.json", "src/server.ts", "Dockerfile", ".dockerignore", ".gitignore", "README.md", "ecs/task-definition.json"]) {
      expect(fs.existsSync(path.join(project, f)), f).toBe(true);
    }
    expect(fs.existsSync(path.join(project, "_gitignore"))).toBe(false);
    // Installed from a package (not a checkout), the project pins exactly this version for `check`.
    const pkg = JSON.parse(fs.readFileSync(path.join(project, "package.json"), "utf8")) as { devDependencies: Record<string, string> };
    expect(pkg.devDependencies["create-fargate-service"]).toBe(PKG.version);
  });

  it("the generated project installs and builds", async () => {
    expect(project, "the scaffold step ran").toBeDefined();
    // This version may not be on the registry yet: the tarball stands in for it (what `npm install` would fetch).
    const pkgFile = path.join(project, "package.json");
    const pkg0 = JSON.parse(fs.readFileSync(pkgFile, "utf8")) as { devDependencies: Record<string, string> };
    pkg0.devDependencies["create-fargate-service"] = `file:${tarball}`;
    fs.writeFileSync(pkgFile, `${JSON.stringify(pkg0, null, 2)}\n`);
    await run("npm install", "npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], project);
    await run("npm run build", "npm", ["run", "build"], project);
    const pkg = JSON.parse(fs.readFileSync(path.join(project, "package.json"), "utf8")) as { main?: string; scripts: { start?: string } };
    // The start script's entry point was built.
    const entry = /node\s+(?:\S+\s+)*?(\S+\.js)\b/.exec(pkg.scripts.start ?? "")?.[1] ?? pkg.main ?? "dist/server.js";
    expect(fs.existsSync(path.join(project, entry)), entry).toBe(true);
    // The pinned dev dependency runs `check` on the project: zero findings.
    const check = await run("npm run check", "npm", ["run", "check"], project);
    expect(check.stdout).toMatch(/^no findings in \d+ files$/im);
  });
});
