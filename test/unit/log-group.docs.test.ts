/** docs/log-group.md stays true: the IAM policy is the one the code builds, and every flag of the command is documented. */
import { readFileSync } from "node:fs";
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { registerLogGroupCommand } from "../../src/commands/log-group.js";
import { logGroupPolicy, planLogGroupCalls } from "../../src/steps/log-group.js";
import { RETENTION_DAYS } from "../../src/fargate/log-group.js";

const doc = readFileSync(new URL("../../docs/log-group.md", import.meta.url), "utf8");

describe("docs/log-group.md", () => {
  it("holds the minimal IAM policy exactly as logGroupPolicy() builds it", () => {
    expect(doc).toContain(`\`\`\`json\n${JSON.stringify(logGroupPolicy("/ecs/my-svc", "eu-west-1", "123456789012"), null, 2)}\n\`\`\``);
  });

  it("documents every flag of the command and every action the engine can call", () => {
    const program = new Command();
    registerLogGroupCommand(program);
    const cmd = program.commands.find((c) => c.name() === "log-group")!;
    for (const o of cmd.options) expect(doc).toContain(`\`${o.long}`);
    const plan = planLogGroupCalls({ name: "/x", retention: 14, tags: { a: "b" } });
    for (const a of [...plan.map((c) => c.action), "logs:DeleteRetentionPolicy"]) expect(doc).toContain(`\`${a}\``);
    expect(doc).toContain(RETENTION_DAYS.join(", "));
  });
});
