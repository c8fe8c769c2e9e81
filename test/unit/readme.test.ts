import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderFlagTable } from "../../src/options/flag-table.js";
import { OPTION_KEYS, SCHEMA } from "../../src/options/schema.js";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

describe("README", () => {
  it("holds the flag table generated from the schema (run `npm run docs` after changing an option)", () => {
    const section = /<!-- flags:start -->\n([\s\S]*?)\n<!-- flags:end -->/.exec(readme)?.[1];
    expect(section).toBe(renderFlagTable());
  });

  it("names every flag of the schema", () => {
    for (const key of OPTION_KEYS) {
      if (key !== "directory") expect(readme).toContain(`\`--${SCHEMA[key].flag}`);
    }
  });

  it("gives the set-up command and the test command that .ci/run runs", () => {
    expect(readme).toContain("npm ci && npm run create -- ./my-svc --yes");
    expect(readme).toMatch(/^npm test\b/m);
    const ci = readFileSync(new URL("../../.ci/run", import.meta.url), "utf8");
    expect(ci).toMatch(/^npm test$/m);
  });
});
