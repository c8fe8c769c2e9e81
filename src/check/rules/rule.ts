/** The shape of a `check` rule and the reporter rules use. */
import type { Finding, RuleMeta } from "../types.js";
import type { N } from "../model/node.js";
import type { ProjectModel } from "../model/project.js";

/** Where a finding points: a node of a parsed document, or a file position (Dockerfile, build script). */
export type Location = N | { file: string; field: string; line?: number };

export interface Report {
  (at: Location, message: string, fix: string): void;
}

export interface Rule extends RuleMeta {
  /** Why it matters (docs/check.md). */
  why: string;
  /** How to fix it, in general (docs/check.md). Each finding has its own one-line fix. */
  howToFix: string;
  run(model: ProjectModel, report: Report): void;
}

export function locate(at: Location): { file: string; field: string; line?: number } {
  if ("doc" in at) {
    const line = at.line;
    return line !== undefined ? { file: at.doc.file, field: at.field, line } : { file: at.doc.file, field: at.field };
  }
  return at;
}

export function makeFinding(rule: RuleMeta, at: Location, message: string, fix: string): Finding {
  const loc = locate(at);
  const f: Finding = { rule: rule.id, severity: rule.severity, file: loc.file, field: loc.field, message, fix };
  if (loc.line !== undefined) f.line = loc.line;
  return f;
}
