/**
 * Every AWS resource name derived from the service name, in one place.
 * The service name is at most 28 characters, so "<name>-tg" style names stay within ELB's 32.
 */
export interface ResourceNames {
  /** ECS cluster, service, task family and container name. */
  cluster: string;
  service: string;
  family: string;
  container: string;
  /** ECR repository. */
  repository: string;
  executionRole: string;
  taskRole: string;
  loadBalancer: string;
  targetGroup: string;
  /** CloudFormation stack. */
  stack: string;
  /** Collector sidecar container (tracing). */
  collectorContainer: string;
}

export function deriveNames(name: string): ResourceNames {
  return {
    cluster: name,
    service: name,
    family: name,
    container: name,
    repository: name,
    executionRole: `${name}-execution`,
    taskRole: `${name}-task`,
    loadBalancer: `${name}-alb`,
    targetGroup: `${name}-tg`,
    stack: name,
    collectorContainer: "aws-otel-collector",
  };
}
