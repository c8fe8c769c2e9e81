/**
 * infra/stack.yaml: one CloudFormation template that deploys the whole service into an existing VPC.
 *
 * Common to every mode: log group (unless --create-log-group), execution and task roles (named, hence
 * CAPABILITY_NAMED_IAM), cluster, task definition (the same object as ecs/task-definition.json), the service's
 * security group, the ECS service (circuit breaker with rollback, no DesiredCount so redeploys never reset what
 * autoscaling chose), and target-tracking autoscaling.
 *
 * Per discovery mode:
 * - alb: internet-facing ALB (≥2 subnets), HTTP listener (+ HTTPS and an HTTP→HTTPS redirect when CertificateArn
 *   is given), `ip` target group on /readyz with a deregistration delay from the timings, service SG open to the
 *   container port from the ALB's SG only.
 * - cloudmap: private DNS namespace (created, or an existing one by ID), Cloud Map service with A records and
 *   custom health checks, service SG open to the container port from one caller SG only (a parameter).
 * - none: no inbound rule at all.
 *
 * Literal cpu/memory (cfn-lint E3047 checks only literals). Intrinsics in long form (plain YAML, no custom tags).
 */
import type { ServiceContext } from "../context.js";
import type { CfnOutput, CfnParameter, CfnResource, CfnTemplate } from "./aws-types.js";
import { executionPolicy, executionTrustPolicy, taskPolicy, taskTrustPolicy } from "./iam.js";
import { LOGICAL, intrinsify, stackScope, toCloudFormation } from "./scope.js";
import { buildTaskDefinition } from "./task-definition.js";
import { ALB_IDLE_TIMEOUT_SECONDS } from "../fargate/timings.js";

/** Stack parameter names: the README's `--parameter-overrides` and the workflow use these. */
export const PARAM = {
  imageTag: LOGICAL.imageTagParam,
  vpcId: "VpcId",
  subnetIds: "SubnetIds",
  assignPublicIp: "AssignPublicIp",
  logGroupName: LOGICAL.logGroupNameParam,
  loadBalancerSubnetIds: "LoadBalancerSubnetIds",
  allowedCidr: "AllowedCidr",
  certificateArn: "CertificateArn",
  namespaceName: "NamespaceName",
  existingNamespaceId: "ExistingNamespaceId",
  callerSecurityGroupId: "CallerSecurityGroupId",
} as const;


/** ALB health-check thresholds (interval/timeout come from the one timings module). */
export const ALB_HEALTHY_THRESHOLD = 2;
/** Modern TLS policy for the HTTPS listener. */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
export const SCALE_OUT_COOLDOWN_SECONDS = 60;
export const SCALE_IN_COOLDOWN_SECONDS = 300;

const ref = (name: string) => ({ Ref: name });
const getAtt = (name: string, attr: string) => ({ "Fn::GetAtt": [name, attr] as [string, string] });
const sub = (s: string) => ({ "Fn::Sub": s });

/** Logical IDs of the stack's resources. */
export const RES = {
  logGroup: LOGICAL.logGroup,
  executionRole: LOGICAL.executionRole,
  taskRole: LOGICAL.taskRole,
  cluster: "Cluster",
  taskDefinition: "TaskDefinition",
  serviceSecurityGroup: "ServiceSecurityGroup",
  loadBalancerSecurityGroup: "LoadBalancerSecurityGroup",
  loadBalancerHttpsIngress: "LoadBalancerHttpsIngress",
  serviceIngressFromLoadBalancer: "ServiceIngressFromLoadBalancer",
  loadBalancer: "LoadBalancer",
  targetGroup: "TargetGroup",
  httpListener: "HttpListener",
  httpsListener: "HttpsListener",
  httpsRedirect: "HttpToHttpsRedirect",
  namespace: "Namespace",
  discoveryService: "DiscoveryService",
  serviceIngressFromCallers: "ServiceIngressFromCallers",
  service: "Service",
  scalableTarget: "ScalableTarget",
  scalingPolicy: "ScalingPolicy",
} as const;

export interface ScalingMetric {
  predefinedMetricType: "ECSServiceAverageCPUUtilization" | "ECSServiceAverageMemoryUtilization" | "ALBRequestCountPerTarget";
  targetValue: number;
}

