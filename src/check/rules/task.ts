/** Task definition rules: what Fargate accepts, and what a healthy, hardened Fargate task needs. */
import { FARGATE_CPU_VALUES, describeMemoryFor, fargateSizeError } from "../../fargate/sizes.js";
import { STOP_TIMEOUT_MAX, STOP_TIMEOUT_MIN } from "../../fargate/timings.js";
import { hasToken, type N } from "../model/node.js";
import { lastInstruction } from "../load/dockerfile.js";
import type { Rule } from "./rule.js";
import { containerName, isEssential, parseCpu, parseMemory, show, writableMountAt } from "./helpers.js";

export const taskSize: Rule = {
  id: "task-size",
  severity: "error",
  title: "Task cpu and memory are set and form a valid Fargate pair",
  why: "Fargate runs only 74 cpu/memory combinations; anything else fails at RegisterTaskDefinition with \"Invalid 'cpu' setting for task\". cfn-lint misses values that come from parameters.",
  howToFix: "Set task-level cpu and memory to a pair from the Fargate table (e.g. 256/512, 512/1024, 1024/2048).",
  run(model, report) {
    for (const task of model.tasks) {
      const cpuN = task.root.get("cpu");
      const memN = task.root.get("memory");
      const cpuS = cpuN.str();
      const memS = memN.str();
      if (cpuS === undefined) {
        report(cpuN, "task-level cpu is not set; Fargate requires task cpu and memory", `set "cpu": "256" (and a memory Fargate allows with it)`);
      }
      if (memS === undefined) {
        report(memN, "task-level memory is not set; Fargate requires task cpu and memory", `set "memory" to a value Fargate allows with the cpu, e.g. "512" for cpu 256`);
      }
      const cpu = parseCpu(cpuS);
      const mem = parseMemory(memS);
      if (cpu === undefined || mem === undefined) continue;
      if (Number.isNaN(cpu) || !FARGATE_CPU_VALUES.includes(cpu)) {
        report(cpuN, `cpu ${show(cpuS)} is not a Fargate size`, `use one of ${FARGATE_CPU_VALUES.join(", ")} (cpu units)`);
        continue;
      }
      if (Number.isNaN(mem)) {
        report(memN, `memory ${show(memS)} is not a number of MiB`, `use one of ${describeMemoryFor(cpu)} (MiB) with cpu ${cpu}`);
        continue;
      }
      const err = fargateSizeError(cpu, mem);
      if (err) report(memN, err, `set memory to one of ${describeMemoryFor(cpu)} (MiB), or pick another cpu`);
    }
  },
};

export const networkMode: Rule = {
  id: "network-mode",
  severity: "error",
  title: "networkMode is awsvpc",
  why: "Fargate supports only awsvpc. The API default is bridge, so leaving it out fails registration for Fargate.",
  howToFix: "Set \"networkMode\": \"awsvpc\" on the task definition.",
  run(model, report) {
    for (const task of model.tasks) {
      const n = task.root.get("networkMode");
      const v = n.str();
      if (v !== undefined && (v === "awsvpc" || hasToken(v))) continue;
      report(
        n,
        v === undefined ? "networkMode is not set (the API default is bridge); Fargate requires awsvpc" : `networkMode is ${show(v)}; Fargate supports only awsvpc`,
        `set "networkMode": "awsvpc"`,
      );
    }
  },
};

export const fargateCompatibility: Rule = {
  id: "fargate-compatibility",
  severity: "error",
  title: "requiresCompatibilities includes FARGATE",
  why: "Without FARGATE in requiresCompatibilities, ECS does not validate the task definition for Fargate and a Fargate service refuses to run it.",
  howToFix: "Set \"requiresCompatibilities\": [\"FARGATE\"].",
  run(model, report) {
    for (const task of model.tasks) {
      const n = task.root.get("requiresCompatibilities");
      const list = n.strings();
      if (list.some((c) => c.toUpperCase() === "FARGATE" || hasToken(c))) continue;
      report(n, list.length ? `requiresCompatibilities is ${show(list)}, without FARGATE` : "requiresCompatibilities is not set; a Fargate task definition needs FARGATE", `set "requiresCompatibilities": ["FARGATE"]`);
    }
  },
};

export const essentialContainer: Rule = {
  id: "essential-container",
  severity: "error",
  title: "At least one container, and at least one essential container",
  why: "A task needs an essential container: ECS rejects a task definition without one, and cfn-lint does not catch a lone container with essential: false.",
  howToFix: "Make the application container essential (essential: true, the default).",
  run(model, report) {
    for (const task of model.tasks) {
      const defs = task.root.get("containerDefinitions");
      if (task.containers.length === 0) {
        report(defs, "containerDefinitions is empty or missing", "add the application container (name, image, portMappings, logConfiguration)");
        continue;
      }
      if (!task.containers.some(isEssential)) {
        report(defs, `no essential container (all ${task.containers.length} have essential: false)`, `set "essential": true on the application container`);
      }
    }
  },
};

