#!/usr/bin/env node
/** The published bin: run the CLI and set the exit code (never process.exit, so piped output is not cut off). */
import { main } from "./cli.js";

main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env })
  .then((code) => {
    process.exitCode = code;
  })
  .catch((err: unknown) => {
    process.stderr.write(`error: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exitCode = 1;
  });
