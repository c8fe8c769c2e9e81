#!/usr/bin/env node
/**
 * The published bin: run the CLI and set the exit code (never process.exit, so piped output is not cut off).
 *
 * `--help` on its own prints the text commander printed for it at build time (scripts/build.mjs puts it in
 * __CFS_HELP__), so it starts as fast as `node -e 0` instead of loading commander and the option schema first.
 * Help is at most HELP_WIDTH columns wide either way (src/program.ts), so the text is the same as commander's whenever
 * the terminal is at least that wide or stdout is not a terminal; otherwise commander renders it. `--version` on its
 * own prints __CFS_VERSION__. In the bundle "./cli.js" is src/core-loader.ts, which sends the subcommands straight to
 * their chunk and loads the scaffold core (dist/chunks/core.cjs) for everything else.
 */
declare const __CFS_HELP__: string | undefined;
declare const __CFS_VERSION__: string | undefined;
const HELP_WIDTH = 80; // = src/program.ts HELP_WIDTH (importing it would put a chunk on the --help path)

/** A closed pipe (e.g. `| head`) is not an error worth a stack trace. */
function quietEpipe(stream: NodeJS.WriteStream): void {
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw err;
  });
}

const args = process.argv.slice(2);
const prebuiltHelp = typeof __CFS_HELP__ === "string" ? __CFS_HELP__ : undefined;
if (
  prebuiltHelp !== undefined &&
  args.length === 1 &&
  (args[0] === "--help" || args[0] === "-h") &&
  (!process.stdout.isTTY || (process.stdout.columns ?? HELP_WIDTH) >= HELP_WIDTH)
) {
  quietEpipe(process.stdout);
  process.stdout.write(prebuiltHelp);
} else if (typeof __CFS_VERSION__ === "string" && args.length === 1 && (args[0] === "--version" || args[0] === "-v")) {
  quietEpipe(process.stdout);
  process.stdout.write(`${__CFS_VERSION__}\n`);
} else {
  quietEpipe(process.stdout);
  quietEpipe(process.stderr);
  const { main } = await import("./cli.js");
  main(args, { stdout: process.stdout, stderr: process.stderr, env: process.env })
    .then((code) => {
      process.exitCode = code;
    })
    .catch((err: unknown) => {
      process.stderr.write(`error: ${(err as Error)?.stack ?? String(err)}\n`);
      process.exitCode = 1;
    });
}
