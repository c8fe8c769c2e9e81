/** The "next steps" text: a pure function of the target, package manager, install outcome and options. */
import { describe, expect, it } from "vitest";
import { getNextSteps, runScript, type NextStepsInput } from "../../src/steps/next-steps.js";

const input = (over: Partial<NextStepsInput> = {}, options: Partial<NextStepsInput["options"]> = {}): NextStepsInput => ({
  directory: "my-svc",
  cwd: "/home/me/work",
  packageManager: "npm",
  installed: false,
  ...over,
  options: { discovery: "alb", name: "my-svc", logGroup: "/ecs/my-svc", region: "us-east-1", createLogGroup: false, port: 8080, ...options },
});

describe("getNextSteps", () => {
  it("default run (npm, install skipped)", () => {
    expect(getNextSteps(input())).toMatchInlineSnapshot(`
      [
        "cd my-svc",
        "npm install",
        "npm test",
        "npm run dev  # http://localhost:8080/healthz, reloads on change",
        "# deploy: README.md → "Deploy" (ECR repository, image push, aws cloudformation deploy)",
        "# optional, before the first deploy: npx create-fargate-service log-group /ecs/my-svc --region us-east-1",
      ]
    `);
  });

  it("is pure: same input, same output", () => {
    expect(getNextSteps(input())).toEqual(getNextSteps(input()));
  });

  it("no cd when the target is the current directory", () => {
    expect(getNextSteps(input({ directory: "." }))[0]).not.toMatch(/^cd /);
    expect(getNextSteps(input({ directory: "/home/me/work" })).some((s) => s.startsWith("cd "))).toBe(false);
  });

  it("cd is relative to where the user is, and quoted when it needs to be", () => {
    expect(getNextSteps(input({ directory: "/home/me/work/apps/svc" }))[0]).toBe("cd apps/svc");
    expect(getNextSteps(input({ directory: "/tmp/x" }))[0]).toBe("cd ../../../tmp/x");
    expect(getNextSteps(input({ directory: "my svc" }))[0]).toBe("cd 'my svc'");
    expect(getNextSteps(input({ directory: "it's" }))[0]).toBe(`cd 'it'\\''s'`);
  });

  it("install is listed only when it did not run", () => {
    expect(getNextSteps(input({ installed: true }))).not.toContain("npm install");
    expect(getNextSteps(input({ installed: false }))).toContain("npm install");
  });

  it.each([
    ["npm", "npm install", "npm test", "npm run dev"],
    ["pnpm", "pnpm install", "pnpm test", "pnpm dev"],
    ["yarn", "yarn install", "yarn test", "yarn dev"],
  ] as const)("uses %s's commands", (pm, install, test, dev) => {
    const steps = getNextSteps(input({ packageManager: pm }));
    expect(steps).toContain(install);
    expect(steps).toContain(test);
    expect(steps.some((s) => s.startsWith(`${dev} `))).toBe(true);
  });

  it("shows the chosen port", () => {
    expect(getNextSteps(input({}, { port: 3000 })).join("\n")).toContain("http://localhost:3000/");
  });

  it("suggests pre-creating the log group only when it was not created, with the region", () => {
    const without = getNextSteps(input({}, { logGroup: "/ecs/a#b", region: "eu-west-1" })).join("\n");
    expect(without).toContain("log-group '/ecs/a#b' --region eu-west-1");
    expect(getNextSteps(input({}, { createLogGroup: true })).join("\n")).not.toContain("log-group");
  });

  it("mentions how to deploy", () => {
    expect(getNextSteps(input()).join("\n")).toMatch(/deploy/i);
  });
});

describe("runScript", () => {
  it.each([
    ["npm", "build", "npm run build"],
    ["pnpm", "build", "pnpm build"],
    ["yarn", "build", "yarn build"],
    ["npm", "test", "npm test"],
  ] as const)("%s %s → %s", (pm, script, cmd) => {
    expect(runScript(pm, script)).toBe(cmd);
  });
});
