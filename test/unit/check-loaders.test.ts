/** `check` input handling: JSON/YAML (CloudFormation short forms), describe-task-definition form, Dockerfiles, errors. */
import { describe, expect, it } from "vitest";
import { parseJson, parseYaml, CFN_SHORT_TAGS } from "../../src/check/load/parse.js";
import { parseDockerfile, exposedPorts, finalStage, lastInstruction } from "../../src/check/load/dockerfile.js";
import { loadTexts } from "../../src/check/load/files.js";
import { InputError, pathKey } from "../../src/check/types.js";
import { Template } from "../../src/check/model/template.js";
import { edit, editJson, readFixture, run } from "../check/helpers.js";

function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error("expected an InputError");
}

describe("YAML with CloudFormation short-form tags", () => {
  const yaml = [
    "Conditions:",
    "  IsProd: !Equals [!Ref Env, prod]",
    "  NotProd: !Not [!Condition IsProd]",
    "  Both: !And [!Condition IsProd, !Or [!Condition NotProd, !Condition IsProd]]",
    "Resources:",
    "  R:",
    "    Type: AWS::X::Y",
    "    Properties:",
    "      A: !Ref Thing",
    "      B: !GetAtt Role.Arn",
    "      C: !Sub 'arn:${AWS::Partition}:s3:::${Bucket}'",
    "      D: !Join ['', [a, !Ref B]]",
    "      E: !Select [0, !GetAZs '']",
    "      F: !If [IsProd, 1, 2]",
    "      G: !FindInMap [M, !Ref 'AWS::Region', Ami]",
    "      H: !Base64 hello",
    "      I: !Cidr [10.0.0.0/16, 4, 8]",
    "      J: !ImportValue shared-vpc",
    "      K: !Split [',', 'a,b']",
    "      L: !GetAtt [Role, Arn]",
    "      M: !Sub",
    "        - '${X}-y'",
    "        - X: !Ref Env",
  ].join("\n");

  it("turns every short form into its long form", () => {
    const doc = parseYaml("stack.yaml", yaml);
    const d = doc.data as any;
    expect(d.Conditions.IsProd).toEqual({ "Fn::Equals": [{ Ref: "Env" }, "prod"] });
    expect(d.Conditions.NotProd).toEqual({ "Fn::Not": [{ Condition: "IsProd" }] });
    expect(d.Conditions.Both["Fn::And"][1]).toEqual({ "Fn::Or": [{ Condition: "NotProd" }, { Condition: "IsProd" }] });
    const p = d.Resources.R.Properties;
    expect(p.A).toEqual({ Ref: "Thing" });
    expect(p.B).toEqual({ "Fn::GetAtt": ["Role", "Arn"] });
    expect(p.C).toEqual({ "Fn::Sub": "arn:${AWS::Partition}:s3:::${Bucket}" });
    expect(p.D).toEqual({ "Fn::Join": ["", ["a", { Ref: "B" }]] });
    expect(p.E).toEqual({ "Fn::Select": [0, { "Fn::GetAZs": "" }] });
    expect(p.F).toEqual({ "Fn::If": ["IsProd", 1, 2] });
    expect(p.G).toEqual({ "Fn::FindInMap": ["M", { Ref: "AWS::Region" }, "Ami"] });
    expect(p.H).toEqual({ "Fn::Base64": "hello" });
    expect(p.I).toEqual({ "Fn::Cidr": ["10.0.0.0/16", 4, 8] });
    expect(p.J).toEqual({ "Fn::ImportValue": "shared-vpc" });
    expect(p.K).toEqual({ "Fn::Split": [",", "a,b"] });
    expect(p.L).toEqual({ "Fn::GetAtt": ["Role", "Arn"] });
    expect(p.M).toEqual({ "Fn::Sub": ["${X}-y", { X: { Ref: "Env" } }] });
    expect(doc.lines?.get(pathKey(["Resources", "R", "Properties", "E"]))).toBe(13);
  });

  it("covers every CloudFormation short form (intrinsic functions and conditions)", () => {
    for (const t of ["!Ref", "!GetAtt", "!Sub", "!Join", "!Select", "!If", "!Equals", "!Not", "!And", "!Or", "!FindInMap", "!Base64", "!Cidr", "!GetAZs", "!ImportValue", "!Split", "!Condition"]) {
      expect(CFN_SHORT_TAGS).toContain(t);
    }
  });

  it("long form and short form give the same findings", () => {
    const good = readFixture("good");
    const long = edit(good, "infra/stack.yaml", "Resource: !GetAtt LogGroup.Arn", 'Resource: { "Fn::GetAtt": [LogGroup, Arn] }');
    expect(run(long)).toEqual([]);
    const broken = edit(long, "infra/stack.yaml", "TargetType: ip", "TargetType: instance");
    expect(run(broken).map((f) => f.rule)).toEqual(["target-type-ip"]);
  });

  it("a JSON template with long-form intrinsics is read like the YAML one", () => {
    const good = readFixture("good");
    const doc = parseYaml("infra/stack.yaml", good["infra/stack.yaml"]!);
    const texts: Record<string, string> = { ...good, "infra/stack.json": JSON.stringify(doc.data, null, 2) };
    delete texts["infra/stack.yaml"];
    expect(run(texts)).toEqual([]);
    const broken = { ...texts, "infra/stack.json": texts["infra/stack.json"]!.replace('"TargetType": "ip"', '"TargetType": "instance"') };
    const f = run(broken);
    expect(f.map((x) => x.rule)).toEqual(["target-type-ip"]);
    expect(f[0]!.file).toBe("infra/stack.json");
    expect(f[0]!.line).toBeGreaterThan(1);
  });

  it("malformed YAML: file, line and what went wrong", () => {
    const e = inputError(() => parseYaml("infra/stack.yaml", "Resources:\n  A:\n    Type: [x\n  B: 1\n"));
    expect(e.file).toBe("infra/stack.yaml");
    expect(e.line).toBeGreaterThanOrEqual(3);
    expect(e.detail).toMatch(/^not valid YAML: /);
  });

  it("an unknown tag is an error naming the tag and the line", () => {
    const e = inputError(() => parseYaml("infra/stack.yaml", "Resources:\n  A:\n    Type: !Reff X\n"));
    expect(e.line).toBe(3);
    expect(e.detail).toContain("!Reff");
  });

  it("duplicate keys in YAML are an error", () => {
    const e = inputError(() => parseYaml("infra/stack.yaml", "Resources:\n  A: 1\n  A: 2\n"));
    expect(e.line).toBe(3);
  });
});

