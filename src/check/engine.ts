/**
 * The `check` engine: every rule, run on already-parsed documents. Pure — no file system, no network —
 * so the command, the tests and the scaffolder's own generated-project tests all call this one function.
 */
import { buildProject } from "./model/project.js";
import { makeFinding, type Rule } from "./rules/rule.js";
import { TASK_RULES } from "./rules/task.js";
import { LOGGING_RULES } from "./rules/logging.js";
import { IAM_RULES } from "./rules/iam.js";
import { NETWORK_RULES } from "./rules/network.js";
import { TIMING_RULES } from "./rules/timing.js";
import { IMAGE_RULES } from "./rules/image.js";
import { DRIFT_RULES } from "./rules/drift.js";
import type { CheckInput, Finding, Severity } from "./types.js";

/** Every rule, in documentation order. Ids are unique (tested). */
export const RULES: readonly Rule[] = [...TASK_RULES, ...LOGGING_RULES, ...IAM_RULES, ...NETWORK_RULES, ...TIMING_RULES, ...IMAGE_RULES, ...DRIFT_RULES];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}

export interface CheckOptions {
  /** Run only these rule ids. */
  only?: readonly string[];
  /** Skip these rule ids. */
  skip?: readonly string[];
}

const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function checkProject(input: CheckInput, options: CheckOptions = {}): Finding[] {
  const model = buildProject(input);
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const rule of RULES) {
    if (options.only && !options.only.includes(rule.id)) continue;
    if (options.skip?.includes(rule.id)) continue;
    rule.run(model, (at, message, fix) => {
      const f = makeFinding(rule, at, message, fix);
      const key = `${f.rule}\u0000${f.file}\u0000${f.field}\u0000${f.message}`;
      if (seen.has(key)) return;
      seen.add(key);
      findings.push(f);
    });
  }
  return findings.sort(
    (a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0) || ORDER[a.severity] - ORDER[b.severity] || a.rule.localeCompare(b.rule),
  );
}

export function summarize(findings: readonly Finding[]): Record<Severity, number> {
  const out: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) out[f.severity]++;
  return out;
}
