/** The git step of the spawned CLI: one initial commit in a new repository; skipped inside a work tree or without git. */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, baseEnv, runCli } from "../helpers/cli.js";
import { cleanupTmp, makeTmp } from "../helpers/tmp.js";

beforeAll(() => assertBuilt());
afterAll(() => cleanupTmp());

/** A git identity and an empty HOME, so neither the machine's config nor its hooks take part. */
function gitEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return baseEnv({
    HOME: makeTmp("cfs-home-"),
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_AUTHOR_NAME: "Test Author",
    GIT_AUTHOR_EMAIL: "author@example.com",
    GIT_COMMITTER_NAME: "Test Committer",
    GIT_COMMITTER_EMAIL: "committer@example.com",
    ...extra,
  });
}

const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, env: gitEnv(), encoding: "utf8" }).trim();

interface Summary {
  steps: Array<{ name: string; status: string; detail?: string }>;
}
const gitStep = (stdout: string) => (JSON.parse(stdout) as Summary).steps.find((s) => s.name === "git");

describe.concurrent("git step", () => {
  it("--git in a fresh directory: a repository with exactly one commit holding every file", async () => {
    const cwd = makeTmp();
    const r = await runCli(["svc", "--yes", "--no-install", "--git", "--json"], { cwd, env: gitEnv() });
    expect(r.code, r.stderr).toBe(0);
    expect(gitStep(r.stdout)?.status).toBe("ok");
    const repo = path.join(cwd, "svc");
    expect(git(repo, "rev-list", "--count", "HEAD")).toBe("1");
    expect(git(repo, "status", "--porcelain")).toBe("");
    expect(git(repo, "log", "-1", "--format=%an <%ae>|%s")).toMatch(/^Test Author <author@example\.com>\|Initial commit from create-fargate-service /);
    const committed = git(repo, "ls-files").split("\n");
    expect(committed).toContain("package.json");
    expect(committed).toContain(".gitignore");
    expect(committed).toContain("src/server.ts");
  });

  it("git is the default", async () => {
    const cwd = makeTmp();
    const r = await runCli(["svc", "--yes", "--no-install", "--json"], { cwd, env: gitEnv() });
    expect(r.code, r.stderr).toBe(0);
    expect(gitStep(r.stdout)?.status).toBe("ok");
    expect(fs.existsSync(path.join(cwd, "svc/.git"))).toBe(true);
  });

  it("uses init.defaultBranch when set", async () => {
    const env = gitEnv();
    fs.writeFileSync(path.join(env.HOME!, ".gitconfig"), "[init]\n\tdefaultBranch = trunk\n");
    const cwd = makeTmp();
    const r = await runCli(["svc", "--yes", "--no-install", "--json"], { cwd, env });
    expect(r.code, r.stderr).toBe(0);
    expect(execFileSync("git", ["branch", "--show-current"], { cwd: path.join(cwd, "svc"), env, encoding: "utf8" }).trim()).toBe("trunk");
  });

  it("inside an existing work tree: skipped, no nested repository, the outer one untouched", async () => {
    const cwd = makeTmp();
    git(cwd, "init", "-q");
    const r = await runCli(["svc", "--yes", "--no-install", "--json"], { cwd, env: gitEnv() });
    expect(r.code, r.stderr).toBe(0);
    expect(gitStep(r.stdout)).toMatchObject({ status: "skipped", detail: expect.stringMatching(/work tree/) });
    expect(fs.existsSync(path.join(cwd, "svc/.git"))).toBe(false);
    expect(() => git(cwd, "rev-parse", "HEAD")).toThrow(); // still no commits in the outer repository
  });

  it("git not installed: skipped, exit 0", async () => {
    const cwd = makeTmp();
    const r = await runCli(["svc", "--yes", "--no-install", "--json"], { cwd, env: gitEnv({ PATH: makeTmp() }) });
    expect(r.code, r.stderr).toBe(0);
    expect(gitStep(r.stdout)).toMatchObject({ status: "skipped", detail: expect.stringMatching(/not installed/) });
  });

  it("--no-git: skipped", async () => {
    const cwd = makeTmp();
    const r = await runCli(["svc", "--yes", "--no-install", "--no-git", "--json"], { cwd, env: gitEnv() });
    expect(gitStep(r.stdout)?.status).toBe("skipped");
    expect(fs.existsSync(path.join(cwd, "svc/.git"))).toBe(false);
  });
});