export function scalingMetric(ctx: ServiceContext): ScalingMetric {
  switch (ctx.scaleOn) {
    case "cpu":
      return { predefinedMetricType: "ECSServiceAverageCPUUtilization", targetValue: ctx.cpuTarget };
    case "memory":
      return { predefinedMetricType: "ECSServiceAverageMemoryUtilization", targetValue: ctx.memoryTarget };
    case "requests":
      if (!ctx.isAlb) throw new Error("--scale-on requests needs --discovery alb (it scales on requests per target)");
      return { predefinedMetricType: "ALBRequestCountPerTarget", targetValue: ctx.requestsTarget };
  }
}

function parameters(ctx: ServiceContext): Record<string, CfnParameter> {
  const p: Record<string, CfnParameter> = {
    [PARAM.imageTag]: {
      Type: "String",
      Description: `Tag of the image in the ECR repository "${ctx.names.repository}" to run (the deploy workflow passes the commit SHA)`,
      MinLength: 1,
      AllowedPattern: "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$",
      ConstraintDescription: "a Docker image tag: letters, digits, _ . - (at most 128 characters)",
    },
    [PARAM.vpcId]: { Type: "AWS::EC2::VPC::Id", Description: "The existing VPC to deploy into" },
    [PARAM.subnetIds]: {
      Type: "List<AWS::EC2::Subnet::Id>",
      Description:
        "Subnets for the tasks, ideally in two or more Availability Zones: private subnets with a NAT gateway or VPC endpoints (AssignPublicIp=DISABLED), or public subnets (AssignPublicIp=ENABLED)",
    },
    [PARAM.assignPublicIp]: {
      Type: "String",
      Description:
        "ENABLED gives each task a public IP: needed in public subnets without a NAT gateway, so tasks can reach ECR, CloudWatch Logs and Secrets Manager. DISABLED for private subnets with a NAT gateway or VPC endpoints. Security groups still decide what may connect in",
      AllowedValues: ["DISABLED", "ENABLED"],
      Default: "DISABLED",
    },
  };
  if (ctx.createLogGroup) {
    p[PARAM.logGroupName] = {
      Type: "String",
      Description: "The existing CloudWatch Logs group the tasks write to (created beforehand, e.g. by create-fargate-service --create-log-group)",
      Default: ctx.logGroup,
      AllowedPattern: "^[.\\-_/#A-Za-z0-9]{1,512}$",
      ConstraintDescription: "1-512 of a-z A-Z 0-9 . - _ / #",
    };
  }
  if (ctx.isAlb) {
    p[PARAM.loadBalancerSubnetIds] = {
      Type: "List<AWS::EC2::Subnet::Id>",
      Description: "Public subnets for the internet-facing load balancer, in at least two Availability Zones",
    };
    p[PARAM.allowedCidr] = {
      Type: "String",
      Description: "Who may connect to the load balancer (IPv4 CIDR)",
      Default: "0.0.0.0/0",
      AllowedPattern: "^(\\d{1,3}\\.){3}\\d{1,3}/\\d{1,2}$",
      ConstraintDescription: "an IPv4 CIDR such as 203.0.113.0/24",
    };
    p[PARAM.certificateArn] = {
      Type: "String",
      Description: "ACM certificate ARN for HTTPS on port 443 (HTTP then redirects to HTTPS). Empty: HTTP only",
      Default: "",
      AllowedPattern: "^(arn:aws[a-z-]*:acm:[a-z0-9-]+:\\d{12}:certificate/[A-Za-z0-9-]+)?$",
      ConstraintDescription: "empty, or an ACM certificate ARN",
    };
  }
  if (ctx.isCloudMap) {
    p[PARAM.namespaceName] = {
      Type: "String",
      Description: `Private DNS namespace; other services call this one at ${ctx.name}.<namespace>. Ignored for creation when ExistingNamespaceId is given (then pass that namespace's name here, for the outputs)`,
      Default: ctx.namespace,
      AllowedPattern: "^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$",
      ConstraintDescription: "a DNS name such as internal or svc.example.internal",
    };
    p[PARAM.existingNamespaceId] = {
      Type: "String",
      Description: "ID (ns-…) of an existing private DNS namespace in this VPC to join. Empty: the stack creates the namespace",
      Default: "",
      AllowedPattern: "^(ns-[A-Za-z0-9]+)?$",
      ConstraintDescription: "empty, or a Cloud Map namespace ID such as ns-abcdefghij123456",
    };
    p[PARAM.callerSecurityGroupId] = {
      Type: "String",
      Description: `Security group of the callers allowed to reach port ${ctx.port}. Empty: nobody can connect yet`,
      Default: "",
      AllowedPattern: "^(sg-[0-9a-f]{8,17})?$",
      ConstraintDescription: "empty, or a security group ID such as sg-0123456789abcdef0",
    };
  }
  return p;
}

