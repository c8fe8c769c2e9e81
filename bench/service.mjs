#!/usr/bin/env node
/**
 * Benchmark of the generated service against a bare node:http server that answers the same JSON and logs nothing.
 * Prints one Markdown table (paste it into BENCHMARKS.md, "Generated service"). Not a test: numbers, not verdicts.
 *
 *   npm run build && node bench/service.mjs [--rounds 5] [--duration 10] [--reps 10] [--project <generated dir>]
 *
 * It scaffolds a default project (and a --tracing one, for the footprint) with dist/cli.js into a temp dir,
 * installs and builds it, and installs autocannon 9.0.0 next to it (not a dependency of this repo). Method:
 *   - CPU per request: server pinned to core 1, autocannon (-c 50) to core 0; Δ(utime+stime) of the server from
 *     /proc/<pid>/stat over the measured run ÷ requests completed, after a 2 s warm-up; rounds interleave the two
 *     servers and the ratio is taken round by round (median shown).
 *   - Cold start: spawn → first 200 from GET /hello, polled every ~1 ms from core 0; RSS (VmRSS) at that moment and
 *     after 2 s idle.
 *   - Shutdown under load: 50 keep-alive connections; SIGTERM at 2.5 s; the client stops sending 0.5 s later (as a
 *     load balancer does after deregistration); failed = reset / hang-up / non-200 after the request was sent.
 *   - Production node_modules: `npm ci --omit=dev` from the generated lockfile.
 */
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : args[i + 1];
};
const ROUNDS = Number(opt("rounds", 5));
const DURATION = Number(opt("duration", 10));
const REPS = Number(opt("reps", 10));
const CONNECTIONS = 50;
const SHUTDOWN_DELAY_MS = 1000;
const PINNED = os.availableParallelism() >= 2 && hasTaskset();
const CLK_TCK = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
const JSON_BODY = JSON.stringify({ message: "Hello, world!" });

function hasTaskset() {
  try {
    execFileSync("taskset", ["-c", "0", "true"]);
    return true;
  } catch {
    return false;
  }
}

const log = (...m) => console.error("[bench]", ...m);
const delay = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const range = (xs) => `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}`;

function sh(cmd, argv, cwd) {
  execFileSync(cmd, argv, {
    cwd,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, npm_config_fund: "false", npm_config_audit: "false", npm_config_update_notifier: "false" },
  });
}

function dirSize(dir) {
  let bytes = 0;
  let packages = 0;
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (path.basename(d) === "node_modules" || path.basename(path.dirname(d)) === "node_modules") {
          if (fs.existsSync(path.join(p, "package.json")) && !e.name.startsWith(".")) packages++;
        }
        walk(p);
      } else if (e.isFile()) bytes += fs.statSync(p).size;
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return { mb: bytes / 1e6, packages };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function cpuTicks(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

function rssMiB(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

function get(port, pathname = "/hello") {
  return new Promise((resolve) => {
    const req = http.get({ host: "127.0.0.1", port, path: pathname, agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode));
    });
    req.on("error", () => resolve(0));
  });
}

/** Starts a server process (pinned to core 1 when possible) with stdout to a file. */
function startServer(server, port, extraEnv = {}, stdoutFile = "/dev/null") {
  const out = fs.openSync(stdoutFile, "w");
  const argv = [...server.args];
  const cmd = PINNED ? "taskset" : process.execPath;
  const full = PINNED ? ["-c", "1", process.execPath, ...argv] : argv;
  const child = spawn(cmd, full, {
    cwd: server.cwd,
    env: { PATH: process.env.PATH, NODE_ENV: "production", PORT: String(port), ...server.env, ...extraEnv },
    stdio: ["ignore", out, "inherit"],
  });
  fs.closeSync(out);
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal, at: performance.now() })));
  return { child, exited };
}

async function waitReady(port, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if ((await get(port)) === 200) return;
    await delay(5);
  }
  throw new Error(`server on ${port} did not answer`);
}

async function stop(proc) {
  proc.child.kill("SIGKILL");
  await proc.exited;
}

