/**
 * Direct assertions on what the deployment builders promise (pure: no processes). What neither cfn-lint nor
 * botocore nor moto checks is asserted here: the exact trust principal, least-privilege resources, one port
 * everywhere, the timing chain, the app contract, and that the stack's task definition and ecs/task-definition.json
 * are the same object.
 */
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import type { ServiceContext } from "../../src/context.js";
import { buildDeployDocuments, buildEcsDocuments, DEPLOY_PATHS } from "../../src/artifacts/deploy.js";
import { ECS_TASKS_PRINCIPAL, WILDCARD_RESOURCE_ACTIONS, secretsManagerResource } from "../../src/artifacts/iam.js";
import { ACCOUNT_ID_PLACEHOLDER, JSON_IMAGE_TAG } from "../../src/artifacts/scope.js";
import { buildStack, PARAM, RES, requiredParameters } from "../../src/artifacts/stack.js";
import { COLLECTOR_CONFIG, COLLECTOR_IMAGE, HEALTHCHECK_COMMAND, OTLP_ENDPOINT } from "../../src/artifacts/task-definition.js";
import type { PolicyDocument, RegisterTaskDefinitionInput } from "../../src/artifacts/aws-types.js";
import { allVariants, contextFor, featureVariants, matrixVariants, TEST_ACCOUNT, type Variant } from "../aws/variants.js";
import { pascalize } from "../aws/wrap.js";

const VARIANTS = allVariants();
const contexts: Array<[string, ServiceContext]> = VARIANTS.map((v, i) => [v.id, contextFor(v, i)]);
const byId = (id: string): ServiceContext => contexts.find(([vid]) => vid === id)![1];
const variant = (given: Variant["given"]): ServiceContext => contextFor({ id: "x", given }, 99);

function files(ctx: ServiceContext): Record<string, string> {
  return Object.fromEntries(buildDeployDocuments(ctx).map((f) => [f.path, f.content]));
}
function taskDef(ctx: ServiceContext): RegisterTaskDefinitionInput {
  return JSON.parse(files(ctx)[DEPLOY_PATHS.taskDefinition]!);
}
function doc(ctx: ServiceContext, path: string): PolicyDocument {
  return JSON.parse(files(ctx)[path]!);
}
function stackFromYaml(ctx: ServiceContext): any {
  return YAML.parse(files(ctx)[DEPLOY_PATHS.stack]!);
}
const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * Resolve the stack's intrinsics as CloudFormation would for one account/region, so the stack's task definition
 * can be compared with ecs/task-definition.json (filled with the same account).
 */
function resolveIntrinsics(value: unknown, ctx: ServiceContext): unknown {
  const vars: Record<string, string> = {
    "AWS::Partition": ctx.partition,
    "AWS::Region": ctx.region,
    "AWS::AccountId": TEST_ACCOUNT,
    "AWS::URLSuffix": ctx.partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com",
    [RES.logGroup]: ctx.logGroup,
    [PARAM.logGroupName]: ctx.logGroup,
    [PARAM.imageTag]: JSON_IMAGE_TAG,
    [`${RES.executionRole}.Arn`]: `arn:${ctx.partition}:iam::${TEST_ACCOUNT}:role/${ctx.names.executionRole}`,
    [`${RES.taskRole}.Arn`]: `arn:${ctx.partition}:iam::${TEST_ACCOUNT}:role/${ctx.names.taskRole}`,
  };
  const lookup = (name: string): string => {
    if (!(name in vars)) throw new Error(`unresolved ${name}`);
    return vars[name]!;
  };
  if (Array.isArray(value)) return value.map((v) => resolveIntrinsics(v, ctx));
  if (value && typeof value === "object") {
    const o = value as Record<string, any>;
    if ("Ref" in o) return lookup(o.Ref);
    if ("Fn::GetAtt" in o) return lookup(o["Fn::GetAtt"].join("."));
    if ("Fn::Sub" in o) return (o["Fn::Sub"] as string).replace(/\$\{([^}]+)\}/g, (_, n: string) => lookup(n));
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, resolveIntrinsics(v, ctx)]));
  }
  return value;
}

