/** Output of `check`: human text, or one JSON object for CI. */
import type { Finding, InputError, Severity } from "./types.js";
import type { Palette } from "../ui.js";

export const JSON_FORMAT_VERSION = 1;

export interface CheckReport {
  version: number;
  ok: boolean;
  directory: string;
  files: Array<{ file: string; kind: string }>;
  summary: Record<Severity, number>;
  findings: Finding[];
}

export function locationText(f: Pick<Finding, "file" | "line" | "field">): string {
  return `${f.file}${f.line !== undefined ? `:${f.line}` : ""}${f.field ? ` ${f.field}` : ""}`;
}

export function formatText(report: CheckReport, p: Palette): string {
  const lines: string[] = [];
  for (const f of report.findings) {
    const sev = f.severity === "error" ? p.red("error  ") : f.severity === "warning" ? p.yellow("warning") : p.cyan("info   ");
    lines.push(`${sev} ${p.bold(locationText(f))}: ${f.message} ${p.dim(`[${f.rule}]`)}`);
    lines.push(`        ${p.dim("fix:")} ${f.fix}`);
  }
  const { error, warning, info } = report.summary;
  const counts = [`${error} error${error === 1 ? "" : "s"}`, `${warning} warning${warning === 1 ? "" : "s"}`, ...(info ? [`${info} info`] : [])].join(", ");
  const n = report.files.length;
  const tail = `${counts} in ${n} file${n === 1 ? "" : "s"}`;
  lines.push(report.findings.length ? (error ? p.red(tail) : p.yellow(tail)) : p.green(`no findings in ${n} file${n === 1 ? "" : "s"}`));
  return `${lines.join("\n")}\n`;
}

export function formatInputError(err: InputError): { text: string; json: unknown } {
  return {
    text: `error: ${err.message}\n`,
    json: { version: JSON_FORMAT_VERSION, ok: false, error: { file: err.file, line: err.line ?? null, column: err.column ?? null, message: err.detail } },
  };
}