function conditions(ctx: ServiceContext): Record<string, unknown> | undefined {
  const c: Record<string, unknown> = {};
  if (ctx.isAlb) c.HasCertificate = { "Fn::Not": [{ "Fn::Equals": [ref(PARAM.certificateArn), ""] }] };
  if (ctx.isCloudMap) {
    c.CreateNamespace = { "Fn::Equals": [ref(PARAM.existingNamespaceId), ""] };
    c.HasCallerSecurityGroup = { "Fn::Not": [{ "Fn::Equals": [ref(PARAM.callerSecurityGroupId), ""] }] };
  }
  return Object.keys(c).length ? c : undefined;
}

function iamResources(ctx: ServiceContext): Record<string, CfnResource> {
  const scope = stackScope(ctx);
  const task = taskPolicy(ctx);
  return {
    [RES.executionRole]: {
      Type: "AWS::IAM::Role",
      Properties: {
        RoleName: ctx.names.executionRole,
        Description: `ECS task execution role of ${ctx.name}: pull its image, write its logs, read its secrets`,
        AssumeRolePolicyDocument: executionTrustPolicy(),
        Policies: [{ PolicyName: "execution", PolicyDocument: intrinsify(executionPolicy(ctx, scope)) }],
      },
    },
    [RES.taskRole]: {
      Type: "AWS::IAM::Role",
      Properties: {
        RoleName: ctx.names.taskRole,
        Description: `Task role of ${ctx.name}: the permissions of the application itself`,
        AssumeRolePolicyDocument: intrinsify(taskTrustPolicy(scope)),
        ...(task.Statement.length ? { Policies: [{ PolicyName: "task", PolicyDocument: task }] } : {}),
      },
    },
  };
}

function clusterResource(ctx: ServiceContext): CfnResource {
  const props: Record<string, unknown> = { ClusterName: ctx.names.cluster };
  if (ctx.spot) props.CapacityProviders = ["FARGATE", "FARGATE_SPOT"];
  if (ctx.exec) {
    // Session I/O is not recorded (recording needs logs:DescribeLogGroups on "*"); CloudTrail still records every
    // ExecuteCommand call with caller, task and container.
    props.Configuration = { ExecuteCommandConfiguration: { Logging: "NONE" } };
  }
  return { Type: "AWS::ECS::Cluster", Properties: props };
}

