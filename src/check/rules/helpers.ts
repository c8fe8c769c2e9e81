/** Small readers shared by the rules. */
import { hasToken, type N } from "../model/node.js";
import type { TaskModel } from "../model/project.js";

/** Task cpu in units: "256", 256, "1 vCPU", ".25 vcpu". */
export function parseCpu(v: string | undefined): number | undefined {
  if (v === undefined || hasToken(v)) return undefined;
  const s = v.trim();
  if (/^\d+$/.test(s)) return Number(s);
  const m = /^(\d*\.?\d+)\s*vcpu$/i.exec(s);
  return m ? Math.round(Number(m[1]) * 1024) : NaN;
}

/** Task memory in MiB: "512", 512, "1GB", "1 GB". */
export function parseMemory(v: string | undefined): number | undefined {
  if (v === undefined || hasToken(v)) return undefined;
  const s = v.trim();
  if (/^\d+$/.test(s)) return Number(s);
  const m = /^(\d*\.?\d+)\s*gb$/i.exec(s);
  return m ? Math.round(Number(m[1]) * 1024) : NaN;
}

export function containerName(c: N): string {
  return c.get("name").str() ?? `#${String(c.path[c.path.length - 1])}`;
}

export function isEssential(c: N): boolean {
  return c.get("essential").bool() !== false;
}

/** The environment entry of a container, by variable name. */
export function envVar(c: N, name: string): N | undefined {
  const e = c.get("environment").items().find((i) => i.get("name").str() === name);
  return e?.get("value");
}

/** The log configuration's options map (a free-form map: look keys up exactly). */
export function logOptions(c: N): N {
  return c.get("logConfiguration").get("options");
}

export function logDriver(c: N): string | undefined {
  return c.get("logConfiguration").get("logDriver").str();
}

/** Does the container have a writable mount at exactly `path` backed by a task volume? */
export function writableMountAt(task: TaskModel, c: N, path: string): boolean {
  const volumes = new Set(task.root.get("volumes").items().map((v) => v.get("name").str()));
  return c
    .get("mountPoints")
    .items()
    .some((m) => m.get("containerPath").str()?.replace(/\/+$/, "") === path && m.get("readOnly").bool() !== true && volumes.has(m.get("sourceVolume").str()));
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** A literal value for messages. */
export function show(v: unknown): string {
  return JSON.stringify(v);
}

/** Task label for messages where the file alone is ambiguous. */
export function where(task: TaskModel): string {
  return task.logicalId ? `${task.doc.file} (${task.logicalId})` : task.doc.file;
}