function fillAccount(text: string): string {
  return text.split(ACCOUNT_ID_PLACEHOLDER).join(TEST_ACCOUNT);
}

// ---------------------------------------------------------------------------------------------------------------

describe("one model: the stack's task definition is ecs/task-definition.json", () => {
  it.each(contexts)("%s: CloudFormation properties resolve to the PascalCased JSON file", (_id, ctx) => {
    const json = JSON.parse(fillAccount(files(ctx)[DEPLOY_PATHS.taskDefinition]!));
    const cfn = stackFromYaml(ctx).Resources[RES.taskDefinition].Properties;
    expect(resolveIntrinsics(cfn, ctx)).toEqual(pascalize(json));
  });

  it("writes literal Cpu and Memory into the stack (cfn-lint E3047 checks only literals)", () => {
    for (const [, ctx] of contexts) {
      const props = buildStack(ctx).Resources[RES.taskDefinition]!.Properties!;
      expect(props.Cpu).toBe(String(ctx.cpu));
      expect(props.Memory).toBe(String(ctx.memory));
    }
  });

  it("serializes the stack as plain YAML that parses back to the built template (no anchors, no custom tags)", () => {
    for (const [, ctx] of contexts) {
      const text = files(ctx)[DEPLOY_PATHS.stack]!;
      expect(text).not.toMatch(/[&*]a\d+\b/);
      expect(text).not.toMatch(/ !(Ref|Sub|GetAtt|If|Join)\b/);
      expect(YAML.parse(text)).toEqual(JSON.parse(JSON.stringify(buildStack(ctx))));
    }
  });
});

