/**
 * From what the user gave (flags ∪ answers file) to validated options:
 * each option is "given, else asked (interactive only), else its default", in RESOLUTION_ORDER
 * so a default can depend on earlier answers (name ← directory, memory ← cpu, log group ← name).
 */
import { validMemoryFor, FARGATE_CPU_VALUES } from "../fargate/sizes.js";
import {
  SCHEMA,
  RESOLUTION_ORDER,
  OPTION_KEYS,
  OptionValueError,
  crossFieldErrors,
  type AllOptions,
  type OptionKey,
  type OptionSpec,
} from "./schema.js";

/** A usage error: exit 2, message names the value and what is allowed. */
export class UsageError extends Error {
  override name = "UsageError";
  readonly exitCode = 2;
  constructor(
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
  }
}

/** Raised when the user cancels a prompt (Ctrl-C): exit 130, nothing written. */
export class CancelledError extends Error {
  override name = "CancelledError";
  readonly exitCode = 130;
  constructor() {
    super("Operation cancelled");
  }
}

export type Given = Partial<AllOptions>;

/** Parse and validate one raw value with its spec; throws OptionValueError with a clear message. */
export function parseOption<K extends OptionKey>(key: K, raw: unknown): AllOptions[K] {
  const spec = SCHEMA[key] as OptionSpec<AllOptions[K]>;
  const value = spec.parse(raw);
  const problem = spec.validate?.(value);
  if (problem) throw new OptionValueError(problem);
  return value;
}

/** Parse a map of raw values (from argv or an answers file). Collects every error instead of stopping at the first. */
export function parseGiven(raw: Partial<Record<OptionKey, unknown>>): Given {
  const given: Record<string, unknown> = {};
  const errors: string[] = [];
  for (const key of OPTION_KEYS) {
    if (raw[key] === undefined) continue;
    try {
      given[key] = parseOption(key, raw[key]);
    } catch (err) {
      errors.push((err as Error).message);
    }
  }
  if (errors.length) throw new UsageError(errors.join("\n"), errors);
  return given as Given;
}

/** Keys an answers file may use: the option keys (camelCase) or their flag names. */
export function parseAnswersFile(json: unknown, file: string): Partial<Record<OptionKey, unknown>> {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new UsageError(`--config ${file}: expected a JSON object of options, e.g. {"discovery": "cloudmap", "cpu": 512}`);
  }
  const byFlag = new Map(OPTION_KEYS.map((k) => [SCHEMA[k].flag, k] as const));
  const out: Partial<Record<OptionKey, unknown>> = {};
  const unknown: string[] = [];
  for (const [k, v] of Object.entries(json)) {
    const key = (OPTION_KEYS as string[]).includes(k) ? (k as OptionKey) : byFlag.get(k);
    if (!key) unknown.push(k);
    else out[key] = v;
  }
  if (unknown.length) {
    throw new UsageError(
      `--config ${file}: unknown option${unknown.length > 1 ? "s" : ""} ${unknown.map((u) => `"${u}"`).join(", ")}; ` +
        `allowed: ${OPTION_KEYS.join(", ")}`,
    );
  }
  return out;
}

/** One prompt, as the resolver needs it. Injectable so tests can answer without a terminal. */
export interface PromptRequest {
  key: OptionKey;
  spec: OptionSpec<unknown>;
  default: unknown;
  /** For selects: the allowed values, in display order. */
  choices?: Array<{ value: string; name: string }>;
  /** Returns an error message or true, as @inquirer/prompts expects. */
  validate: (raw: string) => string | true;
}
export type PromptFn = (request: PromptRequest) => Promise<unknown>;

export interface ResolveResult {
  options: AllOptions;
  /** Options that took their default (not given, not asked): printed with the flag that sets each. */
  defaulted: OptionKey[];
}

/** CPU values to offer: all of them, or only those that allow a memory size given on the command line. */
function cpuChoices(given: Given): readonly number[] {
  const fitting = given.memory === undefined ? [] : FARGATE_CPU_VALUES.filter((c) => validMemoryFor(c).includes(given.memory!));
  return fitting.length ? fitting : FARGATE_CPU_VALUES;
}

