/**
 * AWS regions we know (botocore 1.43 endpoints.json: aws, aws-cn, aws-us-gov partitions).
 * A code that has the shape of a region but is not listed is refused with the list, so typos never reach a deploy.
 */
export const AWS_REGIONS: readonly string[] = ["af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-central-1", "ca-west-1", "cn-north-1", "cn-northwest-1", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3", "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2", "us-gov-east-1", "us-gov-west-1", "us-west-1", "us-west-2"];

export function isRegion(code: string): boolean {
  return AWS_REGIONS.includes(code);
}

export function regionError(code: string): string | undefined {
  if (isRegion(code)) return undefined;
  const near = AWS_REGIONS.filter((r) => r.replace(/-/g, "") === code.replace(/-/g, "").toLowerCase());
  const hint = near.length ? `; did you mean ${near[0]}?` : "";
  return `--region "${code}" is not an AWS region code${hint} (allowed: ${AWS_REGIONS.join(", ")})`;
}

/** ARN partition of a region: aws, aws-cn or aws-us-gov. */
export function partitionOf(region: string): "aws" | "aws-cn" | "aws-us-gov" {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}
