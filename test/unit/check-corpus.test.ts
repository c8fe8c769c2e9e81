/**
 * A corpus of realistic broken projects (test/check/fixtures/corpus/<name>/), each modelled on a failure users report
 * (each README.md tells the story), with the exact findings `check` must produce (expected.json).
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES, readFixture, run } from "../check/helpers.js";

const CORPUS = path.join(FIXTURES, "corpus");
const cases = fs.readdirSync(CORPUS).filter((d) => fs.existsSync(path.join(CORPUS, d, "expected.json")));

describe("corpus of broken projects", () => {
  it("has the failure stories", () => {
    expect(cases.length).toBeGreaterThanOrEqual(8);
  });

  it.each(cases)("%s", (name) => {
    const expected = JSON.parse(fs.readFileSync(path.join(CORPUS, name, "expected.json"), "utf8")) as Array<{ rule: string; file: string; field: string }>;
    const findings = run(readFixture(`corpus/${name}`));
    const got = findings.map((f) => ({ rule: f.rule, file: f.file, field: f.field }));
    const key = (x: { rule: string; file: string; field: string }) => `${x.rule} ${x.file} ${x.field}`;
    expect(got.map(key).sort()).toEqual(expected.map(key).sort());
  });
});
