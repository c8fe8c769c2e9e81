/**
 * The one options schema: every default, every parser/validator with good and bad values (each error names the
 * value and what is allowed), cross-field rules, name repair, package-manager detection, secrets.
 */
import { describe, expect, it } from "vitest";
import {
  SCHEMA,
  OPTION_KEYS,
  RESOLUTION_ORDER,
  SERVICE_OPTION_KEYS,
  MAX_SERVICE_NAME,
  crossFieldErrors,
  repairServiceName,
  serviceNameError,
  basenameOf,
  detectPackageManager,
  defaultRegion,
  parseSecret,
  pickServiceOptions,
  OptionValueError,
  type AllOptions,
  type OptionKey,
} from "../../src/options/schema.js";
import { parseOption, defaultOptions, UsageError } from "../../src/options/resolve.js";
import { RETENTION_DAYS } from "../../src/fargate/log-group.js";
import { AWS_REGIONS } from "../../src/fargate/regions.js";

const SM_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf";
const SSM_ARN = "arn:aws:ssm:eu-west-1:123456789012:parameter/prod/api-key";
const KMS_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

describe("schema shape", () => {
  it("every option has a unique flag, a description and a parser", () => {
    const flags = OPTION_KEYS.map((k) => SCHEMA[k].flag);
    expect(new Set(flags).size).toBe(flags.length);
    for (const key of OPTION_KEYS) {
      const spec = SCHEMA[key];
      expect(spec.flag, key).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(spec.description.length, key).toBeGreaterThan(5);
      expect(typeof spec.parse, key).toBe("function");
      if (spec.kind === "enum") expect(spec.choices?.length, key).toBeGreaterThan(1);
      if (spec.kind !== "boolean" && key !== "directory") expect(spec.arg, key).toMatch(/^<.+>$/);
      if (spec.kind === "boolean") expect(spec.arg, key).toBeUndefined();
    }
  });

  it("short flags are unique and do not clash with -h/-v", () => {
    const shorts = OPTION_KEYS.map((k) => SCHEMA[k].short).filter(Boolean);
    expect(new Set(shorts).size).toBe(shorts.length);
    expect(shorts).not.toContain("h");
    expect(shorts).not.toContain("v");
  });

  it("RESOLUTION_ORDER lists every option exactly once", () => {
    expect([...RESOLUTION_ORDER].sort()).toEqual([...OPTION_KEYS].sort());
    expect(new Set(RESOLUTION_ORDER).size).toBe(RESOLUTION_ORDER.length);
  });

  it("defaults that read other options come after them in RESOLUTION_ORDER", () => {
    const before = (a: OptionKey, b: OptionKey) => RESOLUTION_ORDER.indexOf(a) < RESOLUTION_ORDER.indexOf(b);
    expect(before("yes", "directory")).toBe(true);
    expect(before("directory", "name")).toBe(true);
    expect(before("name", "logGroup")).toBe(true);
    expect(before("cpu", "memory")).toBe(true);
    expect(before("minTasks", "maxTasks")).toBe(true);
  });

  it("service options are exactly the generated project's options; run options are not among them", () => {
    expect(SERVICE_OPTION_KEYS).toContain("name");
    for (const k of ["yes", "interactive", "force", "dryRun", "install", "git", "packageManager", "json"] as const) {
      expect(SCHEMA[k].group).toBe("run");
      expect(SERVICE_OPTION_KEYS).not.toContain(k);
    }
    const picked = pickServiceOptions(defaultOptions({ directory: "svc" }, {}));
    expect(Object.keys(picked).sort()).toEqual([...SERVICE_OPTION_KEYS].sort());
  });

  it("prompted options have a prompt type that suits their kind", () => {
    for (const key of OPTION_KEYS) {
      const p = SCHEMA[key].prompt;
      if (!p) continue;
      expect(p.message.length, key).toBeGreaterThan(3);
      if (SCHEMA[key].kind === "boolean") expect(p.type, key).toBe("confirm");
      if (SCHEMA[key].kind === "enum") expect(p.type, key).toBe("select");
    }
  });

  it("only the directory is required", () => {
    expect(OPTION_KEYS.filter((k) => SCHEMA[k].required)).toEqual(["directory"]);
  });
});