describe("JSON", () => {
  it("records the line of each field", () => {
    const doc = parseJson("td.json", '{\n  "family": "x",\n  "containerDefinitions": [\n    { "name": "a" }\n  ]\n}\n');
    expect(doc.lines?.get(pathKey(["containerDefinitions", 0, "name"]))).toBe(4);
  });

  it("malformed JSON: file, line, column and what was expected", () => {
    const e = inputError(() => parseJson("ecs/task-definition.json", '{\n  "family": "x"\n  "cpu": "256"\n}\n'));
    expect(e.file).toBe("ecs/task-definition.json");
    expect(e.line).toBe(3);
    expect(e.detail).toContain("Expected ',' or '}'");
    expect(e.message).toMatch(/^ecs\/task-definition\.json:3:\d+: not valid JSON/);
  });

  it("an empty file is unexpected end of file", () => {
    const e = inputError(() => parseJson("ecs/x.json", ""));
    expect(e.detail).toBe("not valid JSON: unexpected end of file");
  });

  it("a named file that is neither a task definition, a policy nor a template is an error", () => {
    const e = inputError(() => loadTexts([{ file: "ecs/other.json", text: '{"hello": 1}' }], true));
    expect(e.detail).toContain("expected an ECS task definition");
    // …but when discovered it is skipped.
    expect(loadTexts([{ file: "ecs/other.json", text: '{"hello": 1}' }], false).files).toEqual([]);
  });
});

