/**
 * From given values to options: parseGiven, the answers file, and resolveOptions with an injected prompt
 * function (asks only for what was not given, validates through the schema, defaults follow earlier answers).
 */
import { describe, expect, it } from "vitest";
import {
  parseGiven,
  parseAnswersFile,
  resolveOptions,
  UsageError,
  CancelledError,
  type PromptFn,
  type PromptRequest,
} from "../../src/options/resolve.js";
import { SCHEMA, OPTION_KEYS, type OptionKey } from "../../src/options/schema.js";
import { isInteractive } from "../../src/commands/create.js";

const PROMPTED = OPTION_KEYS.filter((k) => SCHEMA[k].prompt);

/** A prompt function that answers from a table (else the offered default) and records every request. */
function scripted(answers: Partial<Record<OptionKey, unknown>> = {}): PromptFn & { asked: PromptRequest[] } {
  const asked: PromptRequest[] = [];
  const fn = (async (req: PromptRequest) => {
    asked.push(req);
    if (req.key in answers) return answers[req.key];
    if (req.default === undefined) throw new Error(`no answer and no default for ${req.key}`);
    return req.default;
  }) as PromptFn & { asked: PromptRequest[] };
  fn.asked = asked;
  return fn;
}

describe("parseGiven", () => {
  it("parses every raw value and keeps only what was given", () => {
    expect(parseGiven({ directory: "svc", cpu: "512", memory: "1024", tracing: true, secrets: [] })).toEqual({
      directory: "svc",
      cpu: 512,
      memory: 1024,
      tracing: true,
      secrets: [],
    });
    expect(parseGiven({})).toEqual({});
  });

  it("collects every bad value into one usage error", () => {
    let err: UsageError | undefined;
    try {
      parseGiven({ port: "80", discovery: "foo", name: "My_Svc" });
    } catch (e) {
      err = e as UsageError;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect(err!.exitCode).toBe(2);
    expect(err!.details).toHaveLength(3);
    expect(err!.message).toContain("--port 80");
    expect(err!.message).toContain('--discovery "foo"');
    expect(err!.message).toContain('--name "My_Svc"');
  });
});

describe("parseAnswersFile", () => {
  it("accepts option keys and flag names", () => {
    expect(parseAnswersFile({ discovery: "cloudmap", "log-retention": 7, logGroup: "/x", secret: ["A=b"], "min-tasks": 2 }, "a.json")).toEqual({
      discovery: "cloudmap",
      logRetention: 7,
      logGroup: "/x",
      secrets: ["A=b"],
      minTasks: 2,
    });
  });

  it("refuses unknown keys, naming each and listing the allowed ones", () => {
    expect(() => parseAnswersFile({ cpu: 256, colour: "blue" }, "a.json")).toThrow(UsageError);
    expect(() => parseAnswersFile({ cpu: 256, colour: "blue" }, "a.json")).toThrow(/--config a\.json: unknown option "colour"; allowed: directory, name/);
    expect(() => parseAnswersFile({ foo: 1, bar: 2 }, "b.json")).toThrow(/unknown options "foo", "bar"/);
  });

  it("refuses anything but an object", () => {
    for (const v of [[], null, "x", 3]) expect(() => parseAnswersFile(v, "c.json")).toThrow(/--config c\.json: expected a JSON object/);
  });

  it("values from the file are validated like flags", () => {
    expect(() => parseGiven(parseAnswersFile({ port: 80 }, "a.json"))).toThrow(/--port 80 is out of range; allowed: 1024–65535/);
  });
});

describe("resolveOptions without prompts", () => {
  it("no directory and no --yes: usage error naming what is missing", async () => {
    await expect(resolveOptions({}, { env: {}, interactive: false })).rejects.toThrow(
      new UsageError("Missing required options: <directory>"),
    );
  });

  it("never calls the prompt function when not interactive", async () => {
    const prompt = scripted();
    const { options } = await resolveOptions({ directory: "svc" }, { env: {}, interactive: false, prompt });
    expect(prompt.asked).toEqual([]);
    expect(options.name).toBe("svc");
  });

  it("interactive without a prompt function behaves as non-interactive", async () => {
    await expect(resolveOptions({}, { env: {}, interactive: true })).rejects.toThrow(/Missing required options: <directory>/);
  });

  it("--yes fills the directory; every service option not given is reported as defaulted", async () => {
    const { options, defaulted } = await resolveOptions({ yes: true, cpu: 1024 }, { env: {}, interactive: false });
    expect(options.directory).toBe("fargate-service");
    expect(options.memory).toBe(2048);
    expect(defaulted).toContain("name");
    expect(defaulted).toContain("memory");
    expect(defaulted).not.toContain("cpu");
    // Run options are never listed as defaults.
    expect(defaulted.filter((k) => SCHEMA[k].group === "run")).toEqual([]);
    // Optional options with no default (account id, KMS key) stay unset, not defaulted.
    expect(options.accountId).toBeUndefined();
    expect(defaulted).not.toContain("accountId");
  });

  it("defaults follow given values: name ← directory, log group ← name, memory ← cpu, region ← env", async () => {
    const { options } = await resolveOptions({ directory: "./apps/Billing API", cpu: 512 }, { env: { AWS_REGION: "eu-west-1" }, interactive: false });
    expect(options.name).toBe("billing-api");
    expect(options.logGroup).toBe("/ecs/billing-api");
    expect(options.memory).toBe(1024);
    expect(options.region).toBe("eu-west-1");
  });

  it("cross-field errors are usage errors", async () => {
    await expect(resolveOptions({ directory: "svc", minTasks: 5, maxTasks: 2 }, { env: {}, interactive: false })).rejects.toThrow(
      /--min-tasks 5 is greater than --max-tasks 2/,
    );
  });
});

describe("resolveOptions with an injected prompt", () => {
  it("asks for every prompted option, in resolution order, when nothing is given", async () => {
    const prompt = scripted({ directory: "orders" });
    const { options, defaulted } = await resolveOptions({}, { env: {}, interactive: true, prompt });
    expect(prompt.asked.map((r) => r.key)).toEqual(PROMPTED);
    // The schema decides which options are prompted; the essentials always are, directory first.
    expect(PROMPTED[0]).toBe("directory");
    for (const k of ["name", "discovery", "cpu", "memory"] as const) expect(PROMPTED).toContain(k);
    expect(options.name).toBe("orders");
    // Asked options are not "defaulted" even when the user accepted the offered default.
    for (const k of PROMPTED) expect(defaulted).not.toContain(k);
  });

  it("asks only for what the flags did not give", async () => {
    const prompt = scripted();
    const given = { directory: "svc", discovery: "none", cpu: 512, tracing: true } as const;
    await resolveOptions(given, { env: {}, interactive: true, prompt });
    const keys = prompt.asked.map((r) => r.key);
    expect(keys).toEqual(PROMPTED.filter((k) => !(k in given)));
    expect(keys).toContain("name");
    expect(keys).toContain("memory");
  });

  it("asks nothing when every prompted option is given", async () => {
    const prompt = scripted();
    const given = parseGiven({
      directory: "svc", name: "svc", discovery: "alb", port: "8080", cpu: "256", memory: "512",
      arch: "arm64", region: "eu-west-1", logRetention: "7", tracing: false, logMode: "blocking", exec: true,
    });
    await resolveOptions(given, { env: {}, interactive: true, prompt });
    expect(prompt.asked).toEqual([]);
  });

  it("offers defaults computed from earlier answers", async () => {
    const prompt = scripted({ directory: "../My Service", cpu: "1024" });
    const { options } = await resolveOptions({}, { env: { AWS_DEFAULT_REGION: "ap-south-1" }, interactive: true, prompt });
    const req = (k: OptionKey) => prompt.asked.find((r) => r.key === k)!;
    expect(req("name").default).toBe("my-service");
    expect(req("memory").default).toBe(2048);
    expect(req("memory").choices?.map((c) => c.value)).toEqual(["2048", "3072", "4096", "5120", "6144", "7168", "8192"]);
    expect(req("region").default).toBe("ap-south-1");
    if (PROMPTED.includes("tracing")) expect(req("tracing").default).toBe(false);
    expect(options.cpu).toBe(1024);
    expect(options.memory).toBe(2048);
    expect(options.logGroup).toBe("/ecs/my-service");
  });

  it("selects offer the schema's choices", async () => {
    const prompt = scripted({ directory: "svc" });
    await resolveOptions({}, { env: {}, interactive: true, prompt });
    const req = (k: OptionKey) => prompt.asked.find((r) => r.key === k)!;
    expect(req("discovery").choices?.map((c) => c.value)).toEqual(["alb", "cloudmap", "none"]);
    expect(req("cpu").choices?.map((c) => c.value)).toEqual(["256", "512", "1024", "2048", "4096", "8192", "16384"]);
    expect(req("arch").choices?.map((c) => c.value)).toEqual(["x86_64", "arm64"]);
    expect(req("logRetention").choices?.map((c) => c.value)).toEqual(SCHEMA.logRetention.choices);
    expect(req("memory").choices?.map((c) => c.value)).toEqual(["512", "1024", "2048"]);
    for (const k of ["discovery", "cpu", "memory", "arch", "logRetention"] as const) {
      // The offered default is one of the choices, so pressing enter accepts it.
      expect(req(k).choices?.map((c) => c.value), k).toContain(String(req(k).default));
    }
  });

  it("each prompt validates with the schema's own parser and validator", async () => {
    const prompt = scripted({ directory: "svc" });
    await resolveOptions({}, { env: {}, interactive: true, prompt });
    const validate = (k: OptionKey) => prompt.asked.find((r) => r.key === k)!.validate;
    expect(validate("name")("My_Svc")).toBe(SCHEMA.name.validate!("My_Svc"));
    expect(validate("name")("My_Svc")).toContain('"My_Svc"');
    expect(validate("name")("my-svc")).toBe(true);
    expect(validate("region")("eu-west-9")).toContain('"eu-west-9"');
    expect(validate("region")("eu-west-1")).toBe(true);
    expect(validate("directory")("")).toBe("directory must not be empty");
    // Parsers run too: a select's raw string answer is checked against the schema's choices.
    expect(validate("cpu")("300")).toContain('--cpu "300" is not allowed');
    expect(validate("cpu")("512")).toBe(true);
  });

  it("the answers are parsed (strings from input and select prompts become typed values)", async () => {
    const prompt = scripted({ directory: " svc ", cpu: "512", memory: "2048", logRetention: "never" });
    const { options } = await resolveOptions({}, { env: {}, interactive: true, prompt });
    expect(options.directory).toBe("svc");
    expect(options.cpu).toBe(512);
    expect(options.memory).toBe(2048);
    expect(options.logRetention).toBe("never");
  });

  it("the directory prompt pre-fills a suggestion when there is no default", async () => {
    const prompt = scripted();
    const { options } = await resolveOptions({}, { env: {}, interactive: true, prompt });
    const dir = prompt.asked.find((r) => r.key === "directory")!;
    expect(typeof dir.default).toBe("string");
    expect(options.directory).toBe(dir.default);
  });

  it("a cancelled prompt stops resolution with CancelledError (exit 130)", async () => {
    let n = 0;
    const prompt: PromptFn = async (req) => {
      if (++n === 3) throw new CancelledError();
      return req.key === "directory" ? "svc" : req.default;
    };
    const err = await resolveOptions({}, { env: {}, interactive: true, prompt }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CancelledError);
    expect((err as CancelledError).exitCode).toBe(130);
    expect((err as CancelledError).message).toBe("Operation cancelled");
  });

  it("a given --memory limits the cpu choices to the sizes that allow it (and the default is one of them)", async () => {
    const prompt = scripted({ directory: "svc" });
    const { options } = await resolveOptions({ memory: 4096 }, { env: {}, interactive: true, prompt });
    const cpu = prompt.asked.find((r) => r.key === "cpu")!;
    expect(cpu.choices?.map((c) => c.value)).toEqual(["512", "1024", "2048"]);
    expect(cpu.choices?.map((c) => c.value)).toContain(String(cpu.default));
    expect(options.cpu).toBe(512);
    expect(options.memory).toBe(4096);
  });

  it("a given --scale-on requests limits the discovery choices to alb", async () => {
    const prompt = scripted({ directory: "svc" });
    await resolveOptions({ scaleOn: "requests" }, { env: {}, interactive: true, prompt });
    expect(prompt.asked.find((r) => r.key === "discovery")!.choices?.map((c) => c.value)).toEqual(["alb"]);
  });

  it("cross-field rules still apply to prompted answers", async () => {
    const prompt = scripted({ directory: "svc", discovery: "cloudmap" });
    await expect(resolveOptions({ scaleOn: "requests" }, { env: {}, interactive: true, prompt })).rejects.toThrow(/--scale-on requests needs --discovery alb/);
  });
});

describe("isInteractive", () => {
  it.each([
    [{}, true, {}, true],
    [{}, false, {}, false],
    [{}, true, { CI: "true" }, false],
    [{}, true, { CI: "1" }, false],
    [{}, true, { CI: "" }, true],
    [{}, true, { CI: "false" }, true],
    [{}, true, { CI: "0" }, true],
    [{ yes: true }, true, {}, false],
    [{ yes: true, interactive: true }, true, {}, false],
    [{ interactive: true }, false, { CI: "true" }, true],
    [{ interactive: false }, true, {}, false],
  ] as const)("given %j, tty %s, env %j → %s", (given, tty, env, expected) => {
    expect(isInteractive(given, tty, env)).toBe(expected);
  });
});

describe("defaults that follow a given value", () => {
  it("--memory alone picks the smallest cpu that allows it", async () => {
    const { defaultOptions } = await import("../../src/options/resolve.js");
    expect(defaultOptions({ directory: "svc", memory: 4096 }, {}).cpu).toBe(512);
    expect(defaultOptions({ directory: "svc", memory: 30720 }, {}).cpu).toBe(4096);
    expect(defaultOptions({ directory: "svc" }, {}).cpu).toBe(256);
  });
});
