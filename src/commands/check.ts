/**
 * `create-fargate-service check [files...]`: check that a Fargate project's task definition, IAM policies,
 * CloudFormation stack, Dockerfile and build scripts agree with each other and with what Fargate accepts.
 * Exit codes: 0 no error finding, 1 at least one error finding (or a warning with --fail-on warning),
 * 2 usage error or an unreadable/malformed file.
 */
import path from "node:path";
import type { Command } from "commander";
import { RULES, checkProject, summarize } from "../check/engine.js";
import { loadProject } from "../check/load/files.js";
import { formatInputError, formatText, JSON_FORMAT_VERSION, type CheckReport } from "../check/format.js";
import { InputError } from "../check/types.js";
import { colorEnabled, palette, type Io } from "../ui.js";

export interface CheckCliOptions {
  format?: string;
  dir?: string;
  only?: string;
  skip?: string;
  failOn?: string;
  listRules?: boolean;
}

function ids(raw: string | undefined): string[] | undefined {
  return raw === undefined ? undefined : raw.split(",").map((s) => s.trim()).filter(Boolean);
}

/** Runs the command; returns the exit code. */
export function runCheck(files: string[], opts: CheckCliOptions, io: Io, cwd = process.cwd()): number {
  const format = (opts.format ?? "text").toLowerCase();
  if (format !== "text" && format !== "json") {
    io.stderr.write(`error: --format "${opts.format}" is not allowed; use text or json\n`);
    return 2;
  }
  const failOn = (opts.failOn ?? "error").toLowerCase();
  if (failOn !== "error" && failOn !== "warning") {
    io.stderr.write(`error: --fail-on "${opts.failOn}" is not allowed; use error or warning\n`);
    return 2;
  }
  const known = new Set(RULES.map((r) => r.id));
  const only = ids(opts.only);
  const skip = ids(opts.skip);
  const unknown = [...(only ?? []), ...(skip ?? [])].filter((id) => !known.has(id));
  if (unknown.length) {
    io.stderr.write(`error: unknown rule ${unknown.map((u) => `"${u}"`).join(", ")}; rules: ${[...known].join(", ")}\n`);
    return 2;
  }

  if (opts.listRules) {
    if (format === "json") io.stdout.write(`${JSON.stringify(RULES.map(({ id, severity, title }) => ({ id, severity, title })), null, 2)}\n`);
    else for (const r of RULES) io.stdout.write(`${r.id.padEnd(28)} ${r.severity.padEnd(8)} ${r.title}\n`);
    return 0;
  }

  const dir = path.resolve(cwd, opts.dir ?? ".");
  let loaded;
  try {
    loaded = loadProject(dir, files);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    const out = formatInputError(err);
    io.stderr.write(out.text);
    if (format === "json") io.stdout.write(`${JSON.stringify(out.json, null, 2)}\n`);
    return 2;
  }
  if (loaded.files.length === 0) {
    io.stderr.write(
      `error: nothing to check in ${dir}: looked for ecs/*.json, infra/*.yaml, Dockerfile and build scripts; name files to check them, e.g. create-fargate-service check ecs/task-definition.json infra/stack.yaml Dockerfile\n`,
    );
    return 2;
  }
  const checkOpts: { only?: string[]; skip?: string[] } = {};
  if (only) checkOpts.only = only;
  if (skip) checkOpts.skip = skip;
  const findings = checkProject(loaded.input, checkOpts);
  const summary = summarize(findings);
  const failed = summary.error > 0 || (failOn === "warning" && summary.warning > 0);
  const report: CheckReport = { version: JSON_FORMAT_VERSION, ok: !failed, directory: dir, files: loaded.files, summary, findings };
  if (format === "json") io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else {
    io.stderr.write(`checking ${loaded.files.length} file${loaded.files.length === 1 ? "" : "s"} in ${path.relative(cwd, dir) || "."}: ${loaded.files.map((f) => f.file).join(", ")}\n`);
    io.stdout.write(formatText(report, palette(colorEnabled(io.stdout, io.env))));
  }
  return failed ? 1 : 0;
}

export function registerCheckCommand(program: Command, io?: Io): void {
  program
    .command("check")
    .description("Check that a Fargate project's task definition, IAM policies, CloudFormation stack, Dockerfile and build scripts agree with each other and with what Fargate accepts")
    .argument("[files...]", "files to check, relative to --dir (default: ecs/*.json, infra/*.yaml, Dockerfile and build scripts found in it)")
    .option("--format <format>", "text | json", "text")
    .option("--dir <path>", "project directory (default: the current directory)")
    .option("--only <ids>", "run only these rules (comma-separated ids)")
    .option("--skip <ids>", "skip these rules (comma-separated ids)")
    .option("--fail-on <severity>", "exit 1 on findings of this severity or worse: error | warning", "error")
    .option("--list-rules", "print every rule (id, severity, title) and exit")
    .addHelpText(
      "after",
      `
Exit codes: 0 no error findings, 1 error findings (or warnings with --fail-on warning), 2 usage error or a file that
cannot be read or parsed. Results go to stdout, progress to stderr. Every rule: docs/check.md.

Examples:
  create-fargate-service check
  create-fargate-service check ecs/task-definition.json infra/stack.yaml Dockerfile
  create-fargate-service check --format json > check.json
  aws ecs describe-task-definition --task-definition my-svc > td.json && create-fargate-service check td.json
`,
    )
    .action((files: string[], opts: CheckCliOptions) => {
      process.exitCode = runCheck(files, opts, io ?? { stdout: process.stdout, stderr: process.stderr, env: process.env });
    });
}