/** Container fields Fargate does not accept, with why. */
const CONTAINER_INVALID: Array<[string, string]> = [
  ["links", "links work only in bridge mode"],
  ["hostname", "hostname is not supported with awsvpc"],
  ["dnsServers", "dnsServers is not valid on Fargate"],
  ["dnsSearchDomains", "dnsSearchDomains is not valid on Fargate"],
  ["extraHosts", "extraHosts is not valid on Fargate"],
  ["dockerSecurityOptions", "dockerSecurityOptions is not valid on Fargate"],
];
const LINUX_INVALID: Array<[string, string]> = [
  ["devices", "linuxParameters.devices is not supported on Fargate"],
  ["sharedMemorySize", "linuxParameters.sharedMemorySize is not supported on Fargate"],
  ["tmpfs", "linuxParameters.tmpfs is not supported on Fargate (mount a task volume instead)"],
  ["maxSwap", "linuxParameters.maxSwap is not valid on Fargate"],
  ["swappiness", "linuxParameters.swappiness is not valid on Fargate"],
];
const FARGATE_LOG_DRIVERS = ["awslogs", "splunk", "awsfirelens"];

function present(n: N): boolean {
  const v = n.value;
  if (v === undefined || v === null || v === false) return false;
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

export const fargateUnsupported: Rule = {
  id: "fargate-unsupported",
  severity: "error",
  title: "No fields Fargate rejects",
  why: "Fargate rejects privileged containers, links, host volumes, Docker volumes, hostname, DNS overrides, IPC/PID host modes, tmpfs, devices, shared memory, non-awslogs/splunk/firelens log drivers and hostPort ≠ containerPort. Neither moto nor cfn-lint catches most of these.",
  howToFix: "Remove the field (use a task bind-mount volume instead of tmpfs or host paths) or set the Fargate-compatible value named in the finding.",
  run(model, report) {
    for (const task of model.tasks) {
      const r = task.root;
      if (present(r.get("ipcMode"))) report(r.get("ipcMode"), `ipcMode ${show(r.get("ipcMode").str())} is not valid on Fargate`, "remove ipcMode");
      const pid = r.get("pidMode");
      if (present(pid) && pid.str() !== "task") report(pid, `pidMode ${show(pid.str())} is not valid on Fargate (only "task")`, `remove pidMode or set it to "task"`);
      if (present(r.get("placementConstraints"))) report(r.get("placementConstraints"), "placementConstraints are not valid on Fargate", "remove placementConstraints");
      for (const v of r.get("volumes").items()) {
        const name = v.get("name").str() ?? "?";
        if (v.get("host").get("sourcePath").exists) report(v.get("host").get("sourcePath"), `volume ${show(name)} mounts a host path; Fargate exposes no host paths`, `remove host.sourcePath (an empty volume {"name": ${show(name)}} is a task bind mount)`);
        if (present(v.get("dockerVolumeConfiguration"))) report(v.get("dockerVolumeConfiguration"), `volume ${show(name)} uses dockerVolumeConfiguration, which Fargate does not support`, `use a bind mount ({"name": ${show(name)}}) or efsVolumeConfiguration`);
      }
      const eph = r.get("ephemeralStorage").get("sizeInGiB");
      const gib = eph.num();
      if (gib !== undefined && (gib < 21 || gib > 200)) report(eph, `ephemeralStorage.sizeInGiB ${gib} is outside Fargate's 21–200`, "use 21–200, or remove ephemeralStorage for the default 20 GiB");

      for (const c of task.containers) {
        const name = containerName(c);
        const priv = c.get("privileged");
        if (priv.bool() === true) report(priv, `container ${show(name)}: privileged is not valid on Fargate`, "remove privileged");
        if (c.get("disableNetworking").bool() === true) report(c.get("disableNetworking"), `container ${show(name)}: disableNetworking is not valid on Fargate`, "remove disableNetworking");
        for (const [field, msg] of CONTAINER_INVALID) {
          const n = c.get(field);
          if (present(n)) report(n, `container ${show(name)}: ${msg}`, `remove ${field}`);
        }
        const lp = c.get("linuxParameters");
        for (const [field, msg] of LINUX_INVALID) {
          const n = lp.get(field);
          if (present(n)) report(n, `container ${show(name)}: ${msg}`, `remove linuxParameters.${field}`);
        }
        for (const cap of lp.get("capabilities").get("add").items()) {
          const v = cap.str() ?? "";
          if (!/^(CAP_)?SYS_PTRACE$/.test(v)) report(cap, `container ${show(name)}: capability ${show(v)} cannot be added on Fargate (only SYS_PTRACE)`, `remove ${show(v)} from linuxParameters.capabilities.add`);
        }
        for (const rr of c.get("resourceRequirements").items()) {
          if (rr.get("type").str()?.toUpperCase() === "GPU") report(rr, `container ${show(name)}: GPUs are not available on Fargate`, "remove the GPU resource requirement");
        }
        const driver = c.get("logConfiguration").get("logDriver");
        const d = driver.str();
        if (d !== undefined && !hasToken(d) && !FARGATE_LOG_DRIVERS.includes(d)) {
          report(driver, `container ${show(name)}: log driver ${show(d)} is not supported on Fargate`, `use "awslogs" (or splunk / awsfirelens)`);
        }
        for (const pm of c.get("portMappings").items()) {
          const hp = pm.get("hostPort").num();
          const cp = pm.get("containerPort").num();
          if (hp !== undefined && cp !== undefined && hp !== cp) {
            report(pm.get("hostPort"), `container ${show(name)}: hostPort ${hp} ≠ containerPort ${cp}; with awsvpc they must be equal`, "remove hostPort (or set it equal to containerPort)");
          }
        }
      }
    }
  },
};

export const stopTimeout: Rule = {
  id: "stop-timeout",
  severity: "error",
  title: `stopTimeout is within Fargate's ${STOP_TIMEOUT_MIN}–${STOP_TIMEOUT_MAX} s`,
  why: "Fargate sends SIGKILL stopTimeout seconds after SIGTERM and accepts at most 120 s; a larger value is rejected.",
  howToFix: "Set stopTimeout between 2 and 120 seconds, longer than the app's drain budget.",
  run(model, report) {
    for (const task of model.tasks) {
      for (const c of task.containers) {
        const n = c.get("stopTimeout");
        const v = n.num();
        if (v === undefined) continue;
        if (v < STOP_TIMEOUT_MIN || v > STOP_TIMEOUT_MAX) {
          report(n, `container ${show(containerName(c))}: stopTimeout ${v} s is outside Fargate's ${STOP_TIMEOUT_MIN}–${STOP_TIMEOUT_MAX} s`, `set stopTimeout to at most ${STOP_TIMEOUT_MAX}`);
        }
      }
    }
  },
};

export const healthCheckMissing: Rule = {
  id: "health-check-missing",
  severity: "warning",
  title: "Essential containers have a container healthCheck",
  why: "ECS acts only on health checks written in the task definition; it ignores a Dockerfile HEALTHCHECK. Without one, a hung container is never replaced unless a load balancer notices.",
  howToFix: "Add healthCheck { command: [\"CMD\", …], interval, timeout, retries, startPeriod } to the container, using a tool the image has (node, not curl, in slim images).",
  run(model, report) {
    for (const task of model.tasks) {
      for (const c of task.containers) {
        if (!isEssential(c) || c.get("healthCheck").exists) continue;
        const df = model.dockerfiles[0];
        const hc = df ? lastInstruction(df, "HEALTHCHECK") : undefined;
        const note = hc && !/^NONE\b/i.test(hc.args) ? ` (the HEALTHCHECK in ${df!.file}:${hc.line} is ignored by ECS)` : "";
        report(c.get("healthCheck"), `container ${show(containerName(c))} has no healthCheck${note}`, `add "healthCheck": {"command": ["CMD", "node", "healthcheck.js"], "interval": 15, "timeout": 5, "retries": 3, "startPeriod": 10}`);
      }
    }
  },
};

const HC_RANGES: Array<[string, number, number]> = [
  ["interval", 5, 300],
  ["timeout", 2, 60],
  ["retries", 1, 10],
  ["startPeriod", 0, 300],
];

export const healthCheckRange: Rule = {
  id: "health-check-range",
  severity: "error",
  title: "Container healthCheck has a CMD/CMD-SHELL command and values in range",
  why: "ECS rejects interval outside 5–300 s, timeout outside 2–60 s, retries outside 1–10 and startPeriod outside 0–300 s; a command that does not start with CMD or CMD-SHELL never runs. cfn-lint and moto accept all of these.",
  howToFix: "Start the command with \"CMD\" (exec) or \"CMD-SHELL\" (shell) and keep each value within its range.",
  run(model, report) {
    for (const task of model.tasks) {
      for (const c of task.containers) {
        const hc = c.get("healthCheck");
        if (!hc.exists) continue;
        const name = show(containerName(c));
        const cmd = hc.get("command");
        const parts = cmd.strings();
        if (parts.length === 0) report(cmd, `container ${name}: healthCheck.command is missing`, `set "command": ["CMD", "node", "healthcheck.js"]`);
        else if (parts[0] !== "CMD" && parts[0] !== "CMD-SHELL" && !hasToken(parts[0]!)) {
          report(cmd, `container ${name}: healthCheck.command starts with ${show(parts[0])}, not "CMD" or "CMD-SHELL"`, `prefix the command with "CMD" (exec form) or "CMD-SHELL" (runs in /bin/sh)`);
        }
        for (const [field, min, max] of HC_RANGES) {
          const n = hc.get(field);
          const v = n.num();
          if (v !== undefined && (v < min || v > max)) report(n, `container ${name}: healthCheck.${field} ${v} is outside ${min}–${max}`, `set healthCheck.${field} between ${min} and ${max}`);
        }
      }
    }
  },
};

export const readonlyRootFilesystem: Rule = {
  id: "readonly-root-filesystem",
  severity: "warning",
  title: "Essential containers run with readonlyRootFilesystem: true",
  why: "A read-only root filesystem stops an attacker (or a bug) from changing the image at run time; writable paths are declared explicitly as volumes.",
  howToFix: "Set \"readonlyRootFilesystem\": true and mount a task volume at each path the app writes (at least /tmp).",
  run(model, report) {
    for (const task of model.tasks) {
      for (const c of task.containers) {
        if (!isEssential(c)) continue;
        const n = c.get("readonlyRootFilesystem");
        if (n.bool() === true || (n.str() !== undefined && hasToken(n.str()!))) continue;
        const near = c.nearKey("readonlyRootFilesystem");
        if (near) {
          report(c.get(near), `container ${show(containerName(c))}: ${show(near)} is not a field (ECS spells it ${show(n.path[n.path.length - 1])}), so the root filesystem stays writable`, `rename it to ${show(n.path[n.path.length - 1])}`);
          continue;
        }
        report(n, `container ${show(containerName(c))} has a writable root filesystem`, `set "readonlyRootFilesystem": true and mount a volume at /tmp`);
      }
    }
  },
};

export const writableTmp: Rule = {
  id: "writable-tmp",
  severity: "warning",
  title: "A read-only container has a writable /tmp volume",
  why: "Fargate has no tmpfs; with a read-only root filesystem, anything that writes to /tmp (os.tmpdir(), npm, many libraries) fails with EROFS unless a task volume is mounted there.",
  howToFix: "Add a task volume {\"name\": \"tmp\"} and a mountPoint {\"sourceVolume\": \"tmp\", \"containerPath\": \"/tmp\", \"readOnly\": false}.",
  run(model, report) {
    for (const task of model.tasks) {
      for (const c of task.containers) {
        if (c.get("readonlyRootFilesystem").bool() !== true) continue;
        if (writableMountAt(task, c, "/tmp")) continue;
        report(c.get("mountPoints"), `container ${show(containerName(c))} has a read-only root filesystem and no writable /tmp`, `add volume {"name": "tmp"} and mountPoint {"sourceVolume": "tmp", "containerPath": "/tmp", "readOnly": false}`);
      }
    }
  },
};

export const volumeReference: Rule = {
  id: "volume-reference",
  severity: "error",
  title: "Every mountPoint names a volume of the task",
  why: "A mountPoint whose sourceVolume is not a task volume is rejected when the task definition is registered; moto and cfn-lint accept it.",
  howToFix: "Add the volume to the task's volumes, or fix the sourceVolume name.",
  run(model, report) {
    for (const task of model.tasks) {
      const volumes = new Set(task.root.get("volumes").items().map((v) => v.get("name").str()));
      for (const c of task.containers) {
        for (const m of c.get("mountPoints").items()) {
          const src = m.get("sourceVolume");
          const v = src.str();
          if (v === undefined || hasToken(v) || volumes.has(v)) continue;
          report(src, `container ${show(containerName(c))}: mountPoint sourceVolume ${show(v)} is not one of the task's volumes (${[...volumes].filter(Boolean).map((x) => show(x)).join(", ") || "none"})`, `add {"name": ${show(v)}} to the task's volumes`);
        }
      }
    }
  },
};

export const TASK_RULES: Rule[] = [
  taskSize,
  networkMode,
  fargateCompatibility,
  essentialContainer,
  fargateUnsupported,
  stopTimeout,
  healthCheckMissing,
  healthCheckRange,
  readonlyRootFilesystem,
  writableTmp,
  volumeReference,
];
