/** The "next steps" text: a pure function of what was generated and which steps ran. */
import path from "node:path";
import type { PackageManager, ServiceOptions } from "../options/schema.js";
import { shellQuote } from "../ui.js";

export interface NextStepsInput {
  /** Target as the user typed it. */
  directory: string;
  cwd: string;
  packageManager: PackageManager;
  installed: boolean;
  options: Pick<ServiceOptions, "discovery" | "name" | "logGroup" | "region" | "createLogGroup" | "port">;
}

export function runScript(pm: PackageManager, script: string): string {
  if (script === "test") return `${pm} test`;
  return pm === "npm" ? `npm run ${script}` : `${pm} ${script}`;
}

export function getNextSteps(input: NextStepsInput): string[] {
  const steps: string[] = [];
  const rel = path.relative(input.cwd, path.resolve(input.cwd, input.directory));
  if (rel !== "") steps.push(`cd ${shellQuote(rel)}`);
  if (!input.installed) steps.push(`${input.packageManager} install`);
  if (input.packageManager !== "npm") {
    // The Dockerfile builds with `npm ci`, which needs package-lock.json next to the pnpm/yarn lockfile.
    steps.push("npm install --package-lock-only  # the image build (npm ci) needs package-lock.json");
  }
  steps.push(runScript(input.packageManager, "test"));
  steps.push(`${runScript(input.packageManager, "dev")}  # http://localhost:${input.options.port}/healthz, reloads on change`);
  steps.push(`# deploy: README.md → "Deploy" (ECR repository, image push, aws cloudformation deploy)`);
  if (!input.options.createLogGroup) {
    steps.push(
      `# optional, before the first deploy: npx create-fargate-service log-group ${shellQuote(input.options.logGroup)} --region ${input.options.region}`,
    );
  }
  return steps;
}
