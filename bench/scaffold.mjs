#!/usr/bin/env node
// Scaffolder benchmark: create-fargate-service against create-vite and a bare `node -e 0`, side by side in one run.
//
//   npm ci && node bench/scaffold.mjs                 # the table, PASS/FAIL per goal; exit 1 if any goal fails
//   node bench/scaffold.mjs --runs 30 --update        # …and rewrite the "## Scaffolder" section of BENCHMARKS.md
//
// What it does (everything it installs goes into one temporary directory, removed at the end unless --keep):
//  1. builds the package (scripts/build.mjs, as `npm run build`), packs it (`npm pack --json`) and installs the
//     tarball and create-vite@9.3.0 from the npm registry into <tmp>/tools;
//  2. wall time, paired and interleaved (one round = every command once, in rotating order, each in a fresh empty
//     working directory, after 2 warm-up rounds), measured in Node from spawn to exit with process.hrtime;
//     ratios are taken round by round and the median is reported. The scaffold core's compile cache lives in a
//     directory of this run (NODE_COMPILE_CACHE); a scaffold with NODE_DISABLE_COMPILE_CACHE=1 is timed too;
//  3. peak RSS with /usr/bin/time -f %M (Debian/Ubuntu: `apt-get install time`), interleaved the same way;
//  4. cold `npx` from an empty npm cache against local tarballs of both packages (no registry involved);
//  5. the modules each path loads (a resolve hook + esbuild's metafile, see bench/lib/module-graph.mjs).
// Cross-check with public tools: hyperfine -N --warmup 2 'node -e 0' 'node <tmp>/tools/node_modules/create-fargate-service/dist/cli.js --help'
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { HEAVY, ROOT, chunkContents, loadedModules, matches, writeResolveHook } from "./lib/module-graph.mjs";

const { values: opt } = parseArgs({
  options: {
    runs: { type: "string", default: "20" },
    "rss-runs": { type: "string", default: "9" },
    "npx-runs": { type: "string", default: "5" },
    "create-vite": { type: "string", default: "9.3.0" },
    update: { type: "boolean", default: false },
    json: { type: "string" },
    keep: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (opt.help) {
  console.log("usage: node bench/scaffold.mjs [--runs 20] [--rss-runs 9] [--npx-runs 5] [--create-vite 9.3.0] [--update] [--json file] [--keep]");
  process.exit(0);
}
const RUNS = Number(opt.runs);
const RSS_RUNS = Number(opt["rss-runs"]);
const NPX_RUNS = Number(opt["npx-runs"]);
const WARMUP = 2;
const GOALS = { scaffold: 1.5, help: 1.3, rss: 1.5, deps: 5, unpackedMB: 5, npx: 2 };

const log = (...a) => console.error(...a);
const npmEnv = { ...process.env, npm_config_fund: "false", npm_config_audit: "false", npm_config_update_notifier: "false", npm_config_loglevel: "error" };
const npm = (args, cwd, env = npmEnv) => execFileSync("npm", args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmtMs = (ms) => `${ms.toFixed(0)} ms`;
const fmtX = (x) => `${x.toFixed(2)}×`;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cfs-bench-"));
const cwds = path.join(tmp, "cwd");
fs.mkdirSync(cwds);
let cwdCount = 0;
const freshCwd = () => {
  const d = path.join(cwds, String(++cwdCount));
  fs.mkdirSync(d);
  return d;
};

/** One process from spawn to exit; resolves with wall ms. Fails loudly on a non-zero exit. */
function timed(cmd, args, { cwd = freshCwd(), env = process.env } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("exit", (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code !== 0) reject(new Error(`${cmd} ${args.join(" ")} exited ${code}\n${err.slice(-2000)}`));
      else resolve(ms);
    });
  });
}

/** Rounds of every command once, order rotating each round; warm-up rounds discarded. Returns ms per command. */
async function interleave(cmds, runs, measure) {
  const out = Object.fromEntries(Object.keys(cmds).map((k) => [k, []]));
  const names = Object.keys(cmds);
  for (let round = 0; round < runs + WARMUP; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length];
      const v = await measure(cmds[name], name);
      if (round >= WARMUP) out[name].push(v);
    }
    process.stderr.write(".");
  }
  process.stderr.write("\n");
  return out;
}
const pairedRatio = (a, b) => median(a.map((x, i) => x / b[i]));