describe("defaults", () => {
  // The expected default of every option, with nothing known and an empty environment.
  // A new option must be added here (the next test checks the table is complete).
  const EXPECTED: Record<OptionKey, unknown> = {
    directory: undefined,
    name: undefined,
    discovery: "alb",
    namespace: "internal",
    port: 8080,
    cpu: 256,
    memory: 512,
    arch: "x86_64",
    region: "us-east-1",
    accountId: undefined,
    logGroup: undefined,
    logRetention: 30,
    logMode: "non-blocking",
    createLogGroup: false,
    tracing: false,
    minTasks: 1,
    maxTasks: 4,
    scaleOn: "cpu",
    cpuTarget: 70,
    memoryTarget: 75,
    requestsTarget: 1000,
    spot: false,
    exec: false,
    secrets: [],
    secretsKmsKey: undefined,
    stopTimeout: 30,
    metricsInterval: 60,
    yes: false,
    interactive: undefined,
    force: false,
    dryRun: false,
    install: true,
    git: true,
    packageManager: "npm",
    json: false,
  };

  it("the table covers every option", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...OPTION_KEYS].sort());
  });

  it.each(Object.entries(EXPECTED))("%s defaults to %j", (key, expected) => {
    expect(SCHEMA[key as OptionKey].default({}, {})).toEqual(expected);
  });

  it("every non-undefined default passes its own parser and validator", () => {
    const all = defaultOptions({ directory: "svc" }, {});
    for (const key of OPTION_KEYS) {
      const v = all[key];
      if (v === undefined) continue;
      const raw = Array.isArray(v) ? v.map((s) => `${s.name}=${s.valueFrom}`) : v;
      expect(parseOption(key, raw), key).toEqual(v);
    }
  });

  it("directory: asked, or fargate-service with --yes", () => {
    expect(SCHEMA.directory.default({ yes: true }, {})).toBe("fargate-service");
    expect(SCHEMA.directory.default({ yes: false }, {})).toBeUndefined();
  });

  it("name: the directory's basename, repaired", () => {
    expect(SCHEMA.name.default({ directory: "apps/My_Cool Service" }, {})).toBe("my-cool-service");
    expect(SCHEMA.name.default({ directory: "./svc/" }, {})).toBe("svc");
  });

  it("memory: the smallest valid for the cpu", () => {
    expect(SCHEMA.memory.default({ cpu: 256 }, {})).toBe(512);
    expect(SCHEMA.memory.default({ cpu: 512 }, {})).toBe(1024);
    expect(SCHEMA.memory.default({ cpu: 1024 }, {})).toBe(2048);
    expect(SCHEMA.memory.default({ cpu: 4096 }, {})).toBe(8192);
    expect(SCHEMA.memory.default({ cpu: 16384 }, {})).toBe(32768);
  });

  it("region: AWS_REGION, else AWS_DEFAULT_REGION, else us-east-1", () => {
    expect(SCHEMA.region.default({}, { AWS_REGION: "eu-west-1", AWS_DEFAULT_REGION: "eu-central-1" })).toBe("eu-west-1");
    expect(SCHEMA.region.default({}, { AWS_DEFAULT_REGION: "eu-central-1" })).toBe("eu-central-1");
    expect(SCHEMA.region.default({}, { AWS_REGION: "" , AWS_DEFAULT_REGION: "ap-south-1"})).toBe("ap-south-1");
    expect(defaultRegion({})).toBe("us-east-1");
  });

  it("account id: AWS_ACCOUNT_ID only when it is 12 digits", () => {
    expect(SCHEMA.accountId.default({}, { AWS_ACCOUNT_ID: "123456789012" })).toBe("123456789012");
    expect(SCHEMA.accountId.default({}, { AWS_ACCOUNT_ID: "1234" })).toBeUndefined();
  });

  it("log group: /ecs/<name>", () => {
    expect(SCHEMA.logGroup.default({ name: "orders" }, {})).toBe("/ecs/orders");
  });

  it("max tasks: 4, but never below min tasks", () => {
    expect(SCHEMA.maxTasks.default({ minTasks: 2 }, {})).toBe(4);
    expect(SCHEMA.maxTasks.default({ minTasks: 10 }, {})).toBe(10);
  });

  it("package manager: from npm_config_user_agent", () => {
    expect(SCHEMA.packageManager.default({}, { npm_config_user_agent: "pnpm/9.1.0 npm/? node/v20.20.2 linux x64" })).toBe("pnpm");
  });

  it("defaultOptions(--yes) resolves a complete, valid set", () => {
    const o = defaultOptions({}, {});
    expect(o.directory).toBe("fargate-service");
    expect(o.name).toBe("fargate-service");
    expect(o.logGroup).toBe("/ecs/fargate-service");
    expect(crossFieldErrors(o)).toEqual([]);
  });
});

