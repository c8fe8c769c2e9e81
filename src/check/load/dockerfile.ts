/**
 * A Dockerfile parser good enough for `check`: stages (FROM [--platform=…] image [AS name]), and per stage the
 * instructions with their flags, exec-form arrays and lines. Handles comments, the escape directive, line
 * continuations and heredocs. ARG defaults are expanded in FROM lines and EXPOSE.
 */
import { InputError, type DockerInstruction, type DockerStage, type Dockerfile } from "../types.js";

const INSTRUCTIONS = new Set([
  "FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT", "VOLUME", "USER",
  "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL",
]);

interface RawInstruction {
  keyword: string;
  rest: string;
  line: number;
}

function splitInstructions(file: string, text: string): RawInstruction[] {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  let escape = "\\";
  // Parser directives: only at the very top, before any other line.
  for (const l of lines) {
    const m = /^#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$/.exec(l);
    if (!m) break;
    if (m[1]!.toLowerCase() === "escape" && (m[2] === "`" || m[2] === "\\")) escape = m[2];
  }
  const out: RawInstruction[] = [];
  let i = 0;
  while (i < lines.length) {
    const first = lines[i]!;
    if (/^\s*(#.*)?$/.test(first)) {
      i++;
      continue;
    }
    const start = i + 1;
    let buf = "";
    let line = first;
    for (;;) {
      const trimmed = line.replace(/\s+$/, "");
      if (trimmed.endsWith(escape) && !/^\s*#/.test(line)) {
        buf += trimmed.slice(0, -1);
        i++;
        // Skip comment and empty lines inside a continuation, as Docker does.
        while (i < lines.length && /^\s*(#.*)?$/.test(lines[i]!)) i++;
        if (i >= lines.length) break;
        line = lines[i]!;
        continue;
      }
      if (!/^\s*#/.test(line)) buf += line;
      i++;
      break;
    }
    const m = /^\s*([A-Za-z]+)(?:\s+([\s\S]*))?$/.exec(buf);
    if (!m) throw new InputError(file, start, 1, `expected a Dockerfile instruction (FROM, RUN, COPY, …), got ${JSON.stringify(buf.trim().slice(0, 40))}`);
    const keyword = m[1]!.toUpperCase();
    if (!INSTRUCTIONS.has(keyword)) {
      throw new InputError(file, start, 1, `unknown instruction ${m[1]}; expected one of ${[...INSTRUCTIONS].join(", ")}`);
    }
    const rest = (m[2] ?? "").trim();
    // Heredocs (RUN <<EOF … EOF): skip the body.
    for (const h of rest.matchAll(/<<-?\s*["']?([A-Za-z_][A-Za-z0-9_]*)["']?/g)) {
      const end = h[1]!;
      while (i < lines.length && lines[i]!.trim() !== end) i++;
      i++;
    }
    out.push({ keyword, rest, line: start });
  }
  return out;
}

/** Leading --flag=value tokens. */
function takeFlags(rest: string): { flags: Record<string, string>; args: string } {
  const flags: Record<string, string> = {};
  let args = rest;
  for (;;) {
    const m = /^--([A-Za-z-]+)(?:=("[^"]*"|'[^']*'|\S*))?\s*/.exec(args);
    if (!m) break;
    flags[m[1]!.toLowerCase()] = (m[2] ?? "").replace(/^["']|["']$/g, "");
    args = args.slice(m[0].length);
  }
  return { flags, args: args.trim() };
}

function execForm(args: string): string[] | undefined {
  if (!args.startsWith("[")) return undefined;
  try {
    const v = JSON.parse(args) as unknown;
    return Array.isArray(v) && v.every((x) => typeof x === "string") ? (v as string[]) : undefined;
  } catch {
    return undefined;
  }
}

/** Expand $VAR, ${VAR}, ${VAR:-default}, ${VAR-default} from `vars`; unknown variables stay as written. */
export function expandVars(text: string, vars: Record<string, string | undefined>): string {
  return text.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (all, braced: string | undefined, def: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare)!;
    const v = vars[name];
    if (v !== undefined && v !== "") return v;
    if (def !== undefined) return def;
    return all;
  });
}

function parseKeyValues(args: string): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  const unquote = (s: string) => s.replace(/^"(.*)"$/s, "$1").replace(/^'(.*)'$/s, "$1");
  if (!args.includes("=")) {
    // ENV key value (legacy form) or ARG name
    const m = /^(\S+)(?:\s+([\s\S]*))?$/.exec(args);
    if (m) out[m[1]!] = m[2] !== undefined ? unquote(m[2].trim()) : undefined;
    return out;
  }
  for (const t of args.matchAll(/([A-Za-z_][A-Za-z0-9_.-]*)(?:=("(?:[^"\\]|\\.)*"|'[^']*'|\S*))?/g)) {
    out[t[1]!] = t[2] !== undefined ? unquote(t[2]) : undefined;
  }
  return out;
}

export function parseDockerfile(file: string, text: string): Dockerfile {
  const raw = splitInstructions(file, text);
  const stages: DockerStage[] = [];
  const globalArgs: Record<string, string | undefined> = {};
  let current: DockerStage | undefined;
  let stageVars: Record<string, string | undefined> = {};
  for (const r of raw) {
    const { flags, args } = takeFlags(r.rest);
    if (r.keyword === "FROM") {
      const m = /^(\S+)(?:\s+[Aa][Ss]\s+(\S+))?\s*$/.exec(args);
      if (!m) throw new InputError(file, r.line, 1, `FROM needs an image, e.g. FROM node:24-slim (got ${JSON.stringify(args)})`);
      current = {
        image: m[1]!,
        resolvedImage: expandVars(m[1]!, globalArgs),
        ...(flags.platform !== undefined ? { platform: flags.platform } : {}),
        ...(m[2] ? { name: m[2] } : {}),
        line: r.line,
        instructions: [],
      };
      stages.push(current);
      stageVars = {};
      continue;
    }
    if (!current) {
      if (r.keyword === "ARG") {
        Object.assign(globalArgs, parseKeyValues(args));
        continue;
      }
      throw new InputError(file, r.line, 1, `${r.keyword} before FROM; expected FROM <image> first (only ARG may come before it)`);
    }
    const ins: DockerInstruction = { keyword: r.keyword, flags, args, line: r.line };
    if (r.keyword === "ARG") {
      for (const [k, v] of Object.entries(parseKeyValues(args))) stageVars[k] = v ?? globalArgs[k] ?? stageVars[k];
    } else if (r.keyword === "ENV") {
      for (const [k, v] of Object.entries(parseKeyValues(args))) stageVars[k] = v === undefined ? v : expandVars(v, stageVars);
    } else if (r.keyword === "EXPOSE") {
      ins.args = expandVars(args, stageVars);
    }
    if (r.keyword === "CMD" || r.keyword === "ENTRYPOINT" || r.keyword === "RUN") {
      const exec = execForm(args);
      if (exec) ins.exec = exec;
    } else if (r.keyword === "HEALTHCHECK") {
      const cmd = /^CMD\s+([\s\S]*)$/i.exec(args);
      const exec = cmd ? execForm(cmd[1]!.trim()) : undefined;
      if (exec) ins.exec = exec;
    }
    current.instructions.push(ins);
  }
  if (stages.length === 0) throw new InputError(file, 1, 1, "no FROM instruction; expected a Dockerfile that starts with FROM <image>");
  return { file, stages, globalArgs };
}

/** The stage that becomes the image (the last one). */
export function finalStage(df: Dockerfile): DockerStage {
  return df.stages[df.stages.length - 1]!;
}

/** Ports from the final stage's EXPOSE lines (tcp only; "8080", "8080/tcp"). Unexpanded variables are skipped. */
export function exposedPorts(df: Dockerfile): Array<{ port: number; line: number }> {
  const out: Array<{ port: number; line: number }> = [];
  for (const ins of finalStage(df).instructions) {
    if (ins.keyword !== "EXPOSE") continue;
    for (const tok of ins.args.split(/\s+/)) {
      const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp))?$/i.exec(tok);
      if (!m || (m[3] && m[3].toLowerCase() === "udp")) continue;
      out.push({ port: Number(m[1]), line: ins.line });
    }
  }
  return out;
}

/** The last instruction of a keyword in the final stage, following the chain of stages (FROM <stage>) for inheritance. */
export function lastInstruction(df: Dockerfile, keyword: string): DockerInstruction | undefined {
  const byName = new Map(df.stages.filter((s) => s.name).map((s) => [s.name!.toLowerCase(), s]));
  let stage: DockerStage | undefined = finalStage(df);
  const seen = new Set<DockerStage>();
  while (stage && !seen.has(stage)) {
    seen.add(stage);
    const found = [...stage.instructions].reverse().find((i) => i.keyword === keyword);
    if (found) return found;
    stage = byName.get(stage.resolvedImage.toLowerCase());
  }
  return undefined;
}