function machine() {
  const cpu = /model name\s*:\s*(.*)/.exec(fs.readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? os.cpus()[0]?.model ?? "unknown";
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    nproc: os.availableParallelism?.() ?? os.cpus().length,
    cpu,
    memGiB: (os.totalmem() / 2 ** 30).toFixed(0),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    npm: npm(["--version"], ROOT).trim(),
    load: os.loadavg().map((l) => l.toFixed(2)).join(" "),
  };
}

const results = { machine: machine(), rows: [], modules: [] };
let ok = true;
const row = (id, what, measured, goal, pass, detail = "") => {
  results.rows.push({ id, what, measured, goal, pass, detail });
  if (!pass) ok = false;
};

try {
  // 1. Build, pack, install.
  log(`building (scripts/build.mjs) and packing into ${tmp}`);
  const { buildCli } = await import("../scripts/build.mjs");
  const distDir = path.join(ROOT, "dist");
  const build = await buildCli({ outdir: distDir });
  const chunks = chunkContents(build.metafile, distDir);
  const pkgJson = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
  const [pack] = JSON.parse(npm(["pack", "--json", "--pack-destination", tmp], ROOT));
  const tarball = path.join(tmp, pack.filename);
  const cvTarballName = JSON.parse(npm(["pack", "--json", "--pack-destination", tmp, `create-vite@${opt["create-vite"]}`], tmp))[0].filename;
  const cvTarball = path.join(tmp, cvTarballName);
  const tools = path.join(tmp, "tools");
  fs.mkdirSync(tools);
  fs.writeFileSync(path.join(tools, "package.json"), '{ "private": true }\n');
  log("installing both tarballs into <tmp>/tools");
  npm(["install", "--no-save", tarball, cvTarball], tools);
  const solo = path.join(tmp, "solo");
  fs.mkdirSync(solo);
  fs.writeFileSync(path.join(solo, "package.json"), '{ "private": true }\n');
  npm(["install", "--no-save", tarball], solo);
  const installed = fs.readdirSync(path.join(solo, "node_modules")).filter((n) => !n.startsWith("."));
  const installedCount = installed.reduce((n, d) => n + (d.startsWith("@") ? fs.readdirSync(path.join(solo, "node_modules", d)).length : 1), 0);

  const cfsCli = path.join(tools, "node_modules", pkgJson.name, "dist", "cli.js");
  const cvCli = path.join(tools, "node_modules", "create-vite", "index.js");
  const cmds = {
    floor: ["-e", "0"],
    createVite: [cvCli, "app", "--template", "vanilla-ts", "--no-interactive", "--no-immediate"],
    scaffold: [cfsCli, "app", "--yes", "--no-install", "--no-git"],
    // informational: a scaffold that cannot use the scaffold core's compile cache (as the very first run on a machine)
    scaffoldNoCache: [cfsCli, "app", "--yes", "--no-install", "--no-git"],
    help: [cfsCli, "--help"],
    // informational: the same help rendered by commander, through the scaffold core (what --help cost before it was prebuilt)
    helpCommander: [cfsCli, "-h", "--help"],
  };
  // The scaffold core's V8 compile cache (src/core-loader.ts) goes to a directory of this run, written by
  // the first scaffold (a warm-up round), as on a user's machine after the first run.
  const compileCache = path.join(tmp, "node-compile-cache");
  const benchEnv = { ...process.env, NODE_COMPILE_CACHE: compileCache };
  delete benchEnv.NODE_DISABLE_COMPILE_CACHE;
  const envFor = (name) => (name === "scaffoldNoCache" ? { ...benchEnv, NODE_DISABLE_COMPILE_CACHE: "1" } : benchEnv);
  results.commands = Object.fromEntries(
    Object.entries(cmds).map(([k, a]) => [k, `${k === "scaffoldNoCache" ? "NODE_DISABLE_COMPILE_CACHE=1 " : ""}node ${a.join(" ").replaceAll(tmp, "<tmp>")}`]),
  );

  // 2. Wall time.
  log(`wall time: ${RUNS} rounds (+${WARMUP} warm-up) of ${Object.keys(cmds).join(", ")}`);
  const wall = await interleave(cmds, RUNS, (args, name) => timed(process.execPath, args, { env: envFor(name) }));
  const med = Object.fromEntries(Object.entries(wall).map(([k, v]) => [k, median(v)]));
  results.wall = { medianMs: med, runs: RUNS };
  const scaffoldVsVite = pairedRatio(wall.scaffold, wall.createVite);
  const helpVsFloor = pairedRatio(wall.help, wall.floor);
  results.wall.ratios = {
    scaffoldVsCreateVite: scaffoldVsVite,
    helpVsFloor,
    scaffoldVsFloor: pairedRatio(wall.scaffold, wall.floor),
    scaffoldNoCacheVsCreateVite: pairedRatio(wall.scaffoldNoCache, wall.createVite),
    createViteVsFloor: pairedRatio(wall.createVite, wall.floor),
    helpCommanderVsFloor: pairedRatio(wall.helpCommander, wall.floor),
  };
  row("S1", "`<dir> --yes --no-install --no-git` wall ÷ create-vite `vanilla-ts` (compile cache written by an earlier run; without it: below the table)", `${fmtX(scaffoldVsVite)} (${fmtMs(med.scaffold)} vs ${fmtMs(med.createVite)})`, `≤ ${GOALS.scaffold}×`, scaffoldVsVite <= GOALS.scaffold);
  row("S2", "`--help` wall ÷ `node -e 0`", `${fmtX(helpVsFloor)} (${fmtMs(med.help)} vs ${fmtMs(med.floor)})`, `≤ ${GOALS.help}×`, helpVsFloor <= GOALS.help);

  // 3. Peak RSS.
  const timeBin = "/usr/bin/time";
  if (fs.existsSync(timeBin)) {
    log(`peak RSS: ${RSS_RUNS} rounds with ${timeBin} -f %M`);
    const rssFile = path.join(tmp, "rss.txt");
    const rss = await interleave({ floor: cmds.floor, createVite: cmds.createVite, scaffold: cmds.scaffold }, RSS_RUNS, async (args) => {
      await timed(timeBin, ["-f", "%M", "-o", rssFile, process.execPath, ...args], { env: benchEnv });
      return Number(fs.readFileSync(rssFile, "utf8").trim().split("\n").pop()) / 1024;
    });
    const r = pairedRatio(rss.scaffold, rss.floor);
    results.rss = { medianMiB: { floor: median(rss.floor), createVite: median(rss.createVite), scaffold: median(rss.scaffold) }, ratio: r, createViteRatio: pairedRatio(rss.createVite, rss.floor) };
    row("S3", "peak RSS of the scaffold ÷ `node -e 0`", `${fmtX(r)} (${median(rss.scaffold).toFixed(1)} vs ${median(rss.floor).toFixed(1)} MiB)`, `≤ ${GOALS.rss}×`, r <= GOALS.rss);
  } else {
    row("S3", "peak RSS of the scaffold ÷ `node -e 0`", "not measured: /usr/bin/time is missing (apt-get install time)", `≤ ${GOALS.rss}×`, false);
  }

  // 4. Package footprint.
  const deps = Object.keys(pkgJson.dependencies ?? {}).length;
  row("S4", "runtime dependencies (package.json)", `${deps} (installs ${installedCount} package${installedCount === 1 ? "" : "s"}: ${installed.join(", ")})`, `≤ ${GOALS.deps}`, deps <= GOALS.deps);
  const unpackedMB = pack.unpackedSize / 1e6;
  results.pack = { filename: pack.filename, size: pack.size, unpackedSize: pack.unpackedSize, entryCount: pack.entryCount, createVite: cvTarballName };
  row("S5", "unpacked size (`npm pack --json`)", `${unpackedMB.toFixed(2)} MB, ${pack.entryCount} files (tarball ${(pack.size / 1e3).toFixed(0)} kB)`, `≤ ${GOALS.unpackedMB} MB`, unpackedMB <= GOALS.unpackedMB);

  // 5. Cold npx from an empty cache, both from local tarballs.
  log(`cold npx: ${NPX_RUNS} rounds, each with an empty npm cache`);
  let cacheCount = 0;
  const npx = await interleave(
    {
      createVite: ["--package", cvTarball, "--", "create-vite", ...cmds.createVite.slice(1)],
      cfs: ["--package", tarball, "--", pkgJson.name, ...cmds.scaffold.slice(1)],
    },
    NPX_RUNS,
    (args) => {
      // Cold for both: an empty npm cache, and an empty compile cache for the scaffold core.
      const cache = path.join(tmp, `npm-cache-${++cacheCount}`);
      const env = { ...npmEnv, NODE_COMPILE_CACHE: path.join(tmp, `compile-cache-${cacheCount}`) };
      return timed("npx", ["--yes", "--cache", cache, "--prefer-offline", ...args], { env });
    },
  );
  const npxRatio = pairedRatio(npx.cfs, npx.createVite);
  results.npx = { medianMs: { cfs: median(npx.cfs), createVite: median(npx.createVite) }, ratio: npxRatio, runs: NPX_RUNS };
  row("S6", "cold `npx` (empty cache, local tarball) ÷ create-vite's", `${fmtX(npxRatio)} (${fmtMs(median(npx.cfs))} vs ${fmtMs(median(npx.createVite))})`, `≤ ${GOALS.npx}×`, npxRatio <= GOALS.npx);

  // 6. Modules loaded per path, on the installed copy.
  const register = writeResolveHook(path.join(tmp, "hook"));
  const installedDist = path.dirname(cfsCli);
  const paths = [
    { path: "--help", args: ["--help"], forbid: ["prompts", "execa", "aws", "render"] },
    { path: "<dir> --yes --no-install --no-git", args: cmds.scaffold.slice(1), forbid: ["prompts", "execa", "aws"] },
    { path: "<dir> --yes --no-install --git", args: ["app", "--yes", "--no-install", "--git"], forbid: ["prompts", "aws"] },
    { path: "<dir> --interactive (stdin closed)", args: ["app", "--interactive", "--no-install", "--no-git"], stdin: "pipe", forbid: ["execa", "aws"] },
    { path: "log-group <name> --dry-run", args: ["log-group", "/ecs/bench", "--region", "us-east-1", "--retention", "14", "--dry-run"], forbid: ["prompts", "execa", "render"] },
  ];
  let modulesOk = true;
  for (const p of paths) {
    const r = await loadedModules({ cli: cfsCli, distDir: installedDist, chunks, register, args: p.args, cwd: freshCwd(), stdin: p.stdin ?? "ignore" });
    const heavy = Object.entries(HEAVY).flatMap(([group, prefixes]) => (r.packages.some((pkg) => matches(pkg, prefixes)) ? [group] : []));
    const bad = heavy.filter((g) => p.forbid.includes(g));
    // node-plop's own inquirer 9 / rxjs must never load, on any path.
    if (r.packages.includes("inquirer") || r.packages.includes("rxjs")) bad.push("inquirer 9/rxjs");
    if (bad.length) modulesOk = false;
    results.modules.push({ path: p.path, files: r.files.length, kib: Math.round(r.bytes / 1024), heavy, bad, packages: r.packages, builtins: r.builtins });
  }
  row("S7", "heavy modules only where used (prompt library, execa, AWS SDK)", modulesOk ? "as required on every path below" : "violations: see the modules table", "prompts only when prompting, execa only for install/git, the SDK only for the log group", modulesOk);
} catch (err) {
  ok = false;
  log(String(err?.stack ?? err));
  results.error = String(err?.message ?? err);
} finally {
  if (!opt.keep) fs.rmSync(tmp, { recursive: true, force: true });
  else log(`kept ${tmp}`);
}

