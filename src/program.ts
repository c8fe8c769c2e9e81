/**
 * Commander: the help text (rendered at build time for `--help`, see src/bin.ts) and the subcommands.
 * Imported lazily: the scaffold path parses argv with util.parseArgs (src/options/argv.ts).
 */
import { Command, CommanderError, Option } from "commander";
import { SCHEMA, OPTION_KEYS, type OptionKey } from "./options/schema.js";
import type { Subcommand } from "./subcommands.js";
import { packageVersion } from "./paths.js";

/** Help is wrapped to the terminal, but at most this wide: src/bin.ts prints the build-time text when it fits. */
export const HELP_WIDTH = 80;

/** One commander option per schema entry (plus --no-<flag> for booleans and the negative aliases). */
export function buildProgram(version: string): Command {
  const program = new Command("create-fargate-service")
    .description("Scaffold a ready-to-deploy Node.js service for AWS ECS on Fargate: app, Dockerfile, task definition, IAM, discovery, autoscaling and a CloudFormation stack.")
    .usage("[directory] [options]\n       create-fargate-service log-group <name> [options]\n       create-fargate-service check [files...] [options]")
    .argument("[directory]", SCHEMA.directory.description)
    .version(version, "-v, --version", "Print the version")
    .helpOption("-h, --help", "Show this help")
    .allowExcessArguments(false)
    .showHelpAfterError("(run create-fargate-service --help for usage)")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => process.stdout.write(s),
      writeErr: (s) => process.stderr.write(s),
      getOutHelpWidth: () => Math.min(process.stdout.isTTY ? (process.stdout.columns ?? HELP_WIDTH) : HELP_WIDTH, HELP_WIDTH),
    });

  for (const key of OPTION_KEYS) {
    if (key === "directory") continue;
    const spec = SCHEMA[key];
    const short = spec.short ? `-${spec.short}, ` : "";
    const def = spec.defaultLabel ?? defaultText(key);
    const description = `${spec.description}${def ? ` (default: ${def})` : ""}`;
    if (spec.kind === "boolean") {
      program.addOption(new Option(`${short}--${spec.flag}`, description).hideHelp(false));
      const negDescription = spec.negativeAliases?.length ? `Same as --no-${spec.flag}` : undefined;
      // Shown where turning it off is the point (on by default, or decided by the terminal); hidden for opt-in flags.
      const negationMatters = spec.default({}, {}) !== false;
      program.addOption(new Option(`--no-${spec.flag}`, `Turn off --${spec.flag}`).hideHelp(!negationMatters));
      for (const alias of spec.negativeAliases ?? []) {
        program.addOption(new Option(`--${alias}`, negDescription ?? "").hideHelp(false));
      }
    } else if (spec.kind === "list") {
      program.addOption(
        new Option(`${short}--${spec.flag} ${spec.arg ?? "<value>"}`, description).argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v]),
      );
    } else {
      program.addOption(new Option(`${short}--${spec.flag} ${spec.arg ?? "<value>"}`, description));
    }
  }
  program.addOption(new Option("--config <file.json>", "Answers file (JSON object of options by name or flag); flags override it"));
  program.addHelpText(
    "after",
    `
Commands:
  log-group <name>   Create (or bring up to date) a CloudWatch Logs group: create-fargate-service log-group --help
  check [files...]   Check a Fargate project's files agree with each other: create-fargate-service check --help

Examples:
  npx create-fargate-service my-svc                  asks what it needs, in a terminal
  npx create-fargate-service my-svc --yes            all defaults, no questions
  npx create-fargate-service my-svc --discovery cloudmap --cpu 512 --memory 1024 --arch arm64 --no-install --json
  npm create fargate-service@latest my-svc -- --yes
`,
  );
  return program;
}

function defaultText(key: OptionKey): string | undefined {
  const v = SCHEMA[key].default({}, {});
  if (v === undefined || v === false || (Array.isArray(v) && v.length === 0)) return undefined;
  if (v === true) return "on";
  return String(v);
}

/** Map commander's parsed values back to option keys, keeping only what the user actually gave. */
export function givenFromProgram(program: Command): Partial<Record<OptionKey, unknown>> {
  const opts = program.opts<Record<string, unknown>>();
  const raw: Partial<Record<OptionKey, unknown>> = {};
  for (const key of OPTION_KEYS) {
    if (key === "directory") continue;
    const spec = SCHEMA[key];
    const attr = camel(spec.flag);
    if (program.getOptionValueSource(attr) === "cli") raw[key] = opts[attr];
    for (const alias of spec.negativeAliases ?? []) {
      if (program.getOptionValueSource(camel(alias)) === "cli") raw[key] = false;
    }
  }
  const dir = program.args[0];
  if (dir !== undefined) raw.directory = dir;
  return raw;
}

function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_m, ch: string) => ch.toUpperCase());
}

export function commanderExit(err: unknown): number {
  if (err instanceof CommanderError) {
    if (err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help") return 0;
    return 2;
  }
  throw err;
}

/** Runs `log-group` or `check` and returns its exit code. */
export async function runSubcommand(name: Subcommand, argv: string[], version = packageVersion()): Promise<number> {
  const program = new Command("create-fargate-service")
    .version(version, "-v, --version")
    .exitOverride()
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });
  if (name === "log-group") (await import("./commands/log-group.js")).registerLogGroupCommand(program);
  else (await import("./commands/check.js")).registerCheckCommand(program);
  program.commands.forEach((cmd) => cmd.exitOverride().showHelpAfterError());
  try {
    process.exitCode = undefined;
    await program.parseAsync(argv, { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (err) {
    const code = commanderExit(err);
    // Automation asked for JSON: a usage error (unknown flag, missing argument) is still one object on stdout.
    if (code !== 0 && (argv.includes("--json") || /--format[= ]json\b/.test(argv.join(" ")))) {
      process.stdout.write(`${JSON.stringify({ ok: false, exitCode: code, error: (err as Error).message.replace(/^error: /, "") }, null, 2)}\n`);
    }
    return code;
  }
}