describe("describe-task-definition form", () => {
  const good = readFixture("good");
  const TD = "ecs/task-definition.json";
  const described = editJson(good, TD, (d) => {
    const td = { ...d, taskDefinitionArn: "arn:aws:ecs:eu-west-1:123456789012:task-definition/orders:7", revision: 7, status: "ACTIVE", compatibilities: ["EC2", "FARGATE"], registeredAt: "2026-01-01T00:00:00Z" };
    for (const k of Object.keys(d)) delete d[k];
    d.taskDefinition = td;
    d.tags = [];
  });

  it("is read like the register form", () => {
    expect(run(described)).toEqual([]);
  });

  it("findings point into taskDefinition.…", () => {
    const broken = editJson(described, TD, (d) => (d.taskDefinition.memory = "4096000"));
    const f = run(broken).filter((x) => x.rule === "task-size");
    expect(f).toHaveLength(1);
    expect(f[0]!.field).toBe("taskDefinition.memory");
    expect(f[0]!.line).toBeGreaterThan(1);
  });
});

describe("Dockerfile parser", () => {
  const text = [
    "# syntax=docker/dockerfile:1",
    "ARG NODE=24",
    "ARG PLATFORM=linux/arm64",
    "FROM --platform=$BUILDPLATFORM node:${NODE}-slim AS build",
    "RUN echo one \\",
    "  # a comment inside a continuation",
    "  && echo two",
    "RUN <<EOF",
    "echo heredoc FROM not-an-instruction",
    "EOF",
    "FROM --platform=${PLATFORM} node:${NODE}-slim",
    "ARG APP_PORT=8080",
    "ENV PORT=$APP_PORT",
    "EXPOSE ${APP_PORT}/tcp 9090/udp",
    "USER node",
    "HEALTHCHECK --interval=30s CMD [\"node\", \"hc.js\"]",
    "CMD node server.js",
  ].join("\n");

  it("reads stages, flags, ARG expansion, continuations and heredocs", () => {
    const df = parseDockerfile("Dockerfile", text);
    expect(df.stages).toHaveLength(2);
    expect(df.stages[0]!.name).toBe("build");
    expect(df.stages[0]!.resolvedImage).toBe("node:24-slim");
    expect(df.stages[0]!.platform).toBe("$BUILDPLATFORM");
    expect(df.stages[0]!.instructions.filter((i) => i.keyword === "RUN")).toHaveLength(2);
    const final = finalStage(df);
    expect(final.platform).toBe("${PLATFORM}");
    expect(final.line).toBe(11);
    expect(exposedPorts(df)).toEqual([{ port: 8080, line: 14 }]);
    expect(lastInstruction(df, "HEALTHCHECK")!.exec).toEqual(["node", "hc.js"]);
    expect(lastInstruction(df, "CMD")!.exec).toBeUndefined();
    expect(lastInstruction(df, "USER")!.args).toBe("node");
  });

  it("the escape directive changes the continuation character", () => {
    const df = parseDockerfile("Dockerfile", "# escape=`\nFROM node:24\nRUN echo a `\n  b\nEXPOSE 80\n");
    expect(finalStage(df).instructions.map((i) => i.keyword)).toEqual(["RUN", "EXPOSE"]);
  });

  it("an unknown instruction is an error with its line", () => {
    const e = inputError(() => parseDockerfile("Dockerfile", "FROM node:24\nEXPOSE 80\nEXPOSED 81\n"));
    expect(e.line).toBe(3);
    expect(e.detail).toContain("unknown instruction EXPOSED");
  });

  it("no FROM is an error", () => {
    expect(inputError(() => parseDockerfile("Dockerfile", "# empty\n")).detail).toContain("no FROM");
    expect(inputError(() => parseDockerfile("Dockerfile", "RUN echo\nFROM node\n")).detail).toContain("before FROM");
  });

  it("the platform in a final stage given by ARG default is compared with the task", () => {
    const good = readFixture("good");
    const texts = edit(good, "Dockerfile", "FROM --platform=linux/arm64 node", "ARG TARGET=linux/amd64\nFROM --platform=${TARGET} node");
    // ARG after the first FROM is stage-local; put the ARG before the first FROM instead.
    const moved = { ...texts, Dockerfile: `ARG TARGET=linux/amd64\n${texts.Dockerfile!.replace("ARG TARGET=linux/amd64\n", "")}` };
    expect(run(moved).map((f) => f.rule)).toEqual(["image-platform"]);
  });
});

