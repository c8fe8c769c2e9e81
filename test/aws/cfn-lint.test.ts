/**
 * cfn-lint 1.51 over every variant's infra/stack.yaml plus every variant's ecs/*.json (wrapped as throw-away
 * templates), in ONE invocation (each start costs ~3 s). Zero findings, warnings and informational included:
 * the default `--non-zero-exit-code informational` fails on anything, and W3037 (unknown IAM action) is a warning.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { cleanupTmp, makeTmp } from "../helpers/tmp.js";
import { allVariants, writeVariants, type WrittenVariant } from "./variants.js";
import { wrappedTemplate } from "./wrap.js";

let root: string;
let written: WrittenVariant[];
let result: { status: number | null; stdout: string; stderr: string; seconds: number };

beforeAll(() => {
  root = makeTmp("cfs-cfnlint-");
  written = writeVariants(root, allVariants());
  const stacks: string[] = [];
  for (const w of written) {
    // cfn-lint reports by file name, so give each stack its variant's name.
    const file = path.join(root, `stack-${w.id}.yaml`);
    fs.copyFileSync(path.join(w.dir, "infra/stack.yaml"), file);
    stacks.push(file);
  }
  const wrapped = path.join(root, "wrapped-ecs-json.json");
  fs.writeFileSync(wrapped, wrappedTemplate(written.map((w, i) => ({ dir: w.dir, prefix: `V${i}` }))));
  const started = Date.now();
  const run = spawnSync("cfn-lint", ["--format", "parseable", "--", ...stacks, wrapped], { encoding: "utf8" });
  result = { status: run.status, stdout: run.stdout, stderr: run.stderr, seconds: (Date.now() - started) / 1000 };
  console.log(`cfn-lint: ${stacks.length + 1} files in one run, ${result.seconds.toFixed(1)} s`);
}, 170_000);

afterAll(() => cleanupTmp());

describe("cfn-lint", () => {
  it("lints every stack and every wrapped ecs/*.json with zero findings (warnings and informational included)", () => {
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("");
    expect(result.status).toBe(0);
  });

  it("covers the whole matrix: discovery × arch × tracing × scaling metric", () => {
    const ids = written.map((w) => w.id);
    expect(ids.filter((id) => /^(alb|cloudmap|none)-(x86_64|arm64)-(otel|plain)-(cpu|memory|requests)$/.test(id))).toHaveLength(28);
  });
});
