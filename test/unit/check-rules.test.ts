/**
 * One failing fixture per rule: each case is the passing fixture (test/check/fixtures/good) with one realistic edit,
 * and must produce exactly the expected rule ids (the rule under test, plus any that the same mistake rightly
 * triggers). The passing fixture itself has zero findings.
 */
import { describe, expect, it } from "vitest";
import { RULES } from "../../src/check/engine.js";
import { edit, editJson, readFixture, ruleIds, run, type Texts } from "../check/helpers.js";

const TD = "ecs/task-definition.json";
const EXEC = "ecs/execution-role-policy.json";
const STACK = "infra/stack.yaml";
const good = readFixture("good");

interface Case {
  rule: string;
  name: string;
  texts: () => Texts;
  /** Other rules the same edit rightly triggers. */
  also?: string[];
  /** Substring every finding of `rule` must contain. */
  message?: string;
  /** File:field the first finding of `rule` points at. */
  at?: string;
}

const app = (d: any) => d.containerDefinitions[0];

const CASES: Case[] = [
  { rule: "task-size", name: "cpu 512 with memory 512", texts: () => edit(good, TD, `"memory": "1024"`, `"memory": "512"`), message: "memory 512 is not valid with cpu 512", at: `${TD}:memory` },
  { rule: "task-size", name: "cpu 333", texts: () => edit(good, TD, `"cpu": "512"`, `"cpu": "333"`), message: "not a Fargate size" },
  { rule: "task-size", name: "no memory in the stack", texts: () => edit(good, STACK, "      Memory: !FindInMap [Sizes, small, Memory]\n", ""), message: "memory is not set", at: `${STACK}:Resources.TaskDefinition.Properties.Memory` },
  { rule: "network-mode", name: "bridge", texts: () => edit(good, TD, `"networkMode": "awsvpc"`, `"networkMode": "bridge"`), message: "Fargate supports only awsvpc" },
  { rule: "network-mode", name: "missing (API default bridge)", texts: () => editJson(good, TD, (d) => delete d.networkMode), message: "not set" },
  { rule: "fargate-compatibility", name: "EC2 only", texts: () => edit(good, TD, `"requiresCompatibilities": ["FARGATE"]`, `"requiresCompatibilities": ["EC2"]`) },
  { rule: "essential-container", name: "the only container is not essential", texts: () => edit(good, TD, `"essential": true`, `"essential": false`) },
  { rule: "essential-container", name: "no containers", texts: () => editJson(good, TD, (d) => (d.containerDefinitions = [])), also: ["secret-grant-unused"] },
  { rule: "fargate-unsupported", name: "privileged", texts: () => editJson(good, TD, (d) => (app(d).privileged = true)), message: "privileged" },
  { rule: "fargate-unsupported", name: "host volume", texts: () => editJson(good, TD, (d) => (d.volumes[0].host = { sourcePath: "/var/tmp" })), message: "host path" },
  { rule: "fargate-unsupported", name: "tmpfs", texts: () => editJson(good, TD, (d) => (app(d).linuxParameters.tmpfs = [{ containerPath: "/tmp", size: 64 }])), message: "tmpfs" },
  { rule: "fargate-unsupported", name: "hostPort ≠ containerPort", texts: () => editJson(good, TD, (d) => (app(d).portMappings[0].hostPort = 80)), message: "hostPort 80" },
  { rule: "fargate-unsupported", name: "pidMode host, links, dnsServers", texts: () => editJson(good, TD, (d) => ((d.pidMode = "host"), (app(d).links = ["db"]), (app(d).dnsServers = ["10.0.0.2"]))) },
  { rule: "fargate-unsupported", name: "json-file log driver", texts: () => edit(good, TD, `"logDriver": "awslogs"`, `"logDriver": "json-file"`), message: "json-file" },
  { rule: "stop-timeout", name: "stopTimeout 180", texts: () => edit(good, TD, `"stopTimeout": 45`, `"stopTimeout": 180`), message: "outside Fargate's 2–120" },
  { rule: "health-check-missing", name: "no container healthCheck (Dockerfile HEALTHCHECK is ignored)", texts: () => editJson(good, TD, (d) => delete app(d).healthCheck), message: "ignored by ECS" },
  { rule: "health-check-range", name: "interval 1", texts: () => edit(good, TD, `"interval": 15`, `"interval": 1`), message: "interval 1 is outside 5–300" },
  { rule: "health-check-range", name: "command without CMD", texts: () => edit(good, STACK, "Command: [CMD, node, -e,", "Command: [node, -e,"), message: "not \"CMD\" or \"CMD-SHELL\"" },
  { rule: "readonly-root-filesystem", name: "writable root", texts: () => edit(good, TD, `"readonlyRootFilesystem": true`, `"readonlyRootFilesystem": false`) },
  { rule: "readonly-root-filesystem", name: "readOnlyRootFilesystem (wrong case) is not the field", texts: () => edit(good, TD, `"readonlyRootFilesystem": true`, `"readOnlyRootFilesystem": true`), message: "is not a field" },
  { rule: "writable-tmp", name: "read-only root without /tmp", texts: () => editJson(good, TD, (d) => (app(d).mountPoints = app(d).mountPoints.filter((m: any) => m.containerPath !== "/tmp"))) },
  { rule: "volume-reference", name: "mountPoint names no volume", texts: () => edit(good, TD, `{ "sourceVolume": "tmp",`, `{ "sourceVolume": "temp",`), also: ["writable-tmp"], message: `"temp"` },
  { rule: "log-configuration-missing", name: "no logConfiguration", texts: () => editJson(good, TD, (d) => delete app(d).logConfiguration) },
  { rule: "awslogs-options", name: "no stream prefix", texts: () => edit(good, TD, `"awslogs-stream-prefix": "ecs",`, ""), message: "awslogs-stream-prefix" },
  { rule: "awslogs-options", name: "unknown option, bad group name", texts: () => edit(edit(good, STACK, "max-buffer-size: 25m", "max-buffer: 25m"), TD, `"/ecs/orders",`, `"/ecs/orders service",`), also: ["execution-role-logs"] },
  { rule: "awslogs-create-group", name: "driver creates the group", texts: () => editJson(good, TD, (d) => (app(d).logConfiguration.options["awslogs-create-group"] = "true")), also: ["execution-role-logs"] },
  { rule: "iam-policy-syntax", name: "bad Sid, Effect Permit, Actions key", texts: () => edit(edit(edit(good, EXEC, `"Sid": "EcrPull"`, `"Sid": "Ecr-Pull!"`), EXEC, `"Sid": "Logs",\n      "Effect": "Allow"`, `"Sid": "Logs",\n      "Effect": "Permit"`), "ecs/task-role-policy.json", `"Action": [`, `"Actions": [`), also: ["execution-role-logs"] },
  { rule: "iam-action-unknown", name: "logs:PutLogStream", texts: () => edit(good, EXEC, `"logs:PutLogEvents"`, `"logs:PutLogStream"`), also: ["execution-role-logs"], message: "grants nothing" },
  { rule: "iam-action-unknown", name: "unknown service prefix", texts: () => edit(good, EXEC, `"ecr:GetAuthorizationToken"`, `"ecrr:GetAuthorizationToken"`), also: ["execution-role-ecr"], message: "not an AWS service prefix" },
  { rule: "iam-wildcard-action", name: "ssmmessages:*", texts: () => editJson(good, "ecs/task-role-policy.json", (d) => (d.Statement[0].Action = "ssmmessages:*")) },
  { rule: "iam-wildcard-action", name: "* in the stack", texts: () => edit(good, STACK, "Action: ecr:GetAuthorizationToken", `Action: "*"`) },
  { rule: "iam-wildcard-resource", name: "logs on *", texts: () => edit(good, EXEC, `"arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/orders:*"`, `"*"`), message: "logs:CreateLogStream" },
  { rule: "trust-policy", name: "principal typo", texts: () => edit(good, "ecs/execution-role-trust-policy.json", "ecs-tasks.amazonaws.com", "ecs-task.amazonaws.com"), message: "ECS cannot assume the role" },
  { rule: "trust-policy", name: "sts:AssumeRoleWithWebIdentity in the stack", texts: () => edit(good, STACK, "Action: [sts:AssumeRole]", "Action: [sts:AssumeRoleWithWebIdentity]") },
  { rule: "execution-role-required", name: "no executionRoleArn", texts: () => editJson(good, TD, (d) => delete d.executionRoleArn), message: "awslogs" },
  { rule: "execution-role-logs", name: "log-group ARN without :*", texts: () => edit(good, EXEC, "log-group:/ecs/orders:*", "log-group:/ecs/orders"), message: "logs:CreateLogStream and logs:PutLogEvents" },
  { rule: "execution-role-logs", name: "stack grants another group", texts: () => edit(good, STACK, "Resource: !GetAtt LogGroup.Arn", "Resource: !Sub arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/ecs/payments:*") },
  { rule: "execution-role-ecr", name: "another repository", texts: () => edit(good, EXEC, "repository/orders", "repository/order"), message: "BatchGetImage" },
  { rule: "secret-not-granted", name: "no secretsmanager statement", texts: () => editJson(good, EXEC, (d) => (d.Statement = d.Statement.filter((s: any) => s.Sid !== "Secrets"))), message: "secretsmanager:GetSecretValue" },
  { rule: "secret-not-granted", name: "granted to the task role instead", texts: () => editJson(editJson(good, EXEC, (d) => (d.Statement = d.Statement.filter((s: any) => s.Sid !== "Parameters"))), "ecs/task-role-policy.json", (d) => d.Statement.push({ Effect: "Allow", Action: "ssm:GetParameters", Resource: "arn:aws:ssm:eu-west-1:123456789012:parameter/orders/api-key" })), message: "granted to the task role" },
  { rule: "secret-grant-unused", name: "a grant nobody references", texts: () => editJson(good, EXEC, (d) => d.Statement.find((s: any) => s.Sid === "Parameters").Resource.push("arn:aws:ssm:eu-west-1:123456789012:parameter/orders/old-key")) },
  { rule: "exec-permissions", name: "ECS Exec without OpenDataChannel", texts: () => edit(good, STACK, "                  - ssmmessages:OpenDataChannel\n", ""), message: "ssmmessages:OpenDataChannel" },
  { rule: "exec-writable-paths", name: "ECS Exec without /var/log/amazon/ssm", texts: () => edit(good, STACK, "            - { SourceVolume: ssm-var-log, ContainerPath: /var/log/amazon/ssm, ReadOnly: false }\n", "") },
  { rule: "port-mismatch", name: "EXPOSE 8080", texts: () => edit(good, "Dockerfile", "EXPOSE 3000", "EXPOSE 8080"), message: "Dockerfile EXPOSE is 8080", at: "Dockerfile:EXPOSE" },
  { rule: "port-mismatch", name: "target group on 80", texts: () => edit(good, STACK, "      Port: !Ref ContainerPort\n", "      Port: 80\n"), message: "target group TargetGroup Port is 80" },
  { rule: "port-mismatch", name: "PORT env disagrees", texts: () => edit(good, TD, `{ "name": "PORT", "value": "3000" }`, `{ "name": "PORT", "value": "8080" }`) },
  { rule: "port-mismatch", name: "container port parameter changed in the stack", texts: () => edit(good, STACK, "    Default: 3000", "    Default: 8080"), message: "8080" },
  { rule: "load-balancer-container", name: "ContainerName typo", texts: () => edit(good, STACK, "- ContainerName: orders", "- ContainerName: order") },
  { rule: "target-type-ip", name: "instance", texts: () => edit(good, STACK, "TargetType: ip", "TargetType: instance") },
  { rule: "target-type-ip", name: "default (instance)", texts: () => edit(good, STACK, "      TargetType: ip\n", ""), message: "default is instance" },
  { rule: "service-depends-on-listener", name: "no DependsOn", texts: () => edit(good, STACK, "    DependsOn: Listener\n", "") },
  { rule: "security-group-open", name: "service open to the internet", texts: () => edit(good, STACK, "      SourceSecurityGroupId: !GetAtt LoadBalancerSecurityGroup.GroupId\n", "      CidrIp: 0.0.0.0/0\n"), message: "not a load balancer's group" },
  { rule: "security-group-open", name: "ALB open on 8080 too", texts: () => edit(good, STACK, "          FromPort: 80\n          ToPort: 80\n", "          FromPort: 80\n          ToPort: 8080\n") },
  { rule: "drain-budget", name: "drain longer than stopTimeout", texts: () => edit(good, TD, `"value": "40000"`, `"value": "50000"`) },
  { rule: "deregistration-delay", name: "300 s", texts: () => edit(good, STACK, `Value: "10"`, `Value: "300"`) },
  { rule: "deregistration-delay", name: "default 300 s", texts: () => edit(good, STACK, `      TargetGroupAttributes:\n        - Key: deregistration_delay.timeout_seconds\n          Value: "10"\n`, ""), message: "(the default)" },
  { rule: "grace-period", name: "grace 10 < startPeriod 20", texts: () => edit(good, STACK, "HealthCheckGracePeriodSeconds: 60", "HealthCheckGracePeriodSeconds: 10") },
  { rule: "image-platform", name: "build script builds amd64 for an ARM64 task", texts: () => edit(good, "package.json", "--platform linux/arm64", "--platform linux/amd64"), at: "package.json:--platform" },
  { rule: "image-platform", name: "Dockerfile pins amd64", texts: () => edit(good, "Dockerfile", "FROM --platform=linux/arm64", "FROM --platform=linux/amd64") },
  { rule: "image-platform-unpinned", name: "nothing pins the platform", texts: () => edit(edit(good, "Dockerfile", "FROM --platform=linux/arm64 ", "FROM "), "package.json", "--platform linux/arm64 ", "") },
  { rule: "health-check-tool", name: "curl in a slim image", texts: () => editJson(good, TD, (d) => (app(d).healthCheck.command = ["CMD-SHELL", "curl -f http://localhost:3000/healthz || exit 1"])), message: "curl" },
  { rule: "dockerfile-exec-form", name: "npm start in shell form", texts: () => edit(good, "Dockerfile", `CMD ["node", "dist/server.js"]`, "CMD npm start"), message: "shell form" },
  { rule: "dockerfile-exec-form", name: "npm start in exec form", texts: () => edit(good, "Dockerfile", `CMD ["node", "dist/server.js"]`, `CMD ["npm", "start"]`) },
  { rule: "dockerfile-user", name: "runs as root", texts: () => edit(good, "Dockerfile", "USER node\n", "") },
  { rule: "task-definition-drift", name: "stopTimeout differs", texts: () => edit(good, STACK, "StopTimeout: 45", "StopTimeout: 60"), message: "stopTimeout is \"45\" here but \"60\" in infra/stack.yaml (TaskDefinition)", at: `${TD}:containerDefinitions[0].stopTimeout` },
  { rule: "task-definition-drift", name: "secret and environment differ", texts: () => edit(edit(good, STACK, "              Value: \"40000\"", "              Value: \"30000\""), STACK, "ValueFrom: arn:aws:ssm:eu-west-1:123456789012:parameter/orders/api-key", "ValueFrom: arn:aws:ssm:eu-west-1:123456789012:parameter/orders/api-key-v2"), also: ["secret-grant-unused", "secret-not-granted"] },
];