// Report.
const m = results.machine;
const lines = [];
lines.push(`Measured ${m.date} on ${m.nproc} × ${m.cpu}, ${m.memGiB} GiB RAM, ${m.os}; Node ${m.node}, npm ${m.npm}; load average at the start ${m.load}.`);
lines.push(`Command: \`node bench/scaffold.mjs --runs ${RUNS} --rss-runs ${RSS_RUNS} --npx-runs ${NPX_RUNS}\` (from a clean clone after \`npm ci\`). Ratios are medians of per-round ratios; rounds interleave the commands.`);
lines.push("");
lines.push("| # | what | measured | goal | result |");
lines.push("|---|---|---|---|---|");
for (const r of results.rows) lines.push(`| ${r.id} | ${r.what} | ${r.measured} | ${r.goal} | ${r.pass ? "PASS" : "**FAIL**"} |`);
if (results.wall) {
  const w = results.wall;
  lines.push("");
  lines.push(`Medians of ${w.runs} rounds: \`node -e 0\` ${fmtMs(w.medianMs.floor)}; create-vite ${fmtMs(w.medianMs.createVite)} (${fmtX(w.ratios.createViteVsFloor)} the floor); scaffold ${fmtMs(w.medianMs.scaffold)} (${fmtX(w.ratios.scaffoldVsFloor)} the floor); scaffold without the compile cache ${fmtMs(w.medianMs.scaffoldNoCache)} (${fmtX(w.ratios.scaffoldNoCacheVsCreateVite)} create-vite); \`--help\` ${fmtMs(w.medianMs.help)}; commander's help (\`-h --help\`) ${fmtMs(w.medianMs.helpCommander)} (${fmtX(w.ratios.helpCommanderVsFloor)} the floor).` +
    (results.rss ? ` Peak RSS: \`node -e 0\` ${results.rss.medianMiB.floor.toFixed(1)} MiB, create-vite ${results.rss.medianMiB.createVite.toFixed(1)} MiB (${fmtX(results.rss.createViteRatio)}), scaffold ${results.rss.medianMiB.scaffold.toFixed(1)} MiB.` : ""));
}
if (results.modules.length) {
  lines.push("");
  lines.push("Modules loaded per path (dist files loaded, their size, and the heavy packages bundled in them):");
  lines.push("");
  lines.push("| path | files | KiB | heavy packages loaded | packages |");
  lines.push("|---|---:|---:|---|---|");
  for (const r of results.modules) {
    const heavy = r.heavy.length ? r.heavy.join(", ") : "none";
    lines.push(`| \`${r.path}\` | ${r.files} | ${r.kib} | ${heavy}${r.bad.length ? ` **(not allowed: ${r.bad.join(", ")})**` : ""} | ${summarisePackages(r.packages) || "none"} |`);
  }
}
if (results.commands) {
  lines.push("");
  lines.push("Commands timed (each in a fresh empty directory; `<tmp>` is the script's temporary directory):");
  lines.push("");
  for (const [k, c] of Object.entries(results.commands)) lines.push(`- ${k}: \`${c}\``);
  lines.push(`- cold npx: \`npx --yes --cache <empty dir> --prefer-offline --package <tarball> -- <bin> …\` with the scaffold arguments above, for both packages (create-vite from \`npm pack create-vite@${opt["create-vite"]}\`)`);
}
const report = lines.join("\n");
console.log(report);