function choicesFor(key: OptionKey, known: Partial<AllOptions>, given: Given): Array<{ value: string; name: string }> | undefined {
  switch (key) {
    case "cpu":
      return cpuChoices(given).map((c) => ({ value: String(c), name: `${c} (${c / 1024} vCPU)` }));
    case "memory":
      return validMemoryFor(known.cpu ?? 256).map((m) => ({ value: String(m), name: `${m} MiB (${m / 1024} GB)` }));
    case "discovery":
      return [
        { value: "alb", name: "alb — internet-facing Application Load Balancer" },
        { value: "cloudmap", name: "cloudmap — private DNS name via Cloud Map (service-to-service)" },
        { value: "none", name: "none — worker with no inbound traffic" },
        // --scale-on requests counts requests at the load balancer: only alb can work with it.
      ].filter((c) => given.scaleOn !== "requests" || c.value === "alb");
    case "logRetention":
      return (SCHEMA.logRetention.choices ?? []).map((d) => ({
        value: d,
        name: d === "never" ? "never (events never expire)" : `${d} day${d === "1" ? "" : "s"}`,
      }));
    default: {
      const choices = SCHEMA[key].choices;
      return choices?.map((c) => ({ value: c, name: c }));
    }
  }
}

function validatorFor(key: OptionKey): (raw: string) => string | true {
  return (raw) => {
    try {
      parseOption(key, raw);
      return true;
    } catch (err) {
      return (err as Error).message;
    }
  };
}

function finish(values: Partial<AllOptions>, defaulted: OptionKey[], missing: OptionKey[]): ResolveResult {
  if (missing.length) {
    throw new UsageError(`Missing required options: ${missing.map((k) => (k === "directory" ? "<directory>" : `--${SCHEMA[k].flag}`)).join(", ")}`);
  }
  const options = values as AllOptions;
  const errors = crossFieldErrors(options);
  if (errors.length) throw new UsageError(errors.join("\n"), errors);
  return { options, defaulted };
}

/**
 * Resolve every option. Asks (through `prompt`) only for options that were not given and have a prompt,
 * and only when `interactive`. Without a prompt, a required option with no default is reported as missing.
 */
export async function resolveOptions(
  given: Given,
  ctx: { env: NodeJS.ProcessEnv; interactive: boolean; prompt?: PromptFn },
): Promise<ResolveResult> {
  const values: Record<string, unknown> = {};
  const defaulted: OptionKey[] = [];
  const missing: OptionKey[] = [];
  for (const key of RESOLUTION_ORDER) {
    const spec = SCHEMA[key] as OptionSpec<unknown>;
    if (given[key] !== undefined) {
      values[key] = given[key];
      continue;
    }
    // Defaults may read anything already resolved, and anything given (e.g. the cpu default fits a given --memory).
    const known = { ...given, ...values } as Partial<AllOptions>;
    let def = spec.default(known, ctx.env);
    // A given memory that does not fit the cpu is reported by crossFieldErrors; a defaulted one follows the cpu.
    if (key === "memory" && def === undefined) def = validMemoryFor(known.cpu ?? 256)[0];
    if (ctx.interactive && ctx.prompt && spec.prompt) {
      // Asked for the cpu with --memory given: offer (and pre-select) only the sizes that allow that memory.
      if (key === "cpu" && !cpuChoices(given).includes(def as number)) def = cpuChoices(given)[0];
      const answer = await ctx.prompt({
        key,
        spec,
        default: def ?? spec.prompt.suggestion,
        choices: choicesFor(key, known, given),
        validate: validatorFor(key),
      });
      values[key] = parseOption(key, answer);
      continue;
    }
    if (def === undefined) {
      if (spec.required) missing.push(key);
      continue;
    }
    values[key] = def;
    if (spec.group === "service") defaulted.push(key);
  }
  return finish(values as Partial<AllOptions>, defaulted, missing);
}

/** Every option given or defaulted, as `--yes` resolves them; throws UsageError. Used by tests and tools. */
export function defaultOptions(given: Given = {}, env: NodeJS.ProcessEnv = process.env): AllOptions {
  const values: Record<string, unknown> = {};
  const withYes: Given = { yes: true, ...given };
  for (const key of RESOLUTION_ORDER) {
    const spec = SCHEMA[key] as OptionSpec<unknown>;
    values[key] = withYes[key] !== undefined ? withYes[key] : spec.default({ ...withYes, ...values } as Partial<AllOptions>, env);
  }
  return finish(values as Partial<AllOptions>, [], []).options;
}
