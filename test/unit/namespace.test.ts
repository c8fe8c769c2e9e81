/** --namespace reaches every place that names the Cloud Map DNS name: stack default, README, deploy section. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { defaultOptions } from "../../src/options/resolve.js";
import { pickServiceOptions } from "../../src/options/schema.js";
import { buildContext } from "../../src/context.js";
import { buildStack, PARAM } from "../../src/artifacts/stack.js";
import { renderProject } from "../../src/write/render.js";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe("--namespace", () => {
  const options = pickServiceOptions(defaultOptions({ directory: "orders", discovery: "cloudmap", namespace: "svc.corp.internal" }, {}));

  it("is the stack's NamespaceName default", () => {
    expect(buildStack(buildContext(options, "0.0.0")).Parameters[PARAM.namespaceName]!.Default).toBe("svc.corp.internal");
  });

  it("is the DNS name the README gives callers", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cfs-ns-"));
    dirs.push(dir);
    await renderProject(options, dir);
    const readme = fs.readFileSync(path.join(dir, "README.md"), "utf8");
    expect(readme).toContain("http://orders.svc.corp.internal:8080");
    expect(readme).not.toMatch(/orders\.internal\b/);
  });
});
