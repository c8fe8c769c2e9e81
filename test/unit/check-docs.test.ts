/**
 * docs/check.md's rule reference is rendered from the rules themselves (id, severity, title, why, fix), so the
 * documentation cannot drift from the code. Run with UPDATE_CHECK_DOCS=1 to rewrite the section.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { RULES } from "../../src/check/engine.js";

const DOC = path.join(__dirname, "..", "..", "docs", "check.md");
const START = "<!-- rules:start -->";
const END = "<!-- rules:end -->";

function render(): string {
  const groups: Array<[string, string[]]> = [
    ["Task definition", ["task-size", "network-mode", "fargate-compatibility", "essential-container", "fargate-unsupported", "stop-timeout", "health-check-missing", "health-check-range", "readonly-root-filesystem", "writable-tmp", "volume-reference"]],
    ["Logging", ["log-configuration-missing", "awslogs-options", "awslogs-create-group"]],
    ["IAM", ["iam-policy-syntax", "iam-action-unknown", "iam-wildcard-action", "iam-wildcard-resource", "trust-policy", "execution-role-required", "execution-role-logs", "execution-role-ecr", "secret-not-granted", "secret-grant-unused", "exec-permissions", "exec-writable-paths"]],
    ["Network and load balancing", ["port-mismatch", "load-balancer-container", "target-type-ip", "service-depends-on-listener", "security-group-open"]],
    ["Shutdown and health-check timing", ["drain-budget", "deregistration-delay", "grace-period"]],
    ["Image and Dockerfile", ["image-platform", "image-platform-unpinned", "health-check-tool", "dockerfile-exec-form", "dockerfile-user"]],
    ["Consistency", ["task-definition-drift"]],
  ];
  const placed = new Set(groups.flatMap(([, ids]) => ids));
  const rest = RULES.map((r) => r.id).filter((id) => !placed.has(id));
  if (rest.length) groups.push(["Other", rest]);
  const lines: string[] = ["", "| Rule | Severity | Checks |", "|---|---|---|"];
  for (const [, ids] of groups) {
    for (const id of ids) {
      const r = RULES.find((x) => x.id === id)!;
      lines.push(`| [\`${r.id}\`](#${r.id}) | ${r.severity} | ${r.title} |`);
    }
  }
  for (const [title, ids] of groups) {
    lines.push("", `### ${title}`);
    for (const id of ids) {
      const r = RULES.find((x) => x.id === id)!;
      lines.push("", `<a id="${r.id}"></a>`, `#### \`${r.id}\` (${r.severity})`, "", `**Checks:** ${r.title}.`, "", `**Why:** ${r.why}`, "", `**Fix:** ${r.howToFix}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

describe("docs/check.md", () => {
  it("documents every rule (id, severity, what, why, fix) exactly as the code defines it", () => {
    const doc = fs.readFileSync(DOC, "utf8");
    const a = doc.indexOf(START);
    const b = doc.indexOf(END);
    expect(a, "rules:start marker").toBeGreaterThan(0);
    expect(b, "rules:end marker").toBeGreaterThan(a);
    const want = render();
    if (process.env.UPDATE_CHECK_DOCS === "1") {
      fs.writeFileSync(DOC, doc.slice(0, a + START.length) + want + doc.slice(b));
      return;
    }
    expect(doc.slice(a + START.length, b), "run UPDATE_CHECK_DOCS=1 npx vitest run test/unit/check-docs.test.ts").toBe(want);
  });
});
