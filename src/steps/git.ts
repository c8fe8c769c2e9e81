/** git init with one initial commit; skipped when git is missing or the target is inside a work tree already. */
import { rmSync } from "node:fs";
import type { StepOutcome } from "./install.js";
import { host } from "../host.js";

export async function initGit(dir: string, version: string): Promise<StepOutcome> {
  const { execa } = await host.modules.execa();
  const git = (args: string[]) => execa("git", args, { cwd: dir, reject: false, all: true });
  const probe = await git(["--version"]).catch(() => undefined);
  if (!probe || probe.exitCode !== 0) return { name: "git", status: "skipped", detail: "git is not installed" };
  const inside = await git(["rev-parse", "--is-inside-work-tree"]);
  if (inside.exitCode === 0 && String(inside.stdout).trim() === "true") {
    return { name: "git", status: "skipped", detail: "already inside a git work tree" };
  }
  const branch = String((await git(["config", "--get", "init.defaultBranch"])).stdout).trim() || "main";
  const steps: string[][] = [
    ["init", `--initial-branch=${branch}`],
    ["add", "-A"],
    ["commit", "--no-verify", "-m", `Initial commit from create-fargate-service ${version}`],
  ];
  for (const args of steps) {
    const r = await git(args);
    if (r.exitCode !== 0) {
      // Leave no half-initialised repository behind (e.g. commit refused: no user.name/user.email configured).
      rmSync(`${dir}/.git`, { recursive: true, force: true });
      return { name: "git", status: "failed", detail: `git ${args[0]} failed: ${String(r.all).trim().split("\n").slice(-2).join(" ")}` };
    }
  }
  return { name: "git", status: "ok", detail: `initialised on ${branch} with one commit` };
}
