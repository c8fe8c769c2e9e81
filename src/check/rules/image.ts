/** Image rules: the Dockerfile and build scripts agree with the task definition. */
import { expandVars, finalStage, lastInstruction } from "../load/dockerfile.js";
import { hasToken } from "../model/node.js";
import { appContainer, type ProjectModel } from "../model/project.js";
import type { Dockerfile, DockerStage } from "../types.js";
import type { Rule } from "./rule.js";
import { containerName, show } from "./helpers.js";

type Arch = "X86_64" | "ARM64";

function archOfPlatform(p: string): Arch | undefined {
  const s = p.trim().toLowerCase();
  if (/^linux\/(amd64|x86_64|x86-64)$/.test(s)) return "X86_64";
  if (/^linux\/(arm64|aarch64)(\/v8)?$/.test(s)) return "ARM64";
  return undefined;
}

function archOfImage(image: string): Arch | undefined {
  if (/^(docker\.io\/)?(library\/)?arm64v8\//.test(image)) return "ARM64";
  if (/^(docker\.io\/)?(library\/)?amd64\//.test(image)) return "X86_64";
  return undefined;
}

interface PlatformClaim {
  file: string;
  line: number;
  field: string;
  raw: string;
  /** Architectures the image is built for; empty when the value is a variable we cannot expand. */
  arches: Arch[];
  /** The value means "the machine that runs the build". */
  builder: boolean;
}

/** Platforms the Dockerfile's final stage pins. */
function dockerfileClaims(df: Dockerfile): PlatformClaim[] {
  const stage = finalStage(df);
  const out: PlatformClaim[] = [];
  if (stage.platform !== undefined) {
    const raw = expandVars(stage.platform, df.globalArgs);
    const builder = /\$\{?BUILDPLATFORM\}?/.test(raw);
    const arch = archOfPlatform(raw);
    out.push({ file: df.file, line: stage.line, field: "FROM --platform", raw: stage.platform, arches: arch ? [arch] : [], builder });
  }
  const byImage = archOfImage(stage.resolvedImage);
  if (byImage) out.push({ file: df.file, line: stage.line, field: "FROM", raw: stage.resolvedImage, arches: [byImage], builder: false });
  return out;
}

/** A value that is only a variable ($X, ${X}, ${{ env.X }}), resolved from an assignment in the same file (X=…, X: …). */
function resolveVariable(raw: string, text: string): string | undefined {
  const m = /^\$(?:\{\{\s*env\.([A-Za-z_]\w*)\s*\}\}|\{([A-Za-z_]\w*)\}|([A-Za-z_]\w*))$/.exec(raw.trim());
  const name = m?.[1] ?? m?.[2] ?? m?.[3];
  if (!name) return undefined;
  const def = new RegExp(`(?:^|[\\s;])(?:export\\s+)?${name}\\s*[:=]\\s*["']?([^\\s"'#;]+)`, "m").exec(text);
  return def?.[1];
}

/** `docker build --platform …`, `docker buildx build --platform …`, `platforms: …` (build-push-action). */
function scriptClaims(file: string, text: string): PlatformClaim[] {
  const out: PlatformClaim[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    const patterns: Array<[RegExp, string]> = [
      [/--platform(?:=|\s+)(?:"([^"]*)"|'([^']*)'|(\$\{\{[^}]*\}\}|[^\s"'\\]+))/g, "--platform"],
      [/^\s*-?\s*platforms?\s*:\s*(?:"([^"]*)"|'([^']*)'|(\$\{\{[^}]*\}\}|[^\s"'#]+))/g, "platforms"],
    ];
    for (const [re, field] of patterns) {
      for (const m of line.matchAll(re)) {
        const written = (m[1] ?? m[2] ?? m[3] ?? "").trim();
        const raw = written.includes("$") ? (resolveVariable(written, text) ?? written) : written;
        const arches = raw.split(",").map(archOfPlatform).filter((a): a is Arch => a !== undefined);
        out.push({ file, line: i + 1, field, raw, arches, builder: /BUILDPLATFORM/.test(raw) });
      }
    }
  });
  return out;
}

function taskArch(model: ProjectModel): Array<{ arch: Arch; at: import("../model/node.js").N; explicit: boolean }> {
  return model.tasks.map((t) => {
    const n = t.root.get("runtimePlatform").get("cpuArchitecture");
    const v = n.str();
    if (v !== undefined && hasToken(v)) return undefined;
    const arch: Arch = v?.toUpperCase() === "ARM64" ? "ARM64" : "X86_64";
    return { arch, at: n, explicit: v !== undefined };
  }).filter((x): x is { arch: Arch; at: import("../model/node.js").N; explicit: boolean } => x !== undefined);
}

const DOCKER_PLATFORM: Record<Arch, string> = { X86_64: "linux/amd64", ARM64: "linux/arm64" };

export const imagePlatform: Rule = {
  id: "image-platform",
  severity: "error",
  title: "The image is built for the task's runtimePlatform.cpuArchitecture",
  why: "An arm64 image (the default when you build on Apple Silicon) on X86_64 Fargate, or an amd64 image on ARM64, stops at once with \"exec format error\" and the deployment loops. The Dockerfile FROM --platform or the build command's --platform must match runtimePlatform.",
  howToFix: "Build with --platform linux/amd64 for X86_64 (the default) or linux/arm64 for ARM64, and set runtimePlatform.cpuArchitecture to match.",
  run(model, report) {
    const arches = taskArch(model);
    if (!arches.length) return;
    const want = arches[0]!;
    const claims = [...model.dockerfiles.flatMap(dockerfileClaims), ...model.buildScripts.flatMap((s) => scriptClaims(s.file, s.text))];
    for (const c of claims) {
      if (c.builder || !c.arches.length) continue;
      if (c.arches.includes(want.arch)) continue;
      report(
        { file: c.file, field: c.field, line: c.line },
        `builds the image for ${c.raw}, but the task runs on ${want.arch}${want.explicit ? "" : " (runtimePlatform not set: X86_64)"} (${want.at.doc.file} ${want.at.field})`,
        `build with --platform ${DOCKER_PLATFORM[want.arch]}, or set runtimePlatform.cpuArchitecture to ${c.arches[0]}`,
      );
    }
  },
};

export const imagePlatformUnpinned: Rule = {
  id: "image-platform-unpinned",
  severity: "warning",
  title: "The image platform is pinned in the Dockerfile or the build script",
  why: "Without --platform the image takes the architecture of whatever machine builds it: arm64 on an Apple Silicon laptop, amd64 on most CI runners, so the same project deploys or crashes depending on who built it.",
  howToFix: "Pass --platform linux/amd64 (or linux/arm64) to docker build in the build script / workflow, or use FROM --platform=… in the Dockerfile's final stage.",
  run(model, report) {
    const df = model.dockerfiles[0];
    const arches = taskArch(model);
    if (!df || !arches.length) return;
    const want = arches[0]!.arch;
    const claims = [...dockerfileClaims(df), ...model.buildScripts.flatMap((s) => scriptClaims(s.file, s.text))];
    const stage = finalStage(df);
    const builder = dockerfileClaims(df).find((c) => c.builder);
    if (builder) {
      report({ file: df.file, field: "FROM --platform", line: stage.line }, `the final stage uses --platform=${builder.raw}: the image gets the build machine's architecture`, `use --platform=${DOCKER_PLATFORM[want]} (or $TARGETPLATFORM with docker build --platform ${DOCKER_PLATFORM[want]})`);
      return;
    }
    if (claims.some((c) => c.arches.length || /\$/.test(c.raw))) return;
    report({ file: df.file, field: "FROM", line: stage.line }, `no --platform in ${df.file} or any build script: the image gets the architecture of the machine that builds it, and the task needs ${want}`, `build with docker build --platform ${DOCKER_PLATFORM[want]}`);
  },
};

/** The chain of stages from the final one back through FROM <stage>, and the base image it starts from. */
function stageChain(df: Dockerfile): { stages: DockerStage[]; base: string } {
  const byName = new Map(df.stages.filter((s) => s.name).map((s) => [s.name!.toLowerCase(), s]));
  const stages: DockerStage[] = [];
  let s: DockerStage | undefined = finalStage(df);
  while (s && !stages.includes(s)) {
    stages.push(s);
    const next = byName.get(s.resolvedImage.toLowerCase());
    if (!next) break;
    s = next;
  }
  return { stages, base: stages[stages.length - 1]!.resolvedImage };
}

const TOOLS = ["curl", "wget"] as const;

function imageLacks(base: string, tool: (typeof TOOLS)[number]): boolean {
  const b = base.toLowerCase();
  if (/distroless|chainguard|scratch/.test(b)) return true;
  if (/-slim|:slim/.test(b)) return true;
  if (/alpine/.test(b)) return tool === "curl"; // busybox has wget
  return false;
}

export const healthCheckTool: Rule = {
  id: "health-check-tool",
  severity: "error",
  title: "The container health check does not call a tool the image lacks",
  why: "node:*-slim, alpine (curl) and distroless images have no curl/wget. A health check that runs one always fails: the container is marked UNHEALTHY, replaced, and the deployment hangs until the circuit breaker gives up.",
  howToFix: "Probe with the runtime the image has, e.g. [\"CMD\", \"node\", \"-e\", \"fetch('http://localhost:PORT/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))\"], or install the tool in the Dockerfile.",
  run(model, report) {
    const df = model.dockerfiles[0];
    if (!df) return;
    const { stages, base } = stageChain(df);
    const runText = stages.flatMap((s) => s.instructions.filter((i) => i.keyword === "RUN" || i.keyword === "COPY").map((i) => i.args)).join("\n");
    for (const task of model.tasks) {
      const c = appContainer(task);
      const cmd = c?.get("healthCheck").get("command");
      if (!c || !cmd?.exists) continue;
      const words = cmd.strings().slice(1).join(" ");
      for (const tool of TOOLS) {
        if (!new RegExp(`(^|[\\s;&|/"'(])${tool}(\\s|$)`).test(words)) continue;
        if (!imageLacks(base, tool) || new RegExp(`\\b${tool}\\b`).test(runText)) continue;
        report(cmd, `container ${show(containerName(c))} health check runs ${tool}, which ${base} (${df.file}) does not have: the check always fails`, `probe with node instead, e.g. ["CMD", "node", "-e", "fetch('http://localhost:PORT/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]`);
      }
    }
  },
};

export const dockerfileExecForm: Rule = {
  id: "dockerfile-exec-form",
  severity: "warning",
  title: "CMD/ENTRYPOINT use exec form and start node directly",
  why: "In shell form (CMD node server.js) /bin/sh is PID 1 and does not forward SIGTERM; npm start adds another layer that does not either. The app never sees SIGTERM, cannot drain, and is SIGKILLed after stopTimeout on every deploy.",
  howToFix: "Use exec form starting node itself: CMD [\"node\", \"dist/server.js\"] (and initProcessEnabled: true in the task definition).",
  run(model, report) {
    const df = model.dockerfiles[0];
    if (!df) return;
    for (const kw of ["ENTRYPOINT", "CMD"]) {
      const ins = lastInstruction(df, kw);
      if (!ins) continue;
      if (!ins.exec) {
        report({ file: df.file, field: kw, line: ins.line }, `${kw} is in shell form (${ins.args.slice(0, 40)}): /bin/sh is PID 1 and does not pass SIGTERM to the app`, `write it in exec form, e.g. ${kw} ["node", "dist/server.js"]`);
        continue;
      }
      const first = ins.exec[0] ?? "";
      if (/^(npm|yarn|pnpm|npx)$/.test(first) || (/^(sh|bash|\/bin\/sh|\/bin\/bash)$/.test(first) && ins.exec[1] === "-c")) {
        report({ file: df.file, field: kw, line: ins.line }, `${kw} runs ${ins.exec.slice(0, 2).join(" ")}, which does not pass SIGTERM to node`, `start node directly: ${kw} ["node", "dist/server.js"]`);
      }
    }
  },
};

export const dockerfileUser: Rule = {
  id: "dockerfile-user",
  severity: "warning",
  title: "The image runs as a non-root user",
  why: "A process running as root in the container has more power if it is compromised; the official node images ship a `node` user for this.",
  howToFix: "Add USER node (or another non-root user) to the final stage.",
  run(model, report) {
    const df = model.dockerfiles[0];
    if (!df) return;
    const { base } = stageChain(df);
    const user = lastInstruction(df, "USER");
    if (!user) {
      if (/nonroot|chainguard/.test(base)) return;
      const stage = finalStage(df);
      report({ file: df.file, field: "USER", line: stage.line }, `the final stage (${stage.resolvedImage}) sets no USER, so the app runs as root`, "add USER node (or another non-root user) to the final stage");
      return;
    }
    const u = user.args.split(":")[0]!.trim();
    if (u === "root" || u === "0") report({ file: df.file, field: "USER", line: user.line }, `USER ${u}: the app runs as root`, "use USER node (or another non-root user)");
  },
};

export const IMAGE_RULES: Rule[] = [imagePlatform, imagePlatformUnpinned, healthCheckTool, dockerfileExecForm, dockerfileUser];