describe("build scripts", () => {
  const good = readFixture("good");
  const workflow = [
    "env:",
    "  IMAGE_PLATFORM: linux/amd64",
    "jobs:",
    "  deploy:",
    "    steps:",
    "      - run: docker buildx build --platform \"$IMAGE_PLATFORM\" --push .",
    "      - uses: docker/build-push-action@v6",
    "        with:",
    "          platforms: ${{ env.IMAGE_PLATFORM }}",
  ].join("\n");

  it("resolves a platform held in a workflow variable", () => {
    const texts = { ...good, ".github/workflows/deploy.yml": workflow };
    const f = run(texts).filter((x) => x.rule === "image-platform");
    expect(f.map((x) => `${x.file}:${x.line}`)).toEqual([".github/workflows/deploy.yml:6", ".github/workflows/deploy.yml:9"]);
  });

  it("accepts a multi-arch build that includes the task's architecture", () => {
    const texts = { ...good, ".github/workflows/deploy.yml": workflow.replace("linux/amd64", "linux/amd64,linux/arm64") };
    expect(run(texts)).toEqual([]);
  });
});

describe("CloudFormation values", () => {
  const t = new Template({
    Parameters: { Port: { Type: "Number", Default: 8080 }, Name: { Type: "String" }, Env: { Type: "String", Default: "prod" } },
    Conditions: { IsProd: { "Fn::Equals": [{ Ref: "Env" }, "prod"] }, NotProd: { "Fn::Not": [{ Condition: "IsProd" }] } },
    Mappings: { Sizes: { small: { Cpu: "256" } } },
    Resources: {
      LogGroup: { Type: "AWS::Logs::LogGroup", Properties: { LogGroupName: { "Fn::Sub": "/ecs/${Env}" } } },
      Role: { Type: "AWS::IAM::Role", Properties: { RoleName: "r", Path: "/svc/" } },
      Anonymous: { Type: "AWS::Logs::LogGroup", Properties: {} },
    },
  });

  it("parameters take their Default; unknown values stay tokens", () => {
    expect(t.scalar({ Ref: "Port" })).toBe(8080);
    expect(t.scalar({ Ref: "Name" })).toBe("${Name}");
    expect(t.scalar({ "Fn::Sub": "${Name}-${Env}" })).toBe("${Name}-prod");
    expect(t.scalar({ "Fn::Sub": ["${A}:${AWS::Region}", { A: { Ref: "Port" } }] })).toBe("8080:${AWS::Region}");
    expect(t.scalar({ "Fn::FindInMap": ["Sizes", "small", "Cpu"] })).toBe("256");
    expect(t.scalar({ "Fn::Join": ["-", ["a", { Ref: "Env" }]] })).toBe("a-prod");
  });

  it("conditions and Fn::If", () => {
    expect(t.condition("IsProd")).toBe(true);
    expect(t.condition("NotProd")).toBe(false);
    expect(t.scalar({ "Fn::If": ["NotProd", 1, 2] })).toBe(2);
    expect(t.structural({ "Fn::If": ["IsProd", { Ref: "AWS::NoValue" }, 1] })).toBeUndefined();
  });

  it("Ref and GetAtt of log groups and roles", () => {
    expect(t.scalar({ Ref: "LogGroup" })).toBe("/ecs/prod");
    expect(t.scalar({ "Fn::GetAtt": ["LogGroup", "Arn"] })).toBe("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/ecs/prod:*");
    expect(t.scalar({ "Fn::GetAtt": ["Role", "Arn"] })).toBe("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/svc/r");
    expect(t.scalar({ Ref: "Anonymous" })).toBe("${Anonymous}");
    expect(t.refTarget({ "Fn::Sub": "${Role.Arn}" })).toBe("Role");
  });
});
