/**
 * CloudWatch Logs rules: log-group names, retention values, tags, KMS key ARNs.
 * One module used by option validation, the log-group command, the stack builder and `check`.
 * Source: botocore logs CreateLogGroup / PutRetentionPolicy / TagResource shapes.
 */

/** Allowed `retentionInDays` values. `never` means no retention policy (events never expire). */
export const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export type RetentionDays = (typeof RETENTION_DAYS)[number];
export type Retention = RetentionDays | "never";

const LOG_GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;

export function logGroupNameError(name: string): string | undefined {
  if (name.length < 1 || name.length > 512) {
    return `log group name must be 1–512 characters (got ${name.length})`;
  }
  if (!LOG_GROUP_NAME.test(name)) {
    const bad = [...new Set([...name].filter((c) => !/[.\-_/#A-Za-z0-9]/.test(c)))].join("");
    return `log group name "${name}" contains ${JSON.stringify(bad)}; allowed characters: a-z A-Z 0-9 . - _ / #`;
  }
  if (name.startsWith("aws/")) {
    return `log group name "${name}" starts with "aws/", which AWS reserves`;
  }
  return undefined;
}

export function parseRetention(raw: string | number): Retention | undefined {
  if (raw === "never") return "never";
  const n = typeof raw === "number" ? raw : /^\d+$/.test(raw) ? Number(raw) : NaN;
  return (RETENTION_DAYS as readonly number[]).includes(n) ? (n as RetentionDays) : undefined;
}

export function retentionError(raw: string | number): string | undefined {
  return parseRetention(raw) === undefined
    ? `log retention "${raw}" is not allowed; use one of: ${RETENTION_DAYS.join(", ")}, or never`
    : undefined;
}

/** Tag key 1–128, value 0–256, characters [\p{L}\p{Z}\p{N}_.:/=+\-@]; keys may not start with "aws:". */
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
export const MAX_TAGS = 50;

export function tagError(key: string, value: string): string | undefined {
  if (key.length < 1 || key.length > 128) return `tag key "${key}" must be 1–128 characters`;
  if (!TAG_CHARS.test(key)) return `tag key "${key}" has characters outside letters, digits, spaces and _ . : / = + - @`;
  if (key.toLowerCase().startsWith("aws:")) return `tag key "${key}" starts with "aws:", which AWS reserves`;
  if (value.length > 256) return `tag value for "${key}" must be at most 256 characters`;
  if (!TAG_CHARS.test(value)) return `tag value "${value}" has characters outside letters, digits, spaces and _ . : / = + - @`;
  return undefined;
}

/** Symmetric KMS key ARN, e.g. arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab */
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]{1,128}$/;

export function kmsKeyArnError(arn: string): string | undefined {
  return KMS_KEY_ARN.test(arn) && arn.length <= 256
    ? undefined
    : `KMS key "${arn}" is not a key ARN; expected arn:aws:kms:<region>:<account-id>:key/<key-id>`;
}

/** Identity-policy resource for CreateLogStream/PutLogEvents: every stream of exactly this group. */
export function logStreamsArnPattern(logGroupName: string, region = "${AWS::Region}", account = "${AWS::AccountId}"): string {
  return `arn:aws:logs:${region}:${account}:log-group:${logGroupName}:*`;
}
