/** Logging rules: awslogs configured the way Fargate needs it. */
import { logGroupNameError } from "../../fargate/log-group.js";
import { isRegion } from "../../fargate/regions.js";
import { hasToken } from "../model/node.js";
import type { Rule } from "./rule.js";
import { containerName, logDriver, logOptions, show } from "./helpers.js";

const AWSLOGS_OPTIONS = [
  "awslogs-create-group",
  "awslogs-datetime-format",
  "awslogs-group",
  "awslogs-multiline-pattern",
  "awslogs-region",
  "awslogs-stream-prefix",
  "max-buffer-size",
  "mode",
];

export const logConfigurationMissing: Rule = {
  id: "log-configuration-missing",
  severity: "warning",
  title: "Every container has a logConfiguration",
  why: "Without a log driver, a Fargate container's stdout and stderr go nowhere: a crash on start leaves no trace.",
  howToFix: "Add logConfiguration with the awslogs driver, awslogs-group, awslogs-region and awslogs-stream-prefix.",
  run(model, report) {
    for (const task of model.tasks) {
      for (const c of task.containers) {
        if (c.get("logConfiguration").exists) continue;
        report(c.get("logConfiguration"), `container ${show(containerName(c))} has no logConfiguration: its output is lost`, `add "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": …, "awslogs-region": …, "awslogs-stream-prefix": "ecs"}}`);
      }
    }
  },
};

export const awslogsOptions: Rule = {
  id: "awslogs-options",
  severity: "error",
  title: "awslogs has awslogs-group, awslogs-region and awslogs-stream-prefix, and only options it knows",
  why: "On Fargate the awslogs driver needs a group and a region, and a stream prefix (cfn-lint does not check the prefix; without it the ECS console shows no logs). Docker refuses unknown options and max-buffer-size without non-blocking mode, so the container never starts.",
  howToFix: "Set the three options; use a valid log group name and region; remove unknown options.",
  run(model, report) {
    for (const task of model.tasks) {
      for (const c of task.containers) {
        if (logDriver(c) !== "awslogs") continue;
        const name = show(containerName(c));
        const opts = logOptions(c);
        for (const [key, what, example] of [
          ["awslogs-group", "the log group", "/ecs/my-service"],
          ["awslogs-region", "the log group's region", "eu-west-1"],
          ["awslogs-stream-prefix", "the stream prefix (required on Fargate)", "ecs"],
        ] as const) {
          if (!opts.key(key).exists) report(opts.exists ? opts : c.get("logConfiguration"), `container ${name}: awslogs option ${key} (${what}) is missing`, `add "${key}": "${example}"`);
        }
        const group = opts.key("awslogs-group").str();
        if (group !== undefined && !hasToken(group)) {
          const err = logGroupNameError(group);
          if (err) report(opts.key("awslogs-group"), `container ${name}: ${err}`, "use 1–512 characters from a-z A-Z 0-9 . - _ / #, not starting with aws/");
        }
        const region = opts.key("awslogs-region").str();
        if (region !== undefined && !hasToken(region) && !isRegion(region)) {
          report(opts.key("awslogs-region"), `container ${name}: awslogs-region ${show(region)} is not an AWS region`, "use the region of the log group, e.g. us-east-1");
        }
        for (const [key, n] of opts.entries()) {
          if (!AWSLOGS_OPTIONS.includes(key)) report(n, `container ${name}: ${show(key)} is not an awslogs option`, `remove it; awslogs accepts ${AWSLOGS_OPTIONS.join(", ")}`);
        }
        const mode = opts.key("mode").str();
        if (mode !== undefined && !hasToken(mode) && mode !== "blocking" && mode !== "non-blocking") {
          report(opts.key("mode"), `container ${name}: awslogs mode ${show(mode)} is not blocking or non-blocking`, `set "mode": "non-blocking" (or "blocking")`);
        }
        if (opts.key("max-buffer-size").exists && mode === "blocking") {
          report(opts.key("max-buffer-size"), `container ${name}: max-buffer-size is set with mode "blocking"; Docker accepts it only in non-blocking mode`, `remove max-buffer-size or set "mode": "non-blocking"`);
        }
      }
    }
  },
};

export const awslogsCreateGroup: Rule = {
  id: "awslogs-create-group",
  severity: "warning",
  title: "The log group is created with a retention, not by the awslogs driver",
  why: "A group created by awslogs-create-group never expires (no retention policy) and needs logs:CreateLogGroup on the execution role.",
  howToFix: "Create the log group in the stack (AWS::Logs::LogGroup with RetentionInDays) or with `create-fargate-service log-group`, and remove awslogs-create-group.",
  run(model, report) {
    for (const task of model.tasks) {
      for (const c of task.containers) {
        const n = logOptions(c).key("awslogs-create-group");
        if (n.str()?.toLowerCase() !== "true") continue;
        report(n, `container ${show(containerName(c))}: awslogs-create-group makes a log group that never expires`, "create the group with a retention (AWS::Logs::LogGroup RetentionInDays) and remove awslogs-create-group");
      }
    }
  },
};

export const LOGGING_RULES: Rule[] = [logConfigurationMissing, awslogsOptions, awslogsCreateGroup];