/** [raw value, parsed value] pairs that must be accepted, and raw values that must be refused. */
interface Case {
  good: Array<[unknown, unknown]>;
  bad: Array<[raw: unknown, mustMention: Array<string | RegExp>]>;
}

const bools = (): Case => ({
  good: [
    [true, true],
    [false, false],
    ["true", true],
    ["no", false],
    ["1", true],
    ["off", false],
  ],
  bad: [["maybe", ["maybe", "true or false"]]],
});

const CASES: Record<OptionKey, Case> = {
  directory: { good: [["svc", "svc"], [" ./a/b ", "./a/b"], [".", "."]], bad: [["", ["directory", "empty"]]] },
  name: {
    good: [["a", "a"], ["svc-1", "svc-1"], ["x".repeat(MAX_SERVICE_NAME), "x".repeat(MAX_SERVICE_NAME)], [" orders ", "orders"]],
    bad: [
      ["My_Svc", ['"My_Svc"', "lowercase letters, digits", "starting with a letter"]],
      ["1svc", ['"1svc"', "starting with a letter"]],
      ["svc.api", ['"svc.api"']],
      ["x".repeat(MAX_SERVICE_NAME + 1), [`${MAX_SERVICE_NAME + 1} characters`, `at most ${MAX_SERVICE_NAME}`]],
      ["svc-", ['"svc-"', 'end with "-"']],
      ["a--b", ['"a--b"', '"--"']],
      ["", ['--name ""']],
    ],
  },
  discovery: {
    good: [["alb", "alb"], ["cloudmap", "cloudmap"], ["none", "none"], ["ALB", "alb"]],
    bad: [["foo", ['"foo"', "alb, cloudmap, none"]], ["nlb", ['"nlb"', "alb, cloudmap, none"]]],
  },
  namespace: {
    good: [["internal", "internal"], ["svc.example.internal", "svc.example.internal"], [" Local ", "local"], ["a-1.b", "a-1.b"]],
    bad: [
      ["bad name", ['"bad name"', "not a DNS name"]],
      ["-x.internal", ['"-x.internal"', "not a DNS name"]],
      ["a..b", ['"a..b"']],
      ["x.", ['"x."']],
      ["", ['--namespace ""']],
    ],
  },
  port: {
    good: [["1024", 1024], ["8080", 8080], [3000, 3000], ["65535", 65535]],
    bad: [
      ["80", ["80", "1024–65535"]],
      ["1023", ["1023", "1024–65535"]],
      ["65536", ["65536", "1024–65535"]],
      ["http", ['"http"', "whole number", "1024–65535"]],
      [8080.5, ["8080.5", "1024–65535"]],
    ],
  },
  cpu: {
    good: [["256", 256], [512, 512], ["1024", 1024], ["16384", 16384]],
    bad: [["300", ['"300"', "256, 512, 1024, 2048, 4096, 8192, 16384"]], ["1 vCPU", ['"1 vCPU"', "256, 512"]]],
  },
  memory: {
    good: [["512", 512], [2048, 2048], ["122880", 122880]],
    bad: [["256", ["256", "512–122880"]], ["lots", ['"lots"', "512–122880"]], ["122881", ["122881", "512–122880"]]],
  },
  arch: {
    good: [["x86_64", "x86_64"], ["arm64", "arm64"], ["ARM64", "arm64"], ["x86-64", "x86_64"]],
    bad: [["amd64", ['"amd64"', "x86_64, arm64"]]],
  },
  region: {
    good: [["eu-west-1", "eu-west-1"], ["us-gov-west-1", "us-gov-west-1"], ["cn-north-1", "cn-north-1"]],
    bad: [
      ["eu-west-9", ['"eu-west-9"', "allowed:", "eu-west-1"]],
      ["euwest1", ['"euwest1"', "did you mean eu-west-1?"]],
      ["", ['--region ""']],
    ],
  },
  accountId: {
    good: [["123456789012", "123456789012"]],
    bad: [["12345", ['"12345"', "12-digit"]], ["12345678901a", ['"12345678901a"', "12-digit"]]],
  },
  logGroup: {
    good: [["/ecs/svc", "/ecs/svc"], ["a.b-c_d/e#F9", "a.b-c_d/e#F9"], ["x".repeat(512), "x".repeat(512)]],
    bad: [
      ["has space", ['"has space"', "a-z A-Z 0-9 . - _ / #"]],
      ["/ecs/svc!", ['"/ecs/svc!"', '"!"']],
      ["aws/reserved", ['"aws/reserved"', 'reserves']],
      ["x".repeat(513), ["1–512", "513"]],
      ["", ["1–512"]],
    ],
  },
  logRetention: {
    good: [["30", 30], [1, 1], ["3653", 3653], ["never", "never"]],
    bad: [["2", ['"2"', "1, 3, 5, 7, 14, 30", "never"]], ["forever", ['"forever"', "never"]], ["0", ['"0"']]],
  },
  logMode: {
    good: [["non-blocking", "non-blocking"], ["blocking", "blocking"], ["NON_BLOCKING", "non-blocking"]],
    bad: [["async", ['"async"', "non-blocking, blocking"]]],
  },
  createLogGroup: bools(),
  tracing: bools(),
  minTasks: { good: [["1", 1], [1000, 1000]], bad: [["0", ["0", "1–1000"]], ["1001", ["1001", "1–1000"]]] },
  maxTasks: { good: [["4", 4], ["1000", 1000]], bad: [["0", ["0", "1–1000"]], ["-1", ["-1", "1–1000"]]] },
  scaleOn: {
    good: [["cpu", "cpu"], ["memory", "memory"], ["requests", "requests"]],
    bad: [["latency", ['"latency"', "cpu, memory, requests"]]],
  },
  cpuTarget: { good: [["10", 10], ["90", 90]], bad: [["9", ["9", "10–90"]], ["95", ["95", "10–90"]]] },
  memoryTarget: { good: [["75", 75]], bad: [["100", ["100", "10–90"]]] },
  requestsTarget: { good: [["1", 1], ["1000000", 1_000_000]], bad: [["0", ["0", "1–1000000"]], ["1000001", ["1000001"]]] },
  spot: bools(),
  exec: bools(),
  secrets: {
    good: [
      [`DB_URL=${SM_ARN}`, [{ name: "DB_URL", valueFrom: SM_ARN }]],
      [[`A=${SM_ARN}`, `B=${SSM_ARN}`], [{ name: "A", valueFrom: SM_ARN }, { name: "B", valueFrom: SSM_ARN }]],
      [[{ name: "API_KEY", valueFrom: SSM_ARN }], [{ name: "API_KEY", valueFrom: SSM_ARN }]],
      [[], []],
    ],
    bad: [
      ["bad", ['"bad"', "NAME=ARN"]],
      [`1X=${SM_ARN}`, [`"1X=`, "environment variable name"]],
      ["X=arn:aws:s3:::bucket", ['"arn:aws:s3:::bucket"', "Secrets Manager", "SSM parameter"]],
      [[`A=${SM_ARN}`, `A=${SSM_ARN}`], ['"A"', "more than once"]],
    ],
  },
  secretsKmsKey: {
    good: [[KMS_ARN, KMS_ARN]],
    bad: [["alias/my-key", ['"alias/my-key"', "arn:aws:kms:<region>:<account-id>:key/<key-id>"]]],
  },
  stopTimeout: { good: [["2", 2], ["120", 120]], bad: [["1", ["1", "2–120"]], ["121", ["121", "2–120"]]] },
  metricsInterval: { good: [["10", 10], ["3600", 3600]], bad: [["5", ["5", "10–3600"]]] },
  yes: bools(),
  interactive: bools(),
  force: bools(),
  dryRun: bools(),
  install: bools(),
  git: bools(),
  packageManager: {
    good: [["npm", "npm"], ["pnpm", "pnpm"], ["yarn", "yarn"]],
    bad: [["bun", ['"bun"', "npm, pnpm, yarn"]]],
  },
  json: bools(),
};

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected an error, got none");
}

