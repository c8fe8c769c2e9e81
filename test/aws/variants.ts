/**
 * The deployment-artifact variants every test/aws check runs over:
 *
 * - the matrix issue 4 asks for: discovery (alb, cloudmap, none) × arch × tracing × scaling metric
 *   (requests only with alb) = 28 variants;
 * - feature variants for the options that change the documents in other ways: --spot, --exec, secrets from both
 *   stores with a KMS key, --create-log-group, blocking logs, retention "never", a concrete --account-id, the China
 *   partition, the largest Fargate size, a custom port.
 *
 * Each gets its own service name, so all of them can live side by side on one moto server.
 */
import fs from "node:fs";
import path from "node:path";
import { defaultOptions } from "../../src/options/resolve.js";
import type { AllOptions, ServiceOptions } from "../../src/options/schema.js";
import { buildContext, type ServiceContext } from "../../src/context.js";
import { buildDeployDocuments } from "../../src/artifacts/deploy.js";
import { ACCOUNT_ID_PLACEHOLDER } from "../../src/artifacts/scope.js";

/** moto's fixed account; also what the README's `sed` step would write for a user of that account. */
export const TEST_ACCOUNT = "123456789012";

export interface Variant {
  id: string;
  given: Partial<AllOptions>;
}

export function matrixVariants(): Variant[] {
  const out: Variant[] = [];
  for (const discovery of ["alb", "cloudmap", "none"] as const) {
    for (const arch of ["x86_64", "arm64"] as const) {
      for (const tracing of [false, true]) {
        for (const scaleOn of ["cpu", "memory", "requests"] as const) {
          if (scaleOn === "requests" && discovery !== "alb") continue;
          out.push({ id: `${discovery}-${arch}-${tracing ? "otel" : "plain"}-${scaleOn}`, given: { discovery, arch, tracing, scaleOn } });
        }
      }
    }
  }
  return out;
}

const SSM_ARN = `arn:aws:ssm:us-east-1:${TEST_ACCOUNT}:parameter/my-svc/db-password`;
const SM_FULL_ARN = `arn:aws:secretsmanager:us-east-1:${TEST_ACCOUNT}:secret:my-svc/api-key-AbC123`;
const SM_PARTIAL_ARN = `arn:aws:secretsmanager:eu-west-1:${TEST_ACCOUNT}:secret:shared/token`;
const KMS_ARN = `arn:aws:kms:us-east-1:${TEST_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

export function featureVariants(): Variant[] {
  return [
    { id: "alb-spot-exec", given: { discovery: "alb", spot: true, exec: true } },
    { id: "cloudmap-spot-exec-otel", given: { discovery: "cloudmap", spot: true, exec: true, tracing: true } },
    { id: "none-exec", given: { discovery: "none", exec: true } },
    {
      id: "alb-secrets-kms",
      given: {
        discovery: "alb",
        secrets: [
          { name: "DB_PASSWORD", valueFrom: SSM_ARN },
          { name: "API_KEY", valueFrom: SM_FULL_ARN },
          { name: "TOKEN", valueFrom: SM_PARTIAL_ARN },
        ],
        secretsKmsKey: KMS_ARN,
      },
    },
    { id: "cloudmap-existing-log-group", given: { discovery: "cloudmap", createLogGroup: true, logGroup: "/shared/logs" } },
    { id: "none-blocking-never", given: { discovery: "none", logMode: "blocking", logRetention: "never" } },
    { id: "alb-account-port", given: { discovery: "alb", accountId: TEST_ACCOUNT, port: 3000, stopTimeout: 120 } },
    { id: "alb-china", given: { discovery: "alb", region: "cn-north-1", scaleOn: "requests" } },
    { id: "alb-largest", given: { discovery: "alb", cpu: 16384, memory: 122880, arch: "arm64", minTasks: 2, maxTasks: 20 } },
    { id: "none-short-stop", given: { discovery: "none", stopTimeout: 2 } },
  ];
}

export function allVariants(): Variant[] {
  return [...matrixVariants(), ...featureVariants()];
}

export function optionsFor(variant: Variant, index: number): ServiceOptions {
  const name = `svc${String(index).padStart(2, "0")}`;
  return defaultOptions({ directory: name, name, ...variant.given }, {});
}

export function contextFor(variant: Variant, index: number): ServiceContext {
  return buildContext(optionsFor(variant, index), "0.0.0-test");
}

export interface WrittenVariant {
  id: string;
  ctx: ServiceContext;
  /** Directory holding the generated deployment files, exactly as the generator writes them. */
  dir: string;
}

/**
 * Writes each variant's deployment documents below `root/<id>/`. With `fillAccount`, the account placeholder is
 * replaced by TEST_ACCOUNT, which is what the README tells a user to do before using ecs/*.json.
 */
export function writeVariants(root: string, variants: Variant[], fillAccount = true): WrittenVariant[] {
  return variants.map((v, i) => {
    const ctx = contextFor(v, i);
    const dir = path.join(root, v.id);
    for (const file of buildDeployDocuments(ctx)) {
      const abs = path.join(dir, file.path);
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, fillAccount ? file.content.split(ACCOUNT_ID_PLACEHOLDER).join(TEST_ACCOUNT) : file.content);
    }
    return { id: v.id, ctx, dir };
  });
}
