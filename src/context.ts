/**
 * The values every generated file is made from: the validated options plus what is derived from them.
 * Templates (handlebars) and typed builders (task definition, IAM, stack, package.json) read only this.
 */
import type { ServiceOptions } from "./options/schema.js";
import { deriveNames, type ResourceNames } from "./fargate/names.js";
import { deriveTimings, type Timings } from "./fargate/timings.js";
import { partitionOf } from "./fargate/regions.js";

/** Node.js major of the generated Dockerfile's base image (an LTS line). */
export const NODE_IMAGE_MAJOR = 24;

export interface ServiceContext extends ServiceOptions {
  names: ResourceNames;
  timings: Timings;
  partition: "aws" | "aws-cn" | "aws-us-gov";
  /** Docker platform for `docker build --platform`. */
  dockerPlatform: "linux/amd64" | "linux/arm64";
  /** ECS runtimePlatform.cpuArchitecture. */
  cpuArchitecture: "X86_64" | "ARM64";
  isAlb: boolean;
  isCloudMap: boolean;
  isWorker: boolean;
  /** The service accepts inbound traffic on `port`. */
  hasInbound: boolean;
  nodeImageMajor: number;
  /** Version of create-fargate-service that generated the project. */
  generatorVersion: string;
  /** package.json spec of the create-fargate-service dev dependency that runs `check` (see checkDependencySpec). */
  checkDependency: string;
}

export function buildContext(options: ServiceOptions, generatorVersion: string, checkDependency = generatorVersion): ServiceContext {
  return {
    ...options,
    names: deriveNames(options.name),
    timings: deriveTimings(options.discovery, options.stopTimeout),
    partition: partitionOf(options.region),
    dockerPlatform: options.arch === "arm64" ? "linux/arm64" : "linux/amd64",
    cpuArchitecture: options.arch === "arm64" ? "ARM64" : "X86_64",
    isAlb: options.discovery === "alb",
    isCloudMap: options.discovery === "cloudmap",
    isWorker: options.discovery === "none",
    hasInbound: options.discovery !== "none",
    nodeImageMajor: NODE_IMAGE_MAJOR,
    generatorVersion,
    checkDependency,
  };
}

/** One file of the generated project. `path` is relative, with "/" separators. */
export interface GeneratedFile {
  path: string;
  content: string;
  /** POSIX mode, e.g. 0o755 for scripts. */
  mode?: number;
}
