/**
 * Bin entry: parse argv, dispatch commands, map errors to exit codes
 * (0 ok, 1 failure, 2 usage, 130 cancelled). Commander (help, subcommands) and the subcommand modules are imported
 * only when needed, so a plain scaffold loads nothing it does not use.
 */
import fs from "node:fs";
import path from "node:path";
import { isatty } from "node:tty";
import type { OptionKey } from "./options/schema.js";
import { parseCreateArgv } from "./options/argv.js";
import { parseGiven, parseAnswersFile, UsageError, type Given } from "./options/resolve.js";
import { packageVersion } from "./paths.js";
import type { Io } from "./ui.js";
import { host } from "./host.js";
import { isSubcommand } from "./subcommands.js";

export async function main(argv: string[], io: Io, cwd = process.cwd()): Promise<number> {
  const version = packageVersion();
  const first = argv[0];

  if (isSubcommand(first)) {
    return (await host.modules.program()).runSubcommand(first, argv, version);
  }

  let given: Given;
  try {
    const parsed = parseCreateArgv(argv);
    if (parsed.help) {
      (await host.modules.program()).buildProgram(version).outputHelp();
      return 0;
    }
    if (parsed.version) {
      io.stdout.write(`${version}\n`);
      return 0;
    }
    const fromFile = parsed.config ? readAnswersFile(path.resolve(cwd, parsed.config)) : {};
    given = parseGiven({ ...fromFile, ...parsed.raw });
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr.write(`error: ${err.message}\n(run create-fargate-service --help for usage)\n`);
    // Automation asked for JSON: a usage error is still one object on stdout.
    if (argv.includes("--json")) {
      io.stdout.write(`${JSON.stringify({ ok: false, exitCode: 2, error: err.message }, null, 2)}\n`);
    }
    return 2;
  }
  const { runCreate } = await import("./commands/create.js");
  // isatty(0) rather than process.stdin.isTTY: creating the stdin stream costs ~1 ms, and only prompts read it.
  return runCreate({ given, io, cwd, isTTY: isatty(0) && Boolean(process.stdout.isTTY) });
}

function readAnswersFile(file: string): Partial<Record<OptionKey, unknown>> {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new UsageError(`--config ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--config ${file}: not valid JSON (${(err as Error).message})`);
  }
  return parseAnswersFile(json, file);
}
