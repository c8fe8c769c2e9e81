/**
 * The AWS SDK is loaded only on the paths that create a log group.
 * Each run is a child `node --import <register>` whose module.register() resolve hook appends every resolved module
 * URL to a file. Two CLIs are checked:
 *  - the harness bundle of src/bin.ts with packages external: an SDK load shows up as a node_modules/@aws-sdk/ URL;
 *  - dist/cli.js when built (SDK bundled into chunks): an SDK load shows up as a loaded file containing the
 *    CloudWatch Logs protocol target prefix, which only the SDK's code holds.
 * A positive control (a real run) proves the detector sees the SDK when it is loaded.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startFaultServer, type FaultServer } from "../helpers/logs-fault-server.js";
import { ROOT, buildHarness, cleanEnv, distIsFresh, runNode } from "../helpers/log-group-cli.js";
import { makeTmp, cleanupTmp } from "../helpers/tmp.js";
import { writeResolveHook } from "../../bench/lib/module-graph.mjs";

let fault: FaultServer;
let hookDir: string;
let registerHook: string;
const SDK_SIGNATURE = ["Logs", "20140328"].join("_"); // kept split so this file never matches itself

beforeAll(async () => {
  fault = await startFaultServer();
  hookDir = makeTmp("cfs-lazy-hook-");
  // The same resolve hook the module-graph test and the bench use: it logs every resolved URL to CFS_MODULE_LOG.
  registerHook = writeResolveHook(hookDir);
});

afterAll(async () => {
  await fault?.close();
  cleanupTmp();
});

let runs = 0;
/** Run the CLI with the resolve hook; returns the exit code, stderr and whether any SDK module was loaded. */
async function loads(cli: string, args: string[], cwd = ROOT): Promise<{ code: number | null; stderr: string; sdk: string[]; modules: number }> {
  const log = path.join(hookDir, `resolved-${++runs}.txt`);
  fs.writeFileSync(log, "");
  const env = cleanEnv({
    AWS_ACCESS_KEY_ID: "AKIAEXAMPLE",
    AWS_SECRET_ACCESS_KEY: "secret",
    AWS_REGION: "us-east-1",
    AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: fault.endpoint,
    AWS_MAX_ATTEMPTS: "1",
    CFS_MODULE_LOG: log,
  });
  const r = await runNode(["--import", pathToFileURL(registerHook).href, cli, ...args], { env, cwd });
  const urls = [...new Set(fs.readFileSync(log, "utf8").split("\n").filter(Boolean))];
  const sdk = urls.filter((u) => {
    if (u.includes("/node_modules/@aws-sdk/")) return true;
    if (!u.startsWith("file:") || u.includes("/node_modules/")) return false;
    const file = fileURLToPath(u);
    return file.startsWith(path.join(ROOT, "dist")) && fs.readFileSync(file, "utf8").includes(SDK_SIGNATURE);
  });
  return { code: r.code, stderr: r.stderr, sdk, modules: urls.length };
}

const CLIS: Array<{ kind: string; path: () => Promise<string>; available: boolean }> = [
  { kind: "harness (src/bin.ts, packages external)", path: buildHarness, available: true },
  { kind: "dist/cli.js", path: async () => path.join(ROOT, "dist/cli.js"), available: distIsFresh() },
];

describe.each(CLIS.filter((c) => c.available))("the SDK stays unloaded: $kind", ({ path: cliPath }) => {
  it("--help, log-group --help, a usage error, a log-group --dry-run and a scaffold without --create-log-group load no @aws-sdk module", async () => {
    const cli = await cliPath();
    const cwd = makeTmp("cfs-lazy-cwd-");
    const cases: Array<[string[], number]> = [
      [["--help"], 0],
      [["log-group", "--help"], 0],
      [["log-group", "bad name", "--retention", "2"], 2],
      [["log-group", "/ecs/x", "--region", "us-east-1", "--retention", "14", "--dry-run"], 0],
      [["svc-dry", "--yes", "--dry-run", "--no-install", "--no-git", "--region", "us-east-1"], 0],
      [["svc-real", "--yes", "--no-install", "--no-git", "--region", "us-east-1"], 0],
    ];
    for (const [args, code] of cases) {
      const r = await loads(cli, args, cwd);
      expect({ args, code: r.code }, r.stderr).toEqual({ args, code });
      expect(r.modules, "the hook saw the run").toBeGreaterThan(0);
      expect({ args, sdk: r.sdk }).toEqual({ args, sdk: [] });
    }
    expect(fault.requests).toEqual([]);
  });

  it("control: a real log-group run does load the SDK (the detector works)", async () => {
    const r = await loads(await cliPath(), ["log-group", "/ecs/x", "--region", "us-east-1", "--retention", "14"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.sdk.length).toBeGreaterThan(0);
    expect(fault.requests.length).toBeGreaterThan(0);
    fault.reset();
  });
});