function autocannon(tools, port, seconds) {
  const bin = path.join(tools, "node_modules", "autocannon", "autocannon.js");
  const argv = [bin, "-c", String(CONNECTIONS), "-d", String(seconds), "-j", `http://127.0.0.1:${port}/hello`];
  const out = execFileSync(PINNED ? "taskset" : process.execPath, PINNED ? ["-c", "0", process.execPath, ...argv] : argv, {
    maxBuffer: 64 * 1024 * 1024,
    stdio: ["ignore", "pipe", "ignore"],
  });
  const r = JSON.parse(out.toString());
  return { requests: r.requests.total, rps: r.requests.average, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

async function cpuRound(server, tools) {
  const port = await freePort();
  const proc = startServer(server, port);
  await waitReady(port);
  autocannon(tools, port, 2); // warm-up, not counted
  const before = cpuTicks(proc.child.pid);
  const r = autocannon(tools, port, DURATION);
  const after = cpuTicks(proc.child.pid);
  const rss = rssMiB(proc.child.pid);
  await stop(proc);
  return { usPerReq: (((after - before) * 1e6) / CLK_TCK) / r.requests, rps: r.rps, p99: r.p99, rss, errors: r.errors };
}

async function coldStart(server) {
  const port = await freePort();
  const t0 = performance.now();
  const proc = startServer(server, port);
  for (;;) {
    if ((await get(port)) === 200) break;
    if (performance.now() - t0 > 20_000) throw new Error("no answer");
    await delay(1);
  }
  const ms = performance.now() - t0;
  const rssFirst = rssMiB(proc.child.pid);
  await delay(2000);
  const rssIdle = rssMiB(proc.child.pid);
  await stop(proc);
  return { ms, rssFirst, rssIdle };
}

/** Keep-alive request loops that follow HTTP rules (Connection: close is honoured by the agent). */
async function shutdownUnderLoad(server, logFile) {
  const port = await freePort();
  const proc = startServer(server, port, { SHUTDOWN_DELAY_MS: String(SHUTDOWN_DELAY_MS) }, logFile);
  await waitReady(port);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const stats = { ok: 0, failed: 0, refused: 0, sentBeforeSigterm: 0 };
  let stopped = false;
  let signalled = false;
  const once = () =>
    new Promise((resolve) => {
      if (!signalled) stats.sentBeforeSigterm++;
      const req = http.get({ host: "127.0.0.1", port, path: "/hello", agent }, (res) => {
        res.resume();
        res.on("end", () => {
          if (res.statusCode === 200) stats.ok++;
          else stats.failed++;
          resolve();
        });
        res.on("error", () => {
          stats.failed++;
          resolve();
        });
      });
      req.on("error", (err) => {
        if (err.code === "ECONNREFUSED") stats.refused++;
        else stats.failed++;
        resolve();
      });
    });
  const loops = Promise.all(Array.from({ length: CONNECTIONS }, async () => { while (!stopped) await once(); }));
  await delay(2500);
  const t = performance.now();
  signalled = true;
  proc.child.kill("SIGTERM");
  await delay(500);
  stopped = true;
  await loops;
  agent.destroy();
  const exit = await proc.exited;
  const lines = fs.readFileSync(logFile, "utf8").trim().split("\n").map((l) => JSON.parse(l));
  const logged = lines.filter((l) => l.msg === "request" && l.path === "/hello").length;
  return { ...stats, exitCode: exit.code, exitMs: exit.at - t, lost: stats.ok + 1 - logged };
}

function scaffold(dir, extra) {
  const cli = path.join(ROOT, "dist", "cli.js");
  if (!fs.existsSync(cli)) throw new Error("dist/cli.js is missing: run `npm run build` first");
  execFileSync(process.execPath, [cli, dir, "--yes", "--no-install", "--no-git", ...extra], { cwd: path.dirname(dir), stdio: "ignore" });
}

async function main() {
  // This process (the cold-start poller and the shutdown client) stays off the server's core too.
  if (PINNED) execFileSync("taskset", ["-a", "-p", "-c", "0", String(process.pid)], { stdio: "ignore" });
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), "cfs-bench-"));
  log(`workspace ${ws}${PINNED ? "" : " (taskset unavailable: processes not pinned)"}`);
  let project = opt("project", undefined);
  const tracingProject = path.join(ws, "svc-tracing");
  if (!project) {
    project = path.join(ws, "svc");
    scaffold(project, []);
    scaffold(tracingProject, ["--tracing"]);
  }
  project = path.resolve(project);
  log("installing and building the generated projects");
  for (const dir of [project, tracingProject]) {
    if (!fs.existsSync(path.join(dir, "package.json"))) continue;
    sh("npm", ["install", "--prefer-offline"], dir);
    sh("npm", ["run", "build"], dir);
  }

  const footprint = {};
  for (const [label, dir] of [["without tracing", project], ["with tracing", tracingProject]]) {
    if (!fs.existsSync(path.join(dir, "package.json"))) continue;
    if (!fs.existsSync(path.join(dir, "package-lock.json"))) sh("npm", ["install", "--prefer-offline", "--package-lock-only"], dir);
    const prod = path.join(ws, `prod-${label.replace(/\s+/g, "-")}`);
    fs.mkdirSync(prod);
    fs.copyFileSync(path.join(dir, "package.json"), path.join(prod, "package.json"));
    fs.copyFileSync(path.join(dir, "package-lock.json"), path.join(prod, "package-lock.json"));
    sh("npm", ["ci", "--omit=dev", "--prefer-offline"], prod);
    footprint[label] = dirSize(path.join(prod, "node_modules"));
  }

  const tools = path.join(ws, "tools");
  fs.mkdirSync(tools);
  fs.writeFileSync(path.join(tools, "package.json"), '{"private":true}');
  sh("npm", ["install", "--prefer-offline", "autocannon@9.0.0"], tools);
  // The baselines answer the same JSON; the pino one also writes one log line per request.
  const baselineServer = ({ pino }) => `import http from "node:http";
${pino ? 'import { pino } from "pino";\nconst logger = pino();\n' : ""}const body = ${JSON.stringify(JSON_BODY)};
const server = http.createServer((req, res) => {
${pino ? '  res.on("finish", () => logger.info({ method: req.method, path: req.url, status: res.statusCode }, "request"));\n' : ""}  res.statusCode = 200;
  res.setHeader("content-type", "application/json; charset=utf-8");
  res.end(body);
});
server.keepAliveTimeout = 65000;
server.headersTimeout = 66000;
server.listen(Number(process.env.PORT), "0.0.0.0");
process.on("SIGTERM", () => process.exit(0));
`;
  const barePath = path.join(ws, "bare.mjs");
  fs.writeFileSync(barePath, baselineServer({ pino: false }));
  // node:http + one pino line per request, nothing else: an anchor for what pino alone costs on this machine. It
  // lives in the project so it finds pino.
  const pinoPath = path.join(project, "bench-pino-only.mjs");
  fs.writeFileSync(pinoPath, baselineServer({ pino: true }));
  const cmdOf = (dir) => JSON.parse(/^CMD (\[.*\])$/m.exec(fs.readFileSync(path.join(dir, "Dockerfile"), "utf8"))[1]).slice(1);
  const servers = {
    bare: { args: [barePath], cwd: ws, env: {} },
    "pino-only": { args: [pinoPath], cwd: project, env: {} },
    generated: { args: cmdOf(project), cwd: project, env: {} },
  };
  if (fs.existsSync(path.join(tracingProject, "dist"))) {
    // Spans go nowhere (nothing listens on port 9): the cost of tracing without the collector's.
    servers.tracing = { args: cmdOf(tracingProject), cwd: tracingProject, env: { OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:9" } };
  }
  const names = Object.keys(servers);

  // Each round runs every server once, in an order that alternates, so drift in the machine's load hits all alike.
  const order = (i) => (i % 2 ? [...names].reverse() : names);
  log(`CPU per request: ${ROUNDS} rounds × ${DURATION} s × ${names.length} servers`);
  const cpu = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < ROUNDS; i++) {
    for (const name of order(i)) cpu[name].push(await cpuRound(servers[name], tools));
    log(`  round ${i + 1}: ${names.map((n) => `${n} ${cpu[n].at(-1).usPerReq.toFixed(1)}`).join(", ")} µs/req`);
  }
  log(`cold start and idle RSS: ${REPS} reps`);
  const cold = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < REPS; i++) {
    for (const name of order(i)) cold[name].push(await coldStart(servers[name]));
  }
  log("shutdown under load: 3 runs");
  const shutdown = [];
  for (let i = 0; i < 3; i++) shutdown.push(await shutdownUnderLoad(servers.generated, path.join(ws, `shutdown-${i}.log`)));

  const pairs = (a, b, f) => a.map((x, i) => f(x) / f(b[i]));
  const cpuRatio = median(pairs(cpu.generated, cpu.bare, (r) => r.usPerReq));
  const rpsRatio = median(pairs(cpu.generated, cpu.bare, (r) => r.rps));
  const coldRatio = median(pairs(cold.generated, cold.bare, (r) => r.ms));
  const rssRatio = median(pairs(cold.generated, cold.bare, (r) => r.rssIdle));
  const cpuModel = /model name\s*:\s*(.+)/.exec(fs.readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? os.cpus()[0]?.model;
  const row = (name, r, c) =>
    `| ${name} | ${median(r.map((x) => x.usPerReq)).toFixed(1)} [${range(r.map((x) => x.usPerReq))}] | ${Math.round(median(r.map((x) => x.rps)))} | ${median(r.map((x) => x.p99))} ms | ${median(c.map((x) => x.ms)).toFixed(0)} ms [${range(c.map((x) => x.ms))}] | ${median(c.map((x) => x.rssIdle)).toFixed(1)} MiB | ${median(r.map((x) => x.rss)).toFixed(1)} MiB |`;

  const out = [];
  out.push(`Measured ${new Date().toISOString().slice(0, 10)} on ${cpuModel}, ${os.cpus().length} vCPU, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}; load average before the run ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}.`);
  out.push(`Command: \`node bench/service.mjs --rounds ${ROUNDS} --duration ${DURATION} --reps ${REPS}\`${PINNED ? " (server pinned to core 1, autocannon to core 0)" : " (not pinned)"}.`);
  out.push("");
  out.push("| Server | CPU µs/request, median [range] | req/s | p99 | Cold start (spawn → first 200) | Idle RSS | RSS under load |");
  out.push("|---|---:|---:|---:|---:|---:|---:|");
  const labels = {
    bare: "bare `node:http`, no logging",
    "pino-only": "`node:http` + one pino line per request (anchor)",
    generated: "**generated service** (`GET /hello`, 1 JSON log line per request)",
    tracing: "generated service with `--tracing` (informational)",
  };
  for (const n of names) out.push(row(labels[n], cpu[n], cold[n]));
  out.push("");
  out.push("| Goal | Bound | Measured (paired median) | |");
  out.push("|---|---:|---:|---|");
  out.push(`| CPU per request ÷ bare | ≤ 1.6× | ${cpuRatio.toFixed(2)}× | ${cpuRatio <= 1.6 ? "met" : "missed"} |`);
  out.push(`| req/s ÷ bare (informational) | | ${rpsRatio.toFixed(2)}× | |`);
  out.push(`| Cold start ÷ bare | ≤ 1.5× | ${coldRatio.toFixed(2)}× | ${coldRatio <= 1.5 ? "met" : "missed"} |`);
  out.push(`| Idle RSS ÷ bare | ≤ 1.25× | ${rssRatio.toFixed(2)}× | ${rssRatio <= 1.25 ? "met" : "missed"} |`);
  const anchor = (f) => median(pairs(cpu["pino-only"], cpu.bare, f));
  out.push(`| (anchor) pino-only ÷ bare: CPU, cold start, idle RSS | | ${anchor((r) => r.usPerReq).toFixed(2)}×, ${median(pairs(cold["pino-only"], cold.bare, (r) => r.ms)).toFixed(2)}×, ${median(pairs(cold["pino-only"], cold.bare, (r) => r.rssIdle)).toFixed(2)}× | |`);
  if (cpu.tracing) {
    out.push(`| (informational) with --tracing ÷ bare: CPU, cold start, idle RSS | | ${median(pairs(cpu.tracing, cpu.bare, (r) => r.usPerReq)).toFixed(2)}×, ${median(pairs(cold.tracing, cold.bare, (r) => r.ms)).toFixed(2)}×, ${median(pairs(cold.tracing, cold.bare, (r) => r.rssIdle)).toFixed(2)}× | |`);
  }
  for (const [label, f] of Object.entries(footprint)) {
    const bound = label === "without tracing" ? "≤ 10 MB" : "(reported)";
    const verdict = label === "without tracing" ? (f.mb <= 10 ? "met" : "missed") : "";
    out.push(`| Production node_modules, ${label} | ${bound} | ${f.mb.toFixed(1)} MB, ${f.packages} packages | ${verdict} |`);
  }
  const failed = shutdown.map((s) => s.failed);
  const lost = shutdown.map((s) => s.lost);
  const exits = shutdown.map((s) => s.exitMs - SHUTDOWN_DELAY_MS);
  out.push(`| Shutdown under load: failed requests (${shutdown.map((s) => s.sentBeforeSigterm).join(", ")} sent before SIGTERM) | 0 | ${failed.join(", ")} (refused: ${shutdown.map((s) => s.refused).join(", ")}) | ${failed.every((f) => f === 0) ? "met" : "missed"} |`);
  out.push(`| Shutdown: exit after SIGTERM − SHUTDOWN_DELAY_MS (${SHUTDOWN_DELAY_MS} ms), exit code | ≤ 100 ms, 0 | ${exits.map((e) => `${e.toFixed(0)} ms`).join(", ")}; codes ${shutdown.map((s) => s.exitCode).join(", ")} | ${exits.every((e) => e <= 100) && shutdown.every((s) => s.exitCode === 0) ? "met" : "missed"} |`);
  out.push(`| Shutdown: log lines lost | 0 | ${lost.join(", ")} | ${lost.every((l) => l === 0) ? "met" : "missed"} |`);
  console.log(out.join("\n"));
  if (!args.includes("--keep")) fs.rmSync(ws, { recursive: true, force: true });
}

await main();