describe("parsers and validators", () => {
  it("every option has good and bad cases", () => {
    expect(Object.keys(CASES).sort()).toEqual([...OPTION_KEYS].sort());
    for (const [key, c] of Object.entries(CASES)) {
      expect(c.good.length, key).toBeGreaterThan(0);
      expect(c.bad.length, key).toBeGreaterThan(0);
    }
  });

  const good = Object.entries(CASES).flatMap(([key, c]) => c.good.map(([raw, parsed]) => [key, raw, parsed] as const));
  it.each(good)("%s accepts %j", (key, raw, parsed) => {
    expect(parseOption(key as OptionKey, raw)).toEqual(parsed);
  });

  const bad = Object.entries(CASES).flatMap(([key, c]) => c.bad.map(([raw, mention]) => [key, raw, mention] as const));
  it.each(bad)("%s refuses %j, naming the value and what is allowed", (key, raw, mention) => {
    const err = errorOf(() => parseOption(key as OptionKey, raw));
    expect(err).toBeInstanceOf(OptionValueError);
    const flag = SCHEMA[key as OptionKey].flag;
    if (key !== "directory") expect(err.message).toContain(`--${flag}`);
    for (const m of mention) {
      if (typeof m === "string") expect(err.message).toContain(m);
      else expect(err.message).toMatch(m);
    }
  });

  it("a value of the wrong JSON type is refused with its JSON form", () => {
    expect(errorOf(() => parseOption("port", null)).message).toMatch(/--port: expected a string, got null/);
    expect(errorOf(() => parseOption("name", { a: 1 })).message).toContain('{"a":1}');
  });

  it("every log retention CloudWatch allows, and never, is accepted", () => {
    for (const d of RETENTION_DAYS) expect(parseOption("logRetention", String(d))).toBe(d);
    expect(SCHEMA.logRetention.choices).toEqual([...RETENTION_DAYS.map(String), "never"]);
  });

  it("every known region is accepted", () => {
    for (const r of AWS_REGIONS) expect(parseOption("region", r)).toBe(r);
  });
});

