/**
 * `check` never crashes on odd but parseable input: every field of the passing fixture's task definition, execution
 * policy and stack resources replaced in turn by null, a number, a string, a list, an object, an unknown Ref and a
 * conditional AWS::NoValue. (The documents are parsed once; each run swaps one document's data.)
 */
import { describe, expect, it } from "vitest";
import { checkProject } from "../../src/check/engine.js";
import { loadTexts } from "../../src/check/load/files.js";
import type { CheckInput, ParsedDoc } from "../../src/check/types.js";
import { readFixture } from "./helpers.js";

const good = readFixture("good");
const base = loadTexts(Object.entries(good).map(([file, text]) => ({ file, text })), false).input;
const ODD: unknown[] = [null, 7, "x", [], {}, { Ref: "Nope" }, { "Fn::If": ["Nope", 1, { Ref: "AWS::NoValue" }] }];

function paths(v: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(v)) return [prefix, ...v.flatMap((x, i) => paths(x, [...prefix, i]))];
  if (v && typeof v === "object") return [prefix, ...Object.entries(v).flatMap(([k, x]) => paths(x, [...prefix, k]))];
  return [prefix];
}

function setAt(root: unknown, path: Array<string | number>, value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(root) as any;
  let cur = copy;
  for (const p of path.slice(0, -1)) cur = cur[p];
  cur[path[path.length - 1]!] = value;
  return copy;
}

function swap(kind: "taskDefinitions" | "policies" | "templates", file: string, data: unknown): CheckInput {
  const docs = base[kind].map((d): ParsedDoc => (d.file === file ? { file, data } : d));
  return { ...base, [kind]: docs };
}

function sweep(kind: "taskDefinitions" | "policies" | "templates", file: string, under: Array<string | number>, odd: unknown[], maxDepth = 99): number {
  const doc = base[kind].find((d) => d.file === file)!.data as any;
  let sub: any = doc;
  for (const p of under) sub = sub[p];
  let runs = 0;
  for (const p of paths(sub).filter((x) => x.length <= maxDepth)) {
    for (const o of odd) {
      const data = setAt(doc, [...under, ...p], o);
      expect(() => checkProject(swap(kind, file, data)), `${file} ${[...under, ...p].join(".")} = ${JSON.stringify(o)}`).not.toThrow();
      runs++;
    }
  }
  return runs;
}

describe("robustness", () => {
  it("ecs/task-definition.json: any field replaced by an odd value", () => {
    expect(sweep("taskDefinitions", "ecs/task-definition.json", [], [null, 7, []])).toBeGreaterThan(200);
  });
  it("ecs/execution-role-policy.json: any field replaced by an odd value", () => {
    expect(sweep("policies", "ecs/execution-role-policy.json", [], ODD.slice(0, 5))).toBeGreaterThan(100);
  });
  it("infra/stack.yaml: any resource field replaced by an odd value or intrinsic", () => {
    // Resources.<Id>.Properties.<Prop>.<index or key>.<field>: deep enough to reach every container field.
    expect(sweep("templates", "infra/stack.yaml", ["Resources"], [null, { Ref: "Nope" }, ODD[6]], 5)).toBeGreaterThan(400);
  }, 60_000);
});
