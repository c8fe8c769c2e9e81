/**
 * Entry point: `node {{#if tracing}}--import ./dist/tracing.js {{/if}}dist/server.js` (the image's CMD).
 * Validates the configuration (a bad variable: one log line naming it, exit 1), starts the service, and turns
 * SIGTERM (what ECS sends to stop the task) and SIGINT (Ctrl-C) into a graceful shutdown. Uncaught errors are
 * logged with their stack and end the process with exit code 1; ECS then replaces the task.
 */
import { ConfigError, configErrorLine, loadConfig, type Config } from "./config.js";
import { createLogger, flushLogger } from "./logger.js";
import { startService, type Service } from "./service.js";
{{#if tracing}}
import { timeLeft } from "./lifecycle.js";
import { shutdownTracing } from "./telemetry.js";
{{/if}}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stdout.write(configErrorLine(err));
    process.exitCode = 1;
    return;
  }
  const logger = createLogger({ level: config.logLevel, serviceName: config.serviceName });

  const crash = (msg: string) => (err: unknown) => {
    logger.fatal({ err }, msg);
    void flushLogger(logger).then(() => process.exit(1));
  };
  process.on("uncaughtException", crash("uncaught exception"));
  process.on("unhandledRejection", crash("unhandled promise rejection"));

  let service: Service | undefined;
  let stopRequested: string | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (service) service.shutdown(signal);
    else if (stopRequested) process.exit(1);
    else stopRequested = signal;
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);

  try {
{{#if tracing}}
    service = await startService(config, logger, {
      exitHooks: [(deadline) => shutdownTracing(timeLeft(deadline, 2000))],
    });
{{else}}
    service = await startService(config, logger);
{{/if}}
  } catch (err) {
    logger.fatal({ err }, "failed to start");
    await flushLogger(logger);
    process.exit(1);
  }
  // A stop signal that arrived while starting is honoured now.
  if (stopRequested) service.shutdown(stopRequested);
}

void main();