function summarisePackages(pkgs) {
  const scopes = new Map();
  for (const p of pkgs) {
    const key = p.startsWith("@") ? `${p.split("/")[0]}/*` : p;
    scopes.set(key, (scopes.get(key) ?? 0) + 1);
  }
  return [...scopes].map(([k, n]) => (n > 1 ? `${k} (${n})` : k)).join(", ");
}

if (opt.json) fs.writeFileSync(opt.json, `${JSON.stringify(results, null, 2)}\n`);
if (opt.update && !results.error) {
  const file = path.join(ROOT, "BENCHMARKS.md");
  const header = "# Benchmarks\n\nFigures measured on one machine, side by side in one run, so the ratios are what to compare. Rerun them with the commands given in each section.\n";
  let text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : header;
  // Only the generated block is replaced; notes written around it in the section are kept.
  const START = "<!-- bench/scaffold.mjs: generated, rerun with --update -->";
  const END = "<!-- /bench/scaffold.mjs -->";
  const block = `${START}\n${report}\n${END}`;
  const section = /^## Scaffolder\n[\s\S]*?(?=^## |(?![\s\S]))/m;
  if (text.includes(START) && text.includes(END)) text = text.slice(0, text.indexOf(START)) + block + text.slice(text.indexOf(END) + END.length);
  else if (section.test(text)) text = text.replace(section, `## Scaffolder\n\n${block}\n\n`);
  else text = `${text.trimEnd()}\n\n## Scaffolder\n\n${block}\n`;
  fs.writeFileSync(file, `${text.trimEnd()}\n`);
  log(`updated ${path.relative(process.cwd(), file)} (## Scaffolder)`);
}
process.exitCode = ok ? 0 : 1;
