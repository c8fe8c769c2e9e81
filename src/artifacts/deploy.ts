import type { GeneratedFile, ServiceContext } from "../context.js";
import { jsonFile } from "./index.js";

/** Deployment artifacts: ECS task definition, IAM documents, CloudFormation stack, deploy workflow. */
export function buildDeployDocuments(ctx: ServiceContext): GeneratedFile[] {
  const taskDefinition = {
    family: ctx.names.family,
    requiresCompatibilities: ["FARGATE"],
    networkMode: "awsvpc",
    cpu: String(ctx.cpu),
    memory: String(ctx.memory),
    runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: ctx.cpuArchitecture },
    containerDefinitions: [
      {
        name: ctx.names.container,
        image: `${ctx.names.repository}:latest`,
        essential: true,
        portMappings: [{ containerPort: ctx.port, protocol: "tcp" }],
        logConfiguration: {
          logDriver: "awslogs",
          options: {
            "awslogs-group": ctx.logGroup,
            "awslogs-region": ctx.region,
            "awslogs-stream-prefix": "ecs",
            mode: ctx.logMode,
            "max-buffer-size": "25m",
          },
        },
      },
    ],
  };
  return [jsonFile("ecs/task-definition.json", taskDefinition)];
}
