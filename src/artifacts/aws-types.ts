/**
 * Hand-written request shapes, mirroring botocore 1.43's service models member for member (same names, same
 * nesting), for the subset the builders emit. We do not depend on @aws-sdk/client-ecs just for its types;
 * test/aws runs botocore's own ParamValidator over every generated document, so a misspelt or misplaced member
 * fails a test rather than a deploy.
 *
 * Sources: botocore/data/ecs/2014-11-13/service-2.json (RegisterTaskDefinitionRequest, ContainerDefinition, …),
 * the IAM policy grammar, and the CloudFormation template anatomy.
 */

// ---------------------------------------------------------------------------------------------------------------
// ECS RegisterTaskDefinition (botocore ecs RegisterTaskDefinitionRequest)

export type Compatibility = "EC2" | "FARGATE" | "EXTERNAL" | "MANAGED_INSTANCES";
export type NetworkMode = "bridge" | "host" | "awsvpc" | "none";
export type CPUArchitecture = "X86_64" | "ARM64";
export type ContainerCondition = "START" | "COMPLETE" | "SUCCESS" | "HEALTHY";
export type TransportProtocol = "tcp" | "udp";
export type ApplicationProtocol = "http" | "http2" | "grpc";
export type LogDriver = "awslogs" | "splunk" | "awsfirelens";

export interface KeyValuePair {
  name: string;
  value: string;
}

export interface Secret {
  name: string;
  valueFrom: string;
}

export interface PortMapping {
  containerPort: number;
  hostPort?: number;
  protocol?: TransportProtocol;
  name?: string;
  appProtocol?: ApplicationProtocol;
}

export interface MountPoint {
  sourceVolume: string;
  containerPath: string;
  readOnly?: boolean;
}

export interface LinuxParameters {
  initProcessEnabled?: boolean;
}

export interface ContainerDependency {
  containerName: string;
  condition: ContainerCondition;
}

export interface LogConfiguration {
  logDriver: LogDriver;
  /** Free-form map: copied unchanged into CloudFormation (no PascalCase). */
  options?: Record<string, string>;
}

export interface HealthCheck {
  command: string[];
  interval?: number;
  timeout?: number;
  retries?: number;
  startPeriod?: number;
}

export interface ContainerDefinition {
  name: string;
  image: string;
  essential?: boolean;
  command?: string[];
  portMappings?: PortMapping[];
  environment?: KeyValuePair[];
  secrets?: Secret[];
  mountPoints?: MountPoint[];
  linuxParameters?: LinuxParameters;
  dependsOn?: ContainerDependency[];
  stopTimeout?: number;
  readonlyRootFilesystem?: boolean;
  logConfiguration?: LogConfiguration;
  healthCheck?: HealthCheck;
  /** Free-form map. */
  dockerLabels?: Record<string, string>;
}

/** A Fargate bind-mount volume: a name only (task ephemeral storage); Fargate has no host paths. */
export interface Volume {
  name: string;
}

export interface RuntimePlatform {
  cpuArchitecture: CPUArchitecture;
  operatingSystemFamily: "LINUX";
}

export interface RegisterTaskDefinitionInput {
  family: string;
  taskRoleArn?: string;
  executionRoleArn?: string;
  networkMode: NetworkMode;
  containerDefinitions: ContainerDefinition[];
  volumes?: Volume[];
  requiresCompatibilities: Compatibility[];
  /** Task size as a string of CPU units, e.g. "256". */
  cpu: string;
  /** Task memory as a string of MiB, e.g. "512". */
  memory: string;
  runtimePlatform: RuntimePlatform;
}

/** Map keys of the task definition whose values are free-form maps (kept verbatim in CloudFormation). */
export const FREE_FORM_MAP_KEYS: ReadonlySet<string> = new Set(["options", "dockerLabels", "driverOpts", "labels"]);

// ---------------------------------------------------------------------------------------------------------------
// IAM policy documents

export interface PolicyStatement {
  /** ^[A-Za-z0-9]+$ */
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: { Service: string | string[] };
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

// ---------------------------------------------------------------------------------------------------------------
// CloudFormation

/** A CloudFormation intrinsic function, written in long form (plain YAML, no custom tags). */
export type Intrinsic =
  | { Ref: string }
  | { "Fn::GetAtt": [string, string] }
  | { "Fn::Sub": string }
  | { "Fn::If": [string, unknown, unknown] }
  | { "Fn::Equals": [unknown, unknown] }
  | { "Fn::Not": [unknown] }
  | { "Fn::Join": [string, unknown[]] };

export interface CfnParameter {
  Type: string;
  Description: string;
  Default?: string | number;
  AllowedValues?: string[];
  AllowedPattern?: string;
  ConstraintDescription?: string;
  MinLength?: number;
}

export interface CfnResource {
  Type: string;
  Condition?: string;
  DependsOn?: string | string[];
  DeletionPolicy?: "Delete" | "Retain" | "Snapshot" | "RetainExceptOnCreate";
  UpdateReplacePolicy?: "Delete" | "Retain" | "Snapshot";
  Properties?: Record<string, unknown>;
}

export interface CfnOutput {
  Description: string;
  Value: unknown;
  Condition?: string;
}

export interface CfnTemplate {
  AWSTemplateFormatVersion: "2010-09-09";
  Description: string;
  Metadata?: Record<string, unknown>;
  Parameters: Record<string, CfnParameter>;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, CfnResource>;
  Outputs: Record<string, CfnOutput>;
}