describe("check rules", () => {
  it("the passing fixture has zero findings", () => {
    expect(run(good)).toEqual([]);
  });

  it.each(CASES.map((c) => [`${c.rule}: ${c.name}`, c] as const))("%s", (_name, c) => {
    // Editing only one of the two task definitions also (rightly) makes them drift apart; that rule has its own cases.
    const findings = run(c.texts()).filter((f) => c.rule === "task-definition-drift" || f.rule !== "task-definition-drift");
    expect(ruleIds(findings)).toEqual([...new Set([c.rule, ...(c.also ?? [])])].sort());
    const mine = findings.filter((f) => f.rule === c.rule);
    for (const f of mine) {
      expect(f.message.length).toBeGreaterThan(10);
      expect(f.fix.length).toBeGreaterThan(5);
      expect(f.message).not.toContain("\n");
      expect(f.severity).toBe(RULES.find((r) => r.id === c.rule)!.severity);
      if (c.message) expect(f.message).toContain(c.message);
    }
    if (c.at) expect(`${mine[0]!.file}:${mine[0]!.field}`).toBe(c.at);
  });

  it("every rule has at least one failing case", () => {
    const covered = new Set(CASES.map((c) => c.rule));
    expect(RULES.map((r) => r.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  it("rule ids are unique and kebab-case, and every rule has a title, why and fix", () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of RULES) {
      expect(r.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(r.title.length).toBeGreaterThan(10);
      expect(r.why.length).toBeGreaterThan(20);
      expect(r.howToFix.length).toBeGreaterThan(10);
    }
  });
});