function albResources(ctx: ServiceContext): Record<string, CfnResource> {
  const t = ctx.timings;
  const forward = [{ Type: "forward", TargetGroupArn: ref(RES.targetGroup) }];
  return {
    [RES.loadBalancerSecurityGroup]: {
      Type: "AWS::EC2::SecurityGroup",
      Properties: {
        GroupDescription: `${ctx.name} load balancer: HTTP(S) in from AllowedCidr, port ${ctx.port} out to the service`,
        VpcId: ref(PARAM.vpcId),
        SecurityGroupIngress: [
          { IpProtocol: "tcp", FromPort: 80, ToPort: 80, CidrIp: ref(PARAM.allowedCidr), Description: "HTTP" },
        ],
        SecurityGroupEgress: [
          {
            IpProtocol: "tcp",
            FromPort: ctx.port,
            ToPort: ctx.port,
            DestinationSecurityGroupId: getAtt(RES.serviceSecurityGroup, "GroupId"),
            Description: "To the service tasks only",
          },
        ],
      },
    },
    [RES.loadBalancerHttpsIngress]: {
      Type: "AWS::EC2::SecurityGroupIngress",
      Condition: "HasCertificate",
      Properties: {
        GroupId: getAtt(RES.loadBalancerSecurityGroup, "GroupId"),
        IpProtocol: "tcp",
        FromPort: 443,
        ToPort: 443,
        CidrIp: ref(PARAM.allowedCidr),
        Description: "HTTPS",
      },
    },
    [RES.serviceIngressFromLoadBalancer]: {
      Type: "AWS::EC2::SecurityGroupIngress",
      Properties: {
        GroupId: getAtt(RES.serviceSecurityGroup, "GroupId"),
        IpProtocol: "tcp",
        FromPort: ctx.port,
        ToPort: ctx.port,
        SourceSecurityGroupId: getAtt(RES.loadBalancerSecurityGroup, "GroupId"),
        Description: "Container port, from the load balancer only",
      },
    },
    [RES.loadBalancer]: {
      Type: "AWS::ElasticLoadBalancingV2::LoadBalancer",
      Properties: {
        Name: ctx.names.loadBalancer,
        Type: "application",
        Scheme: "internet-facing",
        Subnets: ref(PARAM.loadBalancerSubnetIds),
        SecurityGroups: [getAtt(RES.loadBalancerSecurityGroup, "GroupId")],
        LoadBalancerAttributes: [
          // The app's keep-alive timeout (timings.keepAliveTimeoutMs) outlives this, so the ALB never reuses a
          // socket the app already closed (the cause of sporadic 502s).
          { Key: "idle_timeout.timeout_seconds", Value: String(ALB_IDLE_TIMEOUT_SECONDS) },
          { Key: "routing.http.drop_invalid_header_fields.enabled", Value: "true" },
        ],
      },
    },
    [RES.targetGroup]: {
      Type: "AWS::ElasticLoadBalancingV2::TargetGroup",
      Properties: {
        Name: ctx.names.targetGroup,
        // awsvpc tasks register by IP; "instance" (the default) cannot work on Fargate.
        TargetType: "ip",
        Protocol: "HTTP",
        Port: ctx.port,
        VpcId: ref(PARAM.vpcId),
        HealthCheckEnabled: true,
        HealthCheckProtocol: "HTTP",
        HealthCheckPath: "/readyz",
        HealthCheckIntervalSeconds: t.healthCheck.intervalSeconds,
        HealthCheckTimeoutSeconds: t.healthCheck.timeoutSeconds,
        HealthyThresholdCount: ALB_HEALTHY_THRESHOLD,
        UnhealthyThresholdCount: t.healthCheck.retries,
        Matcher: { HttpCode: "200" },
        TargetGroupAttributes: [
          { Key: "deregistration_delay.timeout_seconds", Value: String(t.deregistrationDelaySeconds) },
        ],
      },
    },
    [RES.httpListener]: {
      Type: "AWS::ElasticLoadBalancingV2::Listener",
      Properties: {
        LoadBalancerArn: ref(RES.loadBalancer),
        Port: 80,
        Protocol: "HTTP",
        // Always forwards, so the target group is attached to the load balancer before the service starts;
        // with a certificate, the rule below redirects every request to HTTPS first.
        DefaultActions: forward,
      },
    },
    [RES.httpsRedirect]: {
      Type: "AWS::ElasticLoadBalancingV2::ListenerRule",
      Condition: "HasCertificate",
      Properties: {
        ListenerArn: ref(RES.httpListener),
        Priority: 1,
        Conditions: [{ Field: "path-pattern", PathPatternConfig: { Values: ["/*"] } }],
        Actions: [{ Type: "redirect", RedirectConfig: { Protocol: "HTTPS", Port: "443", StatusCode: "HTTP_301" } }],
      },
    },
    [RES.httpsListener]: {
      Type: "AWS::ElasticLoadBalancingV2::Listener",
      Condition: "HasCertificate",
      Properties: {
        LoadBalancerArn: ref(RES.loadBalancer),
        Port: 443,
        Protocol: "HTTPS",
        SslPolicy: TLS_POLICY,
        Certificates: [{ CertificateArn: ref(PARAM.certificateArn) }],
        DefaultActions: forward,
      },
    },
  };
}

function cloudMapResources(ctx: ServiceContext): Record<string, CfnResource> {
  return {
    [RES.namespace]: {
      Type: "AWS::ServiceDiscovery::PrivateDnsNamespace",
      Condition: "CreateNamespace",
      Properties: {
        Name: ref(PARAM.namespaceName),
        Vpc: ref(PARAM.vpcId),
        Description: `Private DNS namespace created with ${ctx.name}`,
      },
    },
    [RES.discoveryService]: {
      Type: "AWS::ServiceDiscovery::Service",
      Properties: {
        Name: ctx.name,
        NamespaceId: { "Fn::If": ["CreateNamespace", getAtt(RES.namespace, "Id"), ref(PARAM.existingNamespaceId)] },
        DnsConfig: {
          // One A record per healthy task (awsvpc: the task's private IP); short TTL so stopped tasks drop out fast.
          DnsRecords: [{ Type: "A", TTL: ctx.timings.dnsTtlSeconds }],
          RoutingPolicy: "MULTIVALUE",
        },
        // ECS reports container health to Cloud Map (FailureThreshold is fixed at 1 by the service).
        HealthCheckCustomConfig: { FailureThreshold: 1 },
      },
    },
    [RES.serviceIngressFromCallers]: {
      Type: "AWS::EC2::SecurityGroupIngress",
      Condition: "HasCallerSecurityGroup",
      Properties: {
        GroupId: getAtt(RES.serviceSecurityGroup, "GroupId"),
        IpProtocol: "tcp",
        FromPort: ctx.port,
        ToPort: ctx.port,
        SourceSecurityGroupId: ref(PARAM.callerSecurityGroupId),
        Description: "Container port, from the callers security group only",
      },
    },
  };
}