describe("task definition (Fargate rules and the app contract)", () => {
  it.each(contexts)("%s: FARGATE, awsvpc, task size, platform", (_id, ctx) => {
    const td = taskDef(ctx);
    expect(td.requiresCompatibilities).toEqual(["FARGATE"]);
    expect(td.networkMode).toBe("awsvpc");
    expect([td.cpu, td.memory]).toEqual([String(ctx.cpu), String(ctx.memory)]);
    expect(td.runtimePlatform).toEqual({ operatingSystemFamily: "LINUX", cpuArchitecture: ctx.arch === "arm64" ? "ARM64" : "X86_64" });
    expect(td.family).toBe(ctx.names.family);
    expect(td.executionRoleArn).toMatch(new RegExp(`^arn:${ctx.partition}:iam::(\\d{12}|<AWS_ACCOUNT_ID>):role/${ctx.names.executionRole}$`));
    expect(td.taskRoleArn).toMatch(new RegExp(`^arn:${ctx.partition}:iam::(\\d{12}|<AWS_ACCOUNT_ID>):role/${ctx.names.taskRole}$`));
  });

  it.each(contexts)("%s: one essential app container honouring the contract", (_id, ctx) => {
    const td = taskDef(ctx);
    const app = td.containerDefinitions[0]!;
    expect(app.name).toBe(ctx.names.container);
    expect(app.essential).toBe(true);
    expect(td.containerDefinitions.filter((c) => c.essential)).toEqual([app]);
    expect(app.image).toMatch(new RegExp(`\\.dkr\\.ecr\\.${ctx.region}\\.amazonaws\\.com(\\.cn)?/${ctx.names.repository}:${JSON_IMAGE_TAG}$`));
    expect(app.portMappings).toEqual([{ containerPort: ctx.port, protocol: "tcp", name: "http", appProtocol: "http" }]);
    expect(app.portMappings!.every((p) => p.hostPort === undefined)).toBe(true);
    const env = Object.fromEntries(app.environment!.map((e) => [e.name, e.value]));
    expect(env).toEqual({
      PORT: String(ctx.port),
      LOG_LEVEL: "info",
      SERVICE_NAME: ctx.name,
      SHUTDOWN_DELAY_MS: String(ctx.timings.shutdownDelayMs),
      DRAIN_TIMEOUT_MS: String(ctx.timings.drainBudgetMs),
      METRICS_INTERVAL_SECONDS: String(ctx.metricsInterval),
      ...(ctx.tracing ? { OTEL_SERVICE_NAME: ctx.name, OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318" } : {}),
    });
    expect(app.healthCheck).toEqual({
      command: ["CMD", "node", "dist/healthcheck.js"],
      interval: ctx.timings.healthCheck.intervalSeconds,
      timeout: ctx.timings.healthCheck.timeoutSeconds,
      retries: ctx.timings.healthCheck.retries,
      startPeriod: ctx.timings.healthCheck.startPeriodSeconds,
    });
    expect(HEALTHCHECK_COMMAND).toEqual(["CMD", "node", "dist/healthcheck.js"]);
    expect(app.stopTimeout).toBe(ctx.timings.stopTimeoutSeconds);
    expect(app.readonlyRootFilesystem).toBe(true);
    expect(app.linuxParameters).toEqual({ initProcessEnabled: true });
  });

  it.each(contexts)("%s: health-check ranges and the timing chain hold", (_id, ctx) => {
    const t = ctx.timings;
    const hc = taskDef(ctx).containerDefinitions[0]!.healthCheck!;
    expect(hc.interval).toBeGreaterThanOrEqual(5);
    expect(hc.interval).toBeLessThanOrEqual(300);
    expect(hc.timeout).toBeGreaterThanOrEqual(2);
    expect(hc.timeout).toBeLessThan(hc.interval!);
    expect(hc.retries).toBeGreaterThanOrEqual(1);
    expect(hc.retries).toBeLessThanOrEqual(10);
    expect(hc.startPeriod).toBeLessThanOrEqual(300);
    expect(t.drainBudgetMs).toBeLessThan(t.stopTimeoutSeconds * 1000);
    expect(t.stopTimeoutSeconds).toBeLessThanOrEqual(120);
    if (ctx.isAlb) {
      const tg = buildStack(ctx).Resources[RES.targetGroup]!.Properties!;
      const delay = Number((tg.TargetGroupAttributes as Array<{ Key: string; Value: string }>).find((a) => a.Key === "deregistration_delay.timeout_seconds")!.Value);
      expect(delay * 1000).toBeLessThan(t.drainBudgetMs);
      const svc = buildStack(ctx).Resources[RES.service]!.Properties!;
      expect(svc.HealthCheckGracePeriodSeconds).toBeGreaterThanOrEqual(hc.startPeriod!);
      expect(tg.HealthCheckTimeoutSeconds as number).toBeLessThan(tg.HealthCheckIntervalSeconds as number);
    }
  });

  it("mounts a writable /tmp volume, plus the SSM agent paths with --exec", () => {
    const plain = taskDef(variant({ discovery: "alb" }));
    expect(plain.volumes).toEqual([{ name: "tmp" }]);
    expect(plain.containerDefinitions[0]!.mountPoints).toEqual([{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }]);
    const exec = taskDef(variant({ discovery: "alb", exec: true }));
    expect(exec.containerDefinitions[0]!.mountPoints!.map((m) => m.containerPath)).toEqual([
      "/tmp",
      "/managed-agents",
      "/var/lib/amazon/ssm",
      "/var/log/amazon/ssm",
    ]);
    const volumeNames = exec.volumes!.map((v) => v.name);
    for (const m of exec.containerDefinitions.flatMap((c) => c.mountPoints ?? [])) expect(volumeNames).toContain(m.sourceVolume);
  });

  it("logs with awslogs: group, region, stream prefix and an explicit mode; a buffer only when non-blocking", () => {
    const nb = taskDef(variant({ discovery: "alb" })).containerDefinitions[0]!.logConfiguration!;
    expect(nb).toEqual({
      logDriver: "awslogs",
      options: { "awslogs-group": "/ecs/svc99", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "ecs", mode: "non-blocking", "max-buffer-size": "25m" },
    });
    const b = taskDef(variant({ discovery: "alb", logMode: "blocking" })).containerDefinitions[0]!.logConfiguration!;
    expect(b.options).toEqual({ "awslogs-group": "/ecs/svc99", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "ecs", mode: "blocking" });
  });

  it("injects --secret values from exactly the given ARNs", () => {
    const ctx = byId("alb-secrets-kms");
    expect(taskDef(ctx).containerDefinitions[0]!.secrets).toEqual(ctx.secrets);
    expect(taskDef(byId("alb-x86_64-plain-cpu")).containerDefinitions[0]!.secrets).toBeUndefined();
  });

  it("with --tracing: a pinned, non-essential ADOT collector on its own stream prefix; the app starts after it", () => {
    const td = taskDef(variant({ discovery: "alb", tracing: true }));
    const [app, collector] = td.containerDefinitions;
    expect(collector!.name).toBe("aws-otel-collector");
    expect(collector!.image).toBe(COLLECTOR_IMAGE);
    expect(COLLECTOR_IMAGE).toMatch(/^public\.ecr\.aws\/aws-observability\/aws-otel-collector:v\d+\.\d+\.\d+$/);
    expect(collector!.essential).toBe(false);
    expect(collector!.logConfiguration!.options!["awslogs-stream-prefix"]).toBe("otel");
    expect(collector!.logConfiguration!.options!["awslogs-group"]).toBe(app!.logConfiguration!.options!["awslogs-group"]);
    expect(app!.dependsOn).toEqual([{ containerName: "aws-otel-collector", condition: "START" }]);
    expect(collector!.readonlyRootFilesystem).toBe(true);
    // The collector listens where the app sends: OTLP/HTTP on the task's loopback.
    const config = YAML.parse(collector!.environment!.find((e) => e.name === "AOT_CONFIG_CONTENT")!.value);
    expect(config).toEqual(YAML.parse(COLLECTOR_CONFIG));
    // The app exports exactly where the collector listens (127.0.0.1:4318).
    expect(`http://${config.receivers.otlp.protocols.http.endpoint}`).toBe(OTLP_ENDPOINT);
    expect(config.service.pipelines).toEqual({ traces: { receivers: ["otlp"], processors: ["batch/traces"], exporters: ["awsxray"] } });
  });
});

describe("IAM: least privilege by construction", () => {
  it.each(contexts)("%s: both roles trust exactly ecs-tasks.amazonaws.com with sts:AssumeRole, nothing else", (_id, ctx) => {
    for (const path of [DEPLOY_PATHS.executionTrust, DEPLOY_PATHS.taskTrust]) {
      const trust = doc(ctx, path);
      expect(trust.Statement).toHaveLength(1);
      expect(trust.Statement[0]).toMatchObject({ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" });
    }
    expect(ECS_TASKS_PRINCIPAL).toBe("ecs-tasks.amazonaws.com");
    const stack = buildStack(ctx);
    for (const role of [RES.executionRole, RES.taskRole]) {
      const stmts = (stack.Resources[role]!.Properties!.AssumeRolePolicyDocument as PolicyDocument).Statement;
      expect(stmts.map((s) => s.Principal)).toEqual([{ Service: "ecs-tasks.amazonaws.com" }]);
    }
  });

  it("guards the task role against the confused deputy (account and ECS ARNs of that account)", () => {
    const ctx = byId("alb-account-port");
    expect(doc(ctx, DEPLOY_PATHS.taskTrust).Statement[0]!.Condition).toEqual({
      ArnLike: { "aws:SourceArn": `arn:aws:ecs:us-east-1:${TEST_ACCOUNT}:*` },
      StringEquals: { "aws:SourceAccount": TEST_ACCOUNT },
    });
  });

  it.each(contexts)("%s: no '*' action; '*' resource only for actions without resource types", (_id, ctx) => {
    const stack = buildStack(ctx);
    const docs: PolicyDocument[] = [
      doc(ctx, DEPLOY_PATHS.executionPolicy),
      doc(ctx, DEPLOY_PATHS.taskPolicy),
      ...[RES.executionRole, RES.taskRole].flatMap(
        (r) => ((stack.Resources[r]!.Properties!.Policies ?? []) as Array<{ PolicyDocument: PolicyDocument }>).map((p) => p.PolicyDocument),
      ),
    ];
    for (const d of docs) {
      for (const s of d.Statement) {
        const actions = asList(s.Action);
        for (const a of actions) expect(a).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
        const resources = asList(s.Resource as unknown);
        if (resources.some((r) => r === "*")) {
          expect(resources).toEqual(["*"]);
          for (const a of actions) expect(WILDCARD_RESOURCE_ACTIONS).toContain(a);
        }
        for (const r of resources) if (typeof r === "string" && r !== "*") expect(r).not.toContain("*:*");
      }
    }
    for (const r of [RES.executionRole, RES.taskRole]) expect(stack.Resources[r]!.Properties!.ManagedPolicyArns).toBeUndefined();
  });

  it("execution role: ECR pull on exactly this repository, logs on exactly this log group", () => {
    const ctx = byId("alb-account-port");
    const stmts = doc(ctx, DEPLOY_PATHS.executionPolicy).Statement;
    expect(stmts).toEqual([
      { Sid: "EcrAuthTokenHasNoResourceType", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
      {
        Sid: "PullThisServiceImage",
        Effect: "Allow",
        Action: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
        Resource: `arn:aws:ecr:us-east-1:${TEST_ACCOUNT}:repository/${ctx.names.repository}`,
      },
      {
        Sid: "WriteThisServiceLogGroup",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `arn:aws:logs:us-east-1:${TEST_ACCOUNT}:log-group:${ctx.logGroup}:*`,
      },
    ]);
  });

  it("execution role: read access to exactly the given secrets, kms:Decrypt on the given key only via those services", () => {
    const ctx = byId("alb-secrets-kms");
    const stmts = doc(ctx, DEPLOY_PATHS.executionPolicy).Statement;
    const bySid = Object.fromEntries(stmts.map((s) => [s.Sid, s]));
    expect(bySid.ReadGivenSsmParameters).toEqual({
      Sid: "ReadGivenSsmParameters",
      Effect: "Allow",
      Action: "ssm:GetParameters",
      Resource: [ctx.secrets[0]!.valueFrom],
    });
    expect(bySid.ReadGivenSecrets!.Resource).toEqual([ctx.secrets[1]!.valueFrom, `${ctx.secrets[2]!.valueFrom}-??????`]);
    expect(bySid.DecryptGivenSecretsOnly).toEqual({
      Sid: "DecryptGivenSecretsOnly",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: ctx.secretsKmsKey,
      Condition: { StringEquals: { "kms:ViaService": ["secretsmanager.eu-west-1.amazonaws.com", "secretsmanager.us-east-1.amazonaws.com", "ssm.us-east-1.amazonaws.com"] } },
    });
    expect(secretsManagerResource("arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbC123")).toBe("arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbC123");
  });

  it("task role: no statements by default; X-Ray writes with --tracing; ssmmessages with --exec", () => {
    expect(doc(variant({ discovery: "alb" }), DEPLOY_PATHS.taskPolicy).Statement).toEqual([]);
    expect(buildStack(variant({ discovery: "alb" })).Resources[RES.taskRole]!.Properties!.Policies).toBeUndefined();
    expect(doc(variant({ discovery: "alb", tracing: true }), DEPLOY_PATHS.taskPolicy).Statement.flatMap((s) => asList(s.Action))).toEqual([
      "xray:PutTraceSegments",
      "xray:PutTelemetryRecords",
    ]);
    expect(doc(variant({ discovery: "none", exec: true }), DEPLOY_PATHS.taskPolicy).Statement.flatMap((s) => asList(s.Action))).toEqual([
      "ssmmessages:CreateControlChannel",
      "ssmmessages:CreateDataChannel",
      "ssmmessages:OpenControlChannel",
      "ssmmessages:OpenDataChannel",
    ]);
  });

  it("the stack's inline policies are the JSON policies (same builder), with ARNs from pseudo-parameters", () => {
    for (const [, ctx] of contexts) {
      const stack = stackFromYaml(ctx);
      const execInline = stack.Resources[RES.executionRole].Properties.Policies[0].PolicyDocument;
      expect(resolveIntrinsics(execInline, ctx)).toEqual(JSON.parse(fillAccount(files(ctx)[DEPLOY_PATHS.executionPolicy]!)));
      const trust = stack.Resources[RES.taskRole].Properties.AssumeRolePolicyDocument;
      expect(resolveIntrinsics(trust, ctx)).toEqual(JSON.parse(fillAccount(files(ctx)[DEPLOY_PATHS.taskTrust]!)));
    }
  });
});

describe("account ID handling", () => {
  it("with --account-id, ecs/*.json are concrete; without, they carry the placeholder and the stack never needs one", () => {
    for (const [, ctx] of contexts) {
      const f = files(ctx);
      const ecs = Object.keys(buildEcsDocuments(ctx)).map((p) => f[p]!).join("\n");
      if (ctx.accountId) expect(ecs).not.toContain(ACCOUNT_ID_PLACEHOLDER);
      else expect(f[DEPLOY_PATHS.taskDefinition]).toContain(ACCOUNT_ID_PLACEHOLDER);
      expect(f[DEPLOY_PATHS.stack]).not.toContain(ACCOUNT_ID_PLACEHOLDER);
      expect(f[DEPLOY_PATHS.stack]).not.toMatch(/:\d{12}:(?!parameter|secret|key)/);
    }
  });
});

describe("stack per discovery mode", () => {
  it("alb: ip target group on the container port and /readyz, service depends on the listener, SG chain LB → port only", () => {
    for (const [, ctx] of contexts.filter(([, c]) => c.isAlb)) {
      const s = buildStack(ctx);
      const tg = s.Resources[RES.targetGroup]!.Properties!;
      expect(tg).toMatchObject({ TargetType: "ip", Port: ctx.port, Protocol: "HTTP", HealthCheckPath: "/readyz" });
      expect(s.Resources[RES.service]!.DependsOn).toEqual([RES.httpListener]);
      expect(s.Resources[RES.service]!.Properties!.LoadBalancers).toEqual([
        { ContainerName: ctx.names.container, ContainerPort: ctx.port, TargetGroupArn: { Ref: RES.targetGroup } },
      ]);
      expect(s.Resources[RES.httpListener]!.Properties!.DefaultActions).toEqual([{ Type: "forward", TargetGroupArn: { Ref: RES.targetGroup } }]);
      const ingress = s.Resources[RES.serviceIngressFromLoadBalancer]!.Properties!;
      expect(ingress).toMatchObject({
        IpProtocol: "tcp",
        FromPort: ctx.port,
        ToPort: ctx.port,
        SourceSecurityGroupId: { "Fn::GetAtt": [RES.loadBalancerSecurityGroup, "GroupId"] },
      });
      expect(s.Resources[RES.serviceSecurityGroup]!.Properties!.SecurityGroupIngress).toBeUndefined();
      const lbEgress = s.Resources[RES.loadBalancerSecurityGroup]!.Properties!.SecurityGroupEgress;
      expect(lbEgress).toEqual([expect.objectContaining({ FromPort: ctx.port, ToPort: ctx.port, IpProtocol: "tcp" })]);
      const lb = s.Resources[RES.loadBalancer]!.Properties!;
      expect(lb).toMatchObject({ Scheme: "internet-facing", Type: "application", Subnets: { Ref: PARAM.loadBalancerSubnetIds } });
      expect(s.Resources[RES.httpsListener]!.Condition).toBe("HasCertificate");
    }
  });

  it("cloudmap: A records with the DNS TTL, custom health checks, registry by ARN, ingress only from the caller SG", () => {
    for (const [, ctx] of contexts.filter(([, c]) => c.isCloudMap)) {
      const s = buildStack(ctx);
      expect(s.Resources[RES.discoveryService]!.Properties).toMatchObject({
        Name: ctx.name,
        DnsConfig: { DnsRecords: [{ Type: "A", TTL: ctx.timings.dnsTtlSeconds }], RoutingPolicy: "MULTIVALUE" },
        HealthCheckCustomConfig: { FailureThreshold: 1 },
      });
      expect(s.Resources[RES.service]!.Properties!.ServiceRegistries).toEqual([{ RegistryArn: { "Fn::GetAtt": [RES.discoveryService, "Arn"] } }]);
      expect(s.Resources[RES.serviceIngressFromCallers]).toMatchObject({
        Condition: "HasCallerSecurityGroup",
        Properties: { FromPort: ctx.port, ToPort: ctx.port, IpProtocol: "tcp", SourceSecurityGroupId: { Ref: PARAM.callerSecurityGroupId } },
      });
      expect(s.Resources[RES.namespace]).toMatchObject({ Condition: "CreateNamespace", Properties: { Vpc: { Ref: PARAM.vpcId } } });
      expect(Object.values(s.Resources).some((r) => r.Type.startsWith("AWS::ElasticLoadBalancingV2"))).toBe(false);
    }
  });

  it("none: no inbound rule anywhere, no load balancer, no registry", () => {
    for (const [, ctx] of contexts.filter(([, c]) => c.isWorker)) {
      const s = buildStack(ctx);
      expect(Object.values(s.Resources).filter((r) => r.Type === "AWS::EC2::SecurityGroupIngress")).toEqual([]);
      expect(Object.values(s.Resources).some((r) => r.Properties?.SecurityGroupIngress)).toBe(false);
      expect(s.Resources[RES.service]!.Properties!.LoadBalancers).toBeUndefined();
      expect(s.Resources[RES.service]!.Properties!.ServiceRegistries).toBeUndefined();
    }
  });

  it.each(contexts)("%s: circuit breaker with rollback, no DesiredCount, explicit AssignPublicIp parameter", (_id, ctx) => {
    const s = buildStack(ctx);
    const svc = s.Resources[RES.service]!.Properties!;
    expect(svc.DesiredCount).toBeUndefined();
    expect(svc.DeploymentConfiguration).toMatchObject({ DeploymentCircuitBreaker: { Enable: true, Rollback: true } });
    expect((svc.NetworkConfiguration as any).AwsvpcConfiguration.AssignPublicIp).toEqual({ Ref: PARAM.assignPublicIp });
    expect(s.Parameters[PARAM.assignPublicIp]).toMatchObject({ AllowedValues: ["DISABLED", "ENABLED"], Default: "DISABLED" });
    expect(svc.EnableExecuteCommand).toBe(ctx.exec);
    expect(requiredParameters(s).sort()).toEqual(
      [PARAM.imageTag, PARAM.vpcId, PARAM.subnetIds, ...(ctx.isAlb ? [PARAM.loadBalancerSubnetIds] : [])].sort(),
    );
  });

  it.each(contexts)("%s: target tracking on the chosen metric between min and max tasks", (_id, ctx) => {
    const s = buildStack(ctx);
    expect(s.Resources[RES.scalableTarget]!.Properties).toEqual({
      ServiceNamespace: "ecs",
      ScalableDimension: "ecs:service:DesiredCount",
      ResourceId: { "Fn::Sub": "service/${Cluster}/${Service.Name}" },
      MinCapacity: ctx.minTasks,
      MaxCapacity: ctx.maxTasks,
    });
    const cfg = s.Resources[RES.scalingPolicy]!.Properties!.TargetTrackingScalingPolicyConfiguration as any;
    const expected = {
      cpu: ["ECSServiceAverageCPUUtilization", ctx.cpuTarget],
      memory: ["ECSServiceAverageMemoryUtilization", ctx.memoryTarget],
      requests: ["ALBRequestCountPerTarget", ctx.requestsTarget],
    }[ctx.scaleOn];
    expect([cfg.PredefinedMetricSpecification.PredefinedMetricType, cfg.TargetValue]).toEqual(expected);
    if (ctx.scaleOn === "requests") {
      expect(cfg.PredefinedMetricSpecification.ResourceLabel).toEqual({ "Fn::Sub": "${LoadBalancer.LoadBalancerFullName}/${TargetGroup.TargetGroupFullName}" });
    } else expect(cfg.PredefinedMetricSpecification.ResourceLabel).toBeUndefined();
  });

  it("--scale-on requests without a load balancer is refused by the builder too", () => {
    const ctx = { ...variant({ discovery: "none" }), scaleOn: "requests" as const };
    expect(() => buildStack(ctx)).toThrow(/--discovery alb/);
  });

  it("--spot: FARGATE base 1 + FARGATE_SPOT, no launch type; the cluster offers both providers", () => {
    const s = buildStack(byId("alb-spot-exec"));
    expect(s.Resources[RES.service]!.Properties!.CapacityProviderStrategy).toEqual([
      { CapacityProvider: "FARGATE", Base: 1, Weight: 0 },
      { CapacityProvider: "FARGATE_SPOT", Weight: 1 },
    ]);
    expect(s.Resources[RES.service]!.Properties!.LaunchType).toBeUndefined();
    expect(s.Resources[RES.cluster]!.Properties!.CapacityProviders).toEqual(["FARGATE", "FARGATE_SPOT"]);
    expect(buildStack(byId("alb-x86_64-plain-cpu")).Resources[RES.service]!.Properties!.LaunchType).toBe("FARGATE");
  });

  it("log group: created with the retention (none for never) and kept on delete; with --create-log-group a parameter", () => {
    const created = buildStack(byId("alb-x86_64-plain-cpu")).Resources[RES.logGroup]!;
    expect(created).toEqual({
      Type: "AWS::Logs::LogGroup",
      DeletionPolicy: "Retain",
      UpdateReplacePolicy: "Retain",
      Properties: { LogGroupName: "/ecs/svc00", RetentionInDays: 30 },
    });
    expect(buildStack(byId("none-blocking-never")).Resources[RES.logGroup]!.Properties).toEqual({ LogGroupName: expect.any(String) });
    const existing = buildStack(byId("cloudmap-existing-log-group"));
    expect(existing.Resources[RES.logGroup]).toBeUndefined();
    expect(existing.Parameters[PARAM.logGroupName]).toMatchObject({ Default: "/shared/logs" });
    const opts = (existing.Resources[RES.taskDefinition]!.Properties!.ContainerDefinitions as any)[0].LogConfiguration.Options;
    expect(opts["awslogs-group"]).toEqual({ Ref: PARAM.logGroupName });
  });

  it("one port everywhere: container, target group, security-group rules", () => {
    for (const [, ctx] of contexts.filter(([, c]) => c.hasInbound)) {
      const text = JSON.stringify(buildStack(ctx));
      const ports = [...text.matchAll(/"(?:ContainerPort|FromPort|ToPort|Port)":(\d+)/g)].map((m) => Number(m[1]));
      expect(new Set(ports.filter((p) => p !== 80 && p !== 443))).toEqual(new Set([ctx.port]));
    }
  });
});

describe("variants", () => {
  it("the matrix has 28 variants and the feature variants cover spot, exec, secrets, existing log group, never, account, China", () => {
    expect(matrixVariants()).toHaveLength(28);
    const given = featureVariants().map((v) => v.given);
    for (const key of ["spot", "exec", "secrets", "secretsKmsKey", "createLogGroup", "logMode", "logRetention", "accountId", "region"]) {
      expect(given.some((g) => key in g), key).toBe(true);
    }
    expect(byId("alb-china").partition).toBe("aws-cn");
    expect(taskDef(byId("alb-china")).containerDefinitions[0]!.image).toContain(".amazonaws.com.cn/");
  });
});

describe("load balancer idle timeout vs the app's keep-alive", () => {
  it("the ALB closes idle connections before the app does", () => {
    for (const [, ctx] of contexts.filter(([, c]) => c.isAlb)) {
      const attrs = buildStack(ctx).Resources[RES.loadBalancer]!.Properties!.LoadBalancerAttributes as Array<{ Key: string; Value: string }>;
      const idle = Number(attrs.find((a) => a.Key === "idle_timeout.timeout_seconds")!.Value);
      expect(idle * 1000).toBeLessThan(ctx.timings.keepAliveTimeoutMs);
    }
  });
});
