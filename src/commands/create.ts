/**
 * The default command: resolve options → check the target → render into staging → commit → post steps.
 * Nothing touches the user's directory until every file has rendered; any failure before commit leaves it as it was.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  SCHEMA,
  pickServiceOptions,
  type AllOptions,
  type OptionKey,
  type ServiceOptions,
} from "../options/schema.js";
import { resolveOptions, UsageError, CancelledError, type Given, type PromptFn } from "../options/resolve.js";
import { renderProject } from "../write/render.js";
import { host } from "../host.js";
import { inspectTarget } from "../write/target.js";
import { commitStaged, createStagingDir, removeDir } from "../write/commit.js";
import { getNextSteps } from "../steps/next-steps.js";
import type { StepOutcome } from "../steps/install.js";
import { colorEnabled, palette, shellQuote, type Io } from "../ui.js";
import { TEMPLATES_DIR, checkDependencySpec, packageVersion } from "../paths.js";

export interface CreateInput {
  given: Given;
  io: Io;
  cwd: string;
  /** stdin and stdout are terminals. */
  isTTY: boolean;
  prompt?: PromptFn;
  templatesDir?: string;
}

export interface CreateSummary {
  ok: boolean;
  directory: string;
  options: ServiceOptions;
  dryRun: boolean;
  files: string[];
  overwritten: string[];
  steps: StepOutcome[];
  nextSteps: string[];
  error?: string;
}

/** Interactive when asked to, else when both ends are terminals and not in CI; never with --yes. */
export function isInteractive(given: Given, isTTY: boolean, env: NodeJS.ProcessEnv): boolean {
  if (given.yes) return false;
  if (given.interactive !== undefined) return given.interactive;
  const ci = env.CI !== undefined && env.CI !== "" && env.CI !== "0" && env.CI !== "false";
  return isTTY && !ci;
}

function flagFor(key: OptionKey): string {
  return key === "directory" ? "[directory]" : `--${SCHEMA[key].flag}`;
}

function display(value: unknown): string {
  if (Array.isArray(value)) return value.length ? value.map((v) => (typeof v === "object" ? `${v.name}=${v.valueFrom}` : String(v))).join(", ") : "none";
  if (value === undefined) return "not set";
  return String(value);
}

/** "a b", "c d", … packed into lines of at most `width` characters. */
export function wrapPairs(items: string[], width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const item of items) {
    if (line && line.length + 3 + item.length > width) {
      lines.push(line);
      line = "";
    }
    line = line ? `${line}   ${item}` : item;
  }
  if (line) lines.push(line);
  return lines;
}

