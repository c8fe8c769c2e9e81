/**
 * argv → raw option values for the scaffold command, with node's own `util.parseArgs` and the schema.
 * Commander renders `--help` and runs the subcommands, but loading it (and the child_process module it pulls in)
 * costs a scaffold about a tenth of its time, so the default path parses without it.
 * test/unit/argv.test.ts checks both parsers give the same result for the same argv.
 */
import { parseArgs } from "node:util";
import { SCHEMA, OPTION_KEYS, type OptionKey } from "./schema.js";
import { UsageError } from "./resolve.js";

export interface CreateArgv {
  raw: Partial<Record<OptionKey, unknown>>;
  config?: string;
  help: boolean;
  version: boolean;
}

type ArgSpec = { type: "string" | "boolean"; short?: string; multiple?: boolean };

/** parseArgs name → what it sets. */
interface Target {
  key?: OptionKey;
  value?: boolean;
  meta?: "config" | "help" | "version";
}

function optionTable(): { options: Record<string, ArgSpec>; targets: Map<string, Target> } {
  const options: Record<string, ArgSpec> = {};
  const targets = new Map<string, Target>();
  for (const key of OPTION_KEYS) {
    if (key === "directory") continue;
    const spec = SCHEMA[key];
    if (spec.kind === "boolean") {
      options[spec.flag] = { type: "boolean", ...(spec.short ? { short: spec.short } : {}) };
      targets.set(spec.flag, { key, value: true });
      options[`no-${spec.flag}`] = { type: "boolean" };
      targets.set(`no-${spec.flag}`, { key, value: false });
      for (const alias of spec.negativeAliases ?? []) {
        options[alias] = { type: "boolean" };
        targets.set(alias, { key, value: false });
      }
    } else {
      options[spec.flag] = { type: "string", ...(spec.short ? { short: spec.short } : {}), ...(spec.kind === "list" ? { multiple: true } : {}) };
      targets.set(spec.flag, { key });
    }
  }
  options.config = { type: "string" };
  targets.set("config", { meta: "config" });
  options.help = { type: "boolean", short: "h" };
  targets.set("help", { meta: "help" });
  options.version = { type: "boolean", short: "v" };
  targets.set("version", { meta: "version" });
  return { options, targets };
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

function suggestion(raw: string, names: Iterable<string>): string {
  const wanted = raw.replace(/^-+/, "").split("=")[0] ?? "";
  let best: string | undefined;
  let bestDistance = 3;
  for (const name of names) {
    const d = distance(wanted, name);
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  return best ? `\n(Did you mean --${best}?)` : "";
}

function argName(flag: string): string {
  const key = OPTION_KEYS.find((k) => SCHEMA[k].flag === flag);
  const arg = key ? SCHEMA[key].arg : flag === "config" ? "<file.json>" : undefined;
  return `--${flag}${arg ? ` ${arg}` : ""}`;
}

export function parseCreateArgv(argv: string[]): CreateArgv {
  const { options, targets } = optionTable();
  let tokens;
  try {
    ({ tokens } = parseArgs({ args: argv, options, allowPositionals: true, strict: true, tokens: true }));
  } catch (err) {
    const e = err as Error & { code?: string };
    const quoted = /'(-[^']*)'/.exec(e.message)?.[1] ?? "";
    // parseArgs quotes the option as '--cpu <value>' or '-y, --yes': keep the long name.
    const flag = /--([A-Za-z0-9-]+)/.exec(quoted)?.[1] ?? quoted.replace(/^-+/, "").split(" ")[0] ?? "";
    if (e.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
      throw new UsageError(`unknown option '${quoted}'${suggestion(quoted, targets.keys())}`);
    }
    if (e.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
      throw new UsageError(
        /does not take an argument/.test(e.message)
          ? `option '--${flag}' does not take a value`
          : `option '${argName(flag)}' argument missing`,
      );
    }
    throw new UsageError(e.message);
  }

  const out: CreateArgv = { raw: {}, help: false, version: false };
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === "positional") positionals.push(token.value);
    if (token.kind !== "option") continue;
    const target = targets.get(token.name)!;
    if (target.meta === "help") out.help = true;
    else if (target.meta === "version") out.version = true;
    else if (target.meta === "config") out.config = token.value;
    else if (target.key && target.value !== undefined) out.raw[target.key] = target.value;
    else if (target.key && SCHEMA[target.key].kind === "list") {
      out.raw[target.key] = [...((out.raw[target.key] as string[] | undefined) ?? []), token.value];
    } else if (target.key) out.raw[target.key] = token.value;
  }
  if (positionals.length > 1) {
    throw new UsageError(`too many arguments: expected one directory, got ${positionals.map((p) => `"${p}"`).join(", ")}`);
  }
  if (positionals[0] !== undefined) out.raw.directory = positionals[0];
  return out;
}