function serviceResource(ctx: ServiceContext): CfnResource {
  const props: Record<string, unknown> = {
    ServiceName: ctx.names.service,
    Cluster: ref(RES.cluster),
    TaskDefinition: ref(RES.taskDefinition),
  };
  if (ctx.spot) {
    // Base of one on-demand task; everything above it on Spot (two-minute SIGTERM notice on interruption).
    props.CapacityProviderStrategy = [
      { CapacityProvider: "FARGATE", Base: 1, Weight: 0 },
      { CapacityProvider: "FARGATE_SPOT", Weight: 1 },
    ];
  } else {
    props.LaunchType = "FARGATE";
  }
  Object.assign(props, {
    PlatformVersion: "LATEST",
    // No DesiredCount: CloudFormation starts one task on create and leaves the count to autoscaling afterwards,
    // so a redeploy never resets what autoscaling chose.
    DeploymentConfiguration: {
      DeploymentCircuitBreaker: { Enable: true, Rollback: true },
      MinimumHealthyPercent: 100,
      MaximumPercent: 200,
    },
    NetworkConfiguration: {
      AwsvpcConfiguration: {
        Subnets: ref(PARAM.subnetIds),
        SecurityGroups: [getAtt(RES.serviceSecurityGroup, "GroupId")],
        AssignPublicIp: ref(PARAM.assignPublicIp),
      },
    },
    EnableExecuteCommand: ctx.exec,
    PropagateTags: "SERVICE",
    EnableECSManagedTags: true,
  });
  if (ctx.isAlb) {
    props.HealthCheckGracePeriodSeconds = ctx.timings.healthCheckGracePeriodSeconds;
    props.LoadBalancers = [
      { ContainerName: ctx.names.container, ContainerPort: ctx.port, TargetGroupArn: ref(RES.targetGroup) },
    ];
  }
  if (ctx.isCloudMap) props.ServiceRegistries = [{ RegistryArn: getAtt(RES.discoveryService, "Arn") }];
  return {
    Type: "AWS::ECS::Service",
    // The target group must be attached to the load balancer (through the listener) before the service uses it.
    ...(ctx.isAlb ? { DependsOn: [RES.httpListener] } : {}),
    Properties: props,
  };
}

function autoscalingResources(ctx: ServiceContext): Record<string, CfnResource> {
  const metric = scalingMetric(ctx);
  return {
    [RES.scalableTarget]: {
      Type: "AWS::ApplicationAutoScaling::ScalableTarget",
      Properties: {
        ServiceNamespace: "ecs",
        ScalableDimension: "ecs:service:DesiredCount",
        ResourceId: sub(`service/\${${RES.cluster}}/\${${RES.service}.Name}`),
        MinCapacity: ctx.minTasks,
        MaxCapacity: ctx.maxTasks,
      },
    },
    [RES.scalingPolicy]: {
      Type: "AWS::ApplicationAutoScaling::ScalingPolicy",
      Properties: {
        PolicyName: `${ctx.name}-${ctx.scaleOn}-target-tracking`,
        PolicyType: "TargetTrackingScaling",
        ScalingTargetId: ref(RES.scalableTarget),
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: metric.targetValue,
          PredefinedMetricSpecification: {
            PredefinedMetricType: metric.predefinedMetricType,
            ...(metric.predefinedMetricType === "ALBRequestCountPerTarget"
              ? { ResourceLabel: sub(`\${${RES.loadBalancer}.LoadBalancerFullName}/\${${RES.targetGroup}.TargetGroupFullName}`) }
              : {}),
          },
          ScaleOutCooldown: SCALE_OUT_COOLDOWN_SECONDS,
          ScaleInCooldown: SCALE_IN_COOLDOWN_SECONDS,
        },
      },
    },
  };
}