export async function runCreate(input: CreateInput): Promise<number> {
  const { io, given } = input;
  const c = palette(colorEnabled(io.stderr, io.env));
  const log = (line = ""): void => void io.stderr.write(`${line}\n`);

  // 1. Options
  let options: AllOptions;
  let defaulted: OptionKey[];
  try {
    const interactive = isInteractive(given, input.isTTY, io.env);
    if (interactive) {
      log(`${c.bold("create-fargate-service")} ${c.dim(packageVersion())} — a Node.js service for ECS on Fargate\n`);
    }
    const { inquirerPrompt } = interactive && !input.prompt ? await import("../options/prompts.js") : { inquirerPrompt: undefined };
    ({ options, defaulted } = await resolveOptions(given, { env: io.env, interactive, prompt: input.prompt ?? inquirerPrompt }));
  } catch (err) {
    if (err instanceof CancelledError) {
      log(c.yellow("Operation cancelled"));
      return 130;
    }
    if (err instanceof UsageError) {
      log(c.red(`error: ${err.message}`));
      log(`Run ${c.cyan("create-fargate-service --help")} for usage, or pass --yes to accept defaults.`);
      if (given.json) io.stdout.write(`${JSON.stringify({ ok: false, exitCode: 2, error: err.message }, null, 2)}\n`);
      return 2;
    }
    throw err;
  }

  const service = pickServiceOptions(options);
  const target = path.resolve(input.cwd, options.directory);
  const summary: CreateSummary = {
    ok: false,
    directory: target,
    options: service,
    dryRun: options.dryRun,
    files: [],
    overwritten: [],
    steps: [],
    nextSteps: [],
  };
  const finish = (code: number, error?: string): number => {
    summary.ok = code === 0;
    if (error) summary.error = error;
    if (options.json) io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return code;
  };

  if (defaulted.length) {
    log(c.dim("Using defaults for options not given (set any with its flag):"));
    for (const line of wrapPairs(defaulted.map((k) => `${flagFor(k)} ${display(options[k])}`), 100)) log(c.dim(`  ${line}`));
    log();
  }

  // 2. Target
  const state = inspectTarget(target);
  if (state.kind === "not-a-directory") {
    log(c.red(`error: ${target} exists and is not a directory`));
    return finish(1, "target is not a directory");
  }
  if (state.kind === "not-empty" && !options.force) {
    log(c.red(`error: ${target} is not empty. It holds:`));
    for (const f of state.conflicts.slice(0, 20)) log(`  ${f}`);
    if (state.conflicts.length > 20) log(`  … and ${state.conflicts.length - 20} more`);
    log(`Choose another directory, or pass --force to overwrite the files that collide (all others are kept).`);
    return finish(1, "target directory is not empty");
  }

  // 3. Render into staging (beside the target; in the temp dir for --dry-run, so nothing is written near it)
  const staging = options.dryRun ? fs.mkdtempSync(path.join(os.tmpdir(), "create-fargate-service-dry-")) : createStagingDir(target);
  const onSignal = (signal: NodeJS.Signals): void => {
    removeDir(staging);
    log(c.yellow("\nOperation cancelled; nothing was written"));
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  let files: string[];
  try {
    log(`\nGenerating ${c.bold(service.name)} (${service.discovery}, ${service.cpu} CPU / ${service.memory} MiB, ${service.arch}, ${service.region})…`);
    files = await renderProject(service, staging, input.templatesDir ?? TEMPLATES_DIR, checkDependencySpec());
  } catch (err) {
    removeDir(staging);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    log(c.red(`error: ${(err as Error).message}`));
    log("Nothing was written.");
    return finish(1, (err as Error).message);
  }
  summary.files = files;
  if (!options.dryRun) host.projectRendered();

  if (options.dryRun) {
    removeDir(staging);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    summary.steps = [
      { name: "install", status: "skipped", detail: options.install ? "dry run: would run" : "--no-install", command: `${options.packageManager} install` },
      { name: "git", status: "skipped", detail: options.git ? "dry run: would run git init and one commit" : "--no-git" },
      {
        name: "log-group",
        status: "skipped",
        detail: service.createLogGroup ? `dry run: would create ${service.logGroup} in ${service.region}` : "--create-log-group not given",
      },
    ];
    const out = options.json ? log : (line = ""): void => void io.stdout.write(`${line}\n`);
    out(`Dry run: would write ${files.length} files to ${target}${state.kind === "not-empty" ? " (overwriting those that collide)" : ""}:`);
    for (const f of files) out(`  ${f}`);
    out("Then:");
    for (const s of summary.steps) out(`  ${s.name}: ${s.detail}`);
    out("Nothing was written.");
    return finish(0);
  }

  // 4. Commit
  try {
    const result = commitStaged(staging, target, files, { force: options.force });
    summary.overwritten = result.overwritten;
  } catch (err) {
    removeDir(staging);
    log(c.red(`error: could not write ${target}: ${(err as Error).message}`));
    log("Nothing was changed.");
    return finish(1, (err as Error).message);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  const checkSpec = checkDependencySpec();
  if (checkSpec.startsWith("file:")) {
    log(c.dim(`Note: run from a source checkout, so package.json links it for \`npm run check\` (${checkSpec}); installed from npm, it pins the version.`));
  }
  log(`${c.green("✔")} Wrote ${files.length} files to ${target}${summary.overwritten.length ? ` (overwrote ${summary.overwritten.length})` : ""}`);

  // 5. Post steps, in order; each failure keeps the files
  let exitCode = 0;
  if (options.install) {
    const { installDependencies } = await import("../steps/install.js");
    const r = await installDependencies(target, options.packageManager, io);
    summary.steps.push(r);
    if (r.status === "failed") {
      log(c.red(r.detail ?? "install failed"));
      log(`The files are in place. Retry with: cd ${shellQuote(path.relative(input.cwd, target) || ".")} && ${r.command}`);
      exitCode = 1;
    }
  } else summary.steps.push({ name: "install", status: "skipped", detail: "--no-install" });

  if (options.git) {
    const { initGit } = await import("../steps/git.js");
    const r = await initGit(target, packageVersion());
    summary.steps.push(r);
    log(r.status === "ok" ? `${c.green("✔")} git: ${r.detail}` : `${c.yellow("•")} git ${r.status}: ${r.detail}`);
  } else summary.steps.push({ name: "git", status: "skipped", detail: "--no-git" });

  if (service.createLogGroup) {
    const { runLogGroupStep } = await host.modules.logGroupCommand();
    const r = await runLogGroupStep(
      { logGroup: service.logGroup, region: service.region, logRetention: service.logRetention, name: service.name },
      { stderr: io.stderr },
    );
    summary.steps.push({ name: "log-group", status: r.ok ? "ok" : "failed", detail: r.message, command: r.retryCommand });
    if (r.ok) log(`${c.green("✔")} ${r.message}`);
    else {
      log(c.red(r.message));
      log(`The files are in place. Retry with: ${r.retryCommand}`);
      exitCode = 1;
    }
  } else summary.steps.push({ name: "log-group", status: "skipped", detail: "--create-log-group not given" });

  summary.nextSteps = getNextSteps({
    directory: options.directory,
    cwd: input.cwd,
    packageManager: options.packageManager,
    installed: options.install && summary.steps[0]?.status === "ok",
    options: service,
  });
  if (!options.json) {
    const o = palette(colorEnabled(io.stdout, io.env));
    io.stdout.write(`\n${o.green("Done.")} ${o.bold(service.name)} is ready in ${target}\n\nNext steps:\n`);
    for (const s of summary.nextSteps) io.stdout.write(`  ${s.startsWith("#") ? o.dim(s) : o.cyan(s)}\n`);
  }
  return finish(exitCode, exitCode ? "a post step failed" : undefined);
}