describe("service name", () => {
  it.each([
    ["My Cool_Service!", "my-cool-service"],
    ["123abc", "abc"],
    ["--a--b--", "a-b"],
    ["___", "fargate-service"],
    ["", "fargate-service"],
    ["Orders.API", "orders-api"],
    ["a".repeat(27) + "-bcd", "a".repeat(27)],
  ])("repairServiceName(%j) = %j", (raw, repaired) => {
    expect(repairServiceName(raw)).toBe(repaired);
  });

  it("a repaired name is always valid (500 pseudo-random inputs)", () => {
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const alphabet = "abcXYZ019-_ .!/ü";
    for (let i = 0; i < 500; i++) {
      const len = Math.floor(rand() * 40);
      const s = Array.from({ length: len }, () => alphabet[Math.floor(rand() * alphabet.length)]).join("");
      const repaired = repairServiceName(s);
      expect(serviceNameError(repaired), `${JSON.stringify(s)} → ${repaired}`).toBeUndefined();
    }
  });

  it("basenameOf: last path segment; . is the cwd", () => {
    expect(basenameOf("a/b/")).toBe("b");
    expect(basenameOf(".", "/home/me/orders")).toBe("orders");
    expect(basenameOf("C:\\work\\svc")).toBe("svc");
  });
});