function outputs(ctx: ServiceContext): Record<string, CfnOutput> {
  const o: Record<string, CfnOutput> = {
    ClusterName: { Description: "ECS cluster", Value: ref(RES.cluster) },
    ServiceName: { Description: "ECS service", Value: getAtt(RES.service, "Name") },
    LogGroupName: {
      Description: "CloudWatch Logs group of the tasks",
      Value: ctx.createLogGroup ? ref(PARAM.logGroupName) : ref(RES.logGroup),
    },
    ServiceSecurityGroupId: { Description: "Security group of the tasks", Value: getAtt(RES.serviceSecurityGroup, "GroupId") },
  };
  if (ctx.isAlb) {
    o.ServiceUrl = {
      Description: "Public URL of the service",
      Value: {
        "Fn::If": [
          "HasCertificate",
          sub(`https://\${${RES.loadBalancer}.DNSName}`),
          sub(`http://\${${RES.loadBalancer}.DNSName}`),
        ],
      },
    };
  }
  if (ctx.isCloudMap) {
    o.DnsName = { Description: "Name other services in the VPC call", Value: sub(`${ctx.name}.\${${PARAM.namespaceName}}`) };
    o.NamespaceId = {
      Description: "Cloud Map namespace ID (pass it as ExistingNamespaceId to other services' stacks)",
      Value: { "Fn::If": ["CreateNamespace", getAtt(RES.namespace, "Id"), ref(PARAM.existingNamespaceId)] },
    };
  }
  return o;
}

export function buildStack(ctx: ServiceContext): CfnTemplate {
  const resources: Record<string, CfnResource> = {};
  if (!ctx.createLogGroup) {
    const retention = ctx.logRetention === "never" ? {} : { RetentionInDays: ctx.logRetention };
    resources[RES.logGroup] = {
      Type: "AWS::Logs::LogGroup",
      // Logs outlive the stack; delete the group yourself (README, "Tearing down") when you no longer need them.
      DeletionPolicy: "Retain",
      UpdateReplacePolicy: "Retain",
      Properties: { LogGroupName: ctx.logGroup, ...retention },
    };
  }
  Object.assign(resources, iamResources(ctx));
  resources[RES.cluster] = clusterResource(ctx);
  resources[RES.taskDefinition] = {
    Type: "AWS::ECS::TaskDefinition",
    Properties: toCloudFormation(intrinsify(buildTaskDefinition(ctx, stackScope(ctx)))) as Record<string, unknown>,
  };
  resources[RES.serviceSecurityGroup] = {
    Type: "AWS::EC2::SecurityGroup",
    Properties: {
      GroupDescription: ctx.isAlb
        ? `${ctx.name} tasks: port ${ctx.port} in from the load balancer only`
        : ctx.isCloudMap
          ? `${ctx.name} tasks: port ${ctx.port} in from the callers security group only`
          : `${ctx.name} tasks: no inbound traffic`,
      VpcId: ref(PARAM.vpcId),
      SecurityGroupEgress: [
        // Tasks reach ECR, CloudWatch Logs, Secrets Manager/SSM (and whatever the app calls) on their own.
        { IpProtocol: "-1", CidrIp: "0.0.0.0/0", Description: "All outbound" },
      ],
    },
  };
  if (ctx.isAlb) Object.assign(resources, albResources(ctx));
  if (ctx.isCloudMap) Object.assign(resources, cloudMapResources(ctx));
  resources[RES.service] = serviceResource(ctx);
  Object.assign(resources, autoscalingResources(ctx));

  const conds = conditions(ctx);
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Description: `${ctx.name}: Node.js service on ECS Fargate (${discoveryLabel(ctx)}), generated by create-fargate-service ${ctx.generatorVersion}`,
    Parameters: parameters(ctx),
    ...(conds ? { Conditions: conds } : {}),
    Resources: resources,
    Outputs: outputs(ctx),
  };
}

function discoveryLabel(ctx: ServiceContext): string {
  return ctx.isAlb ? "behind an internet-facing ALB" : ctx.isCloudMap ? "private DNS via Cloud Map" : "worker, no inbound traffic";
}

/** Parameters without a default: the first deploy must pass them. */
export function requiredParameters(template: CfnTemplate): string[] {
  return Object.entries(template.Parameters)
    .filter(([, p]) => p.Default === undefined)
    .map(([k]) => k);
}