describe("detectPackageManager", () => {
  it.each([
    [undefined, "npm"],
    ["", "npm"],
    ["npm/11.6.2 node/v20.20.2 linux x64 workspaces/false", "npm"],
    ["pnpm/9.1.0 npm/? node/v20.20.2 linux x64", "pnpm"],
    ["yarn/1.22.22 npm/? node/v20.20.2 linux x64", "yarn"],
    ["yarn/4.5.0 npm/? node/v20.20.2 linux x64", "yarn"],
    ["bun/1.1.0 npm/? node/v20.20.2 linux x64", "npm"],
    ["garbage", "npm"],
  ])("%j → %s", (ua, pm) => {
    expect(detectPackageManager(ua)).toBe(pm);
  });
});

describe("parseSecret", () => {
  it("splits at the first =", () => {
    expect(parseSecret(`TOKEN=${SSM_ARN}`)).toEqual({ name: "TOKEN", valueFrom: SSM_ARN });
  });
  it("accepts GovCloud and China partitions", () => {
    const gov = "arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:x";
    expect(parseSecret(`X=${gov}`).valueFrom).toBe(gov);
  });
  it("refuses a missing name", () => {
    expect(() => parseSecret(`=${SM_ARN}`)).toThrow(/NAME=ARN/);
  });
});

describe("crossFieldErrors", () => {
  const base = (over: Partial<AllOptions> = {}): AllOptions => ({ ...defaultOptions({ directory: "svc" }, {}), ...over });

  it("none for the defaults", () => {
    expect(crossFieldErrors(base())).toEqual([]);
  });

  it("cpu/memory: names both values and lists what the cpu allows", () => {
    const [msg] = crossFieldErrors(base({ cpu: 256, memory: 4096 }));
    expect(msg).toContain("4096");
    expect(msg).toContain("cpu 256");
    expect(msg).toContain("512, 1024, 2048");
    const [long] = crossFieldErrors(base({ cpu: 4096, memory: 4096 }));
    expect(long).toContain("8192–30720 in steps of 1024");
  });

  it("min tasks above max tasks", () => {
    expect(crossFieldErrors(base({ minTasks: 5, maxTasks: 2 }))).toEqual(["--min-tasks 5 is greater than --max-tasks 2"]);
  });

  it("--scale-on requests needs --discovery alb", () => {
    expect(crossFieldErrors(base({ scaleOn: "requests", discovery: "cloudmap" }))[0]).toMatch(/--scale-on requests needs --discovery alb.*cloudmap/);
    expect(crossFieldErrors(base({ scaleOn: "requests", discovery: "alb" }))).toEqual([]);
  });

  it("--secrets-kms-key needs a --secret", () => {
    expect(crossFieldErrors(base({ secretsKmsKey: KMS_ARN }))).toEqual(["--secrets-kms-key is only used with --secret"]);
  });

  it("a region from the environment is checked too", () => {
    const err = errorOf(() => defaultOptions({ directory: "svc" }, { AWS_REGION: "mars-north-1" }));
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toContain('"mars-north-1"');
  });

  it("reports every problem at once", () => {
    expect(crossFieldErrors(base({ cpu: 256, memory: 4096, minTasks: 5, maxTasks: 2 }))).toHaveLength(2);
  });
});
