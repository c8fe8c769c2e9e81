/** Network rules: one port everywhere, load balancer wiring, security groups. */
import { exposedPorts, finalStage } from "../load/dockerfile.js";
import { hasToken, type N } from "../model/node.js";
import { appContainer, type SecurityGroupModel, type ServiceModel, type StackModel, type TaskModel } from "../model/project.js";
import type { Location, Rule } from "./rule.js";
import { locate } from "./rule.js";
import { containerName, envVar, show } from "./helpers.js";
import { expandVars } from "../load/dockerfile.js";

interface PortClaim {
  at: Location;
  /** For messages: what this place is ("the container port", "Dockerfile EXPOSE", …). */
  what: string;
  /** Ports this place accepts (a single port, a list for EXPOSE, a range for security-group rules). */
  accepts: (port: number) => boolean;
  shown: string;
}

function appPort(task: TaskModel): { port: number; node: N } | undefined {
  const c = appContainer(task);
  const pm = c?.get("portMappings").items()[0];
  const port = pm?.get("containerPort").num();
  return pm && port !== undefined ? { port, node: pm.get("containerPort") } : undefined;
}

function describeAt(at: Location): string {
  const l = locate(at);
  return `${l.file}${l.line !== undefined ? `:${l.line}` : ""} ${l.field}`.trim();
}

function ingressRange(rule: N): { from: number; to: number } | "all" | undefined {
  const proto = rule.get("IpProtocol").str();
  if (proto === "-1" || proto === "all") return "all";
  const from = rule.get("FromPort").num();
  const to = rule.get("ToPort").num();
  if (from === undefined || to === undefined) return undefined;
  if (from === -1 && to === -1) return "all";
  return { from, to };
}

/** Security groups of a service that are not also a load balancer's. */
function serviceGroups(stack: StackModel, svc: ServiceModel): SecurityGroupModel[] {
  const lbGroups = new Set([...stack.loadBalancers.values()].flatMap((lb) => lb.securityGroupIds));
  return svc.securityGroupIds.filter((id) => !lbGroups.has(id)).map((id) => stack.securityGroups.get(id)).filter((g): g is SecurityGroupModel => !!g);
}

export const portMismatch: Rule = {
  id: "port-mismatch",
  severity: "error",
  title: "One port everywhere: EXPOSE, PORT, containerPort, health check, load balancer, target group, security group",
  why: "When the app listens on one port and the container mapping, target group or security group name another, health checks fail and the deployment hangs until the circuit breaker rolls back, often after an hour. No AWS tool compares these.",
  howToFix: "Use the same port in the Dockerfile (EXPOSE, ENV PORT), the container's portMappings and PORT environment, the health-check command, the service's LoadBalancers/ServiceRegistries, the target group and the service security group's ingress rule.",
  run(model, report) {
    const fileTask = model.tasks.find((t) => !t.logicalId && appPort(t));
    const anyTask = fileTask ?? model.tasks.find((t) => appPort(t));
    const ref = anyTask ? appPort(anyTask) : undefined;
    const df = model.dockerfiles[0];
    let refPort = ref?.port;
    let refAt: Location | undefined = ref?.node;
    if (refPort === undefined && df) {
      const exposed = exposedPorts(df)[0];
      if (exposed) {
        refPort = exposed.port;
        refAt = { file: df.file, field: "EXPOSE", line: exposed.line };
      }
    }
    if (refPort === undefined || !refAt) return;
    const refText = `${refPort} (${describeAt(refAt)})`;

    const claims: Array<PortClaim & { expected: number; expectedText: string }> = [];
    const add = (claim: PortClaim, expected = refPort!, expectedText = refText) => claims.push({ ...claim, expected, expectedText });
    const single = (at: N, what: string): PortClaim | undefined => {
      const p = at.num();
      return p === undefined ? undefined : { at, what, accepts: (x) => x === p, shown: String(p) };
    };

    // Dockerfile
    if (df) {
      const exposed = exposedPorts(df);
      if (exposed.length) {
        const ports = exposed.map((e) => e.port);
        add({ at: { file: df.file, field: "EXPOSE", line: exposed[0]!.line }, what: "Dockerfile EXPOSE", accepts: (x) => ports.includes(x), shown: ports.join(" ") });
      }
      const vars: Record<string, string | undefined> = {};
      for (const ins of finalStage(df).instructions) {
        if (ins.keyword !== "ENV") continue;
        const m = /(?:^|\s)PORT(?:=|\s+)["']?(\S+?)["']?(?:\s|$)/.exec(ins.args);
        if (m) {
          const v = expandVars(m[1]!, vars);
          if (/^\d+$/.test(v)) add({ at: { file: df.file, field: "ENV PORT", line: ins.line }, what: "Dockerfile ENV PORT", accepts: (x) => x === Number(v), shown: v });
        }
      }
    }

    for (const task of model.tasks) {
      const c = appContainer(task);
      if (!c) continue;
      const own = appPort(task);
      const pms = c.get("portMappings").items();
      if (task !== anyTask && pms[0]) {
        const cl = single(pms[0].get("containerPort"), `container port of ${show(containerName(c))}`);
        if (cl) add(cl);
      }
      const envPort = envVar(c, "PORT");
      if (envPort) {
        const cl = single(envPort, `PORT environment of ${show(containerName(c))}`);
        if (cl) add(cl, own?.port ?? refPort, own ? `${own.port} (${describeAt(own.node)})` : refText);
      }
      const hc = c.get("healthCheck").get("command");
      const cmd = hc.strings().join(" ");
      const m = /(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])\s*:\s*(\d+)/.exec(cmd);
      if (m) {
        const p = Number(m[1]);
        add({ at: hc, what: "health-check command", accepts: (x) => x === p, shown: String(p) }, own?.port ?? refPort, own ? `${own.port} (${describeAt(own.node)})` : refText);
      }
    }

    for (const stack of model.stacks) {
      for (const svc of stack.services) {
        const task = svc.taskDefinition;
        const own = task ? appPort(task) : undefined;
        const expected = own?.port ?? refPort;
        const expectedText = own ? `${own.port} (${describeAt(own.node)})` : refText;
        for (const lb of svc.loadBalancers) {
          const cl = single(lb.node.get("ContainerPort"), `service ${svc.id} LoadBalancers ContainerPort`);
          if (cl) add(cl, expected, expectedText);
          if (lb.targetGroup) {
            const tg = single(lb.targetGroup.node.get("Port"), `target group ${lb.targetGroup.id} Port`);
            if (tg) add(tg, expected, expectedText);
            const hcPort = lb.targetGroup.node.get("HealthCheckPort");
            const hp = hcPort.str();
            if (hp !== undefined && hp !== "traffic-port" && /^\d+$/.test(hp)) {
              add({ at: hcPort, what: `target group ${lb.targetGroup.id} HealthCheckPort`, accepts: (x) => x === Number(hp), shown: hp }, expected, expectedText);
            }
          }
        }
        for (const reg of svc.node.get("ServiceRegistries").items()) {
          for (const f of ["ContainerPort", "Port"]) {
            const cl = single(reg.get(f), `service ${svc.id} ServiceRegistries ${f}`);
            if (cl) add(cl, expected, expectedText);
          }
        }
        for (const sg of serviceGroups(stack, svc)) {
          for (const rule of sg.ingress) {
            const range = ingressRange(rule.node);
            if (!range || range === "all") continue;
            add(
              { at: rule.node, what: `security group ${sg.id} ingress`, accepts: (x) => x >= range.from && x <= range.to, shown: range.from === range.to ? String(range.from) : `${range.from}-${range.to}` },
              expected,
              expectedText,
            );
          }
        }
      }
    }

    for (const c of claims) {
      if (c.accepts(c.expected)) continue;
      report(c.at, `${c.what} is ${c.shown}, but the app's container port is ${c.expectedText}`, `use port ${c.expected} here (or change every place to one port)`);
    }
  },
};

export const loadBalancerContainer: Rule = {
  id: "load-balancer-container",
  severity: "error",
  title: "The service's LoadBalancers name a container of its task definition",
  why: "ECS registers the task's IP for ContainerName:ContainerPort; a name that is not a container of the task definition fails the deployment. cfn-lint does not compare them.",
  howToFix: "Set ContainerName to the application container's name.",
  run(model, report) {
    for (const stack of model.stacks) {
      for (const svc of stack.services) {
        const task = svc.taskDefinition;
        if (!task) continue;
        const names = task.containers.map((c) => c.get("name").str()).filter((x): x is string => !!x);
        for (const lb of svc.loadBalancers) {
          const n = lb.node.get("ContainerName");
          const v = n.str();
          if (v === undefined || hasToken(v) || names.includes(v) || names.some(hasToken)) continue;
          report(n, `service ${svc.id} LoadBalancers ContainerName ${show(v)} is not a container of its task definition (${names.map((x) => show(x)).join(", ")})`, `set ContainerName to ${show(names[0] ?? "the app container")}`);
        }
      }
    }
  },
};

export const targetTypeIp: Rule = {
  id: "target-type-ip",
  severity: "error",
  title: "Target groups of Fargate services use TargetType ip",
  why: "awsvpc tasks register by IP address. The default target type is instance, which ECS cannot use for Fargate: the service fails to create. cfn-lint does not catch it.",
  howToFix: "Set TargetType: ip on the target group (it is create-only: the target group is replaced).",
  run(model, report) {
    for (const stack of model.stacks) {
      const seen = new Set<string>();
      for (const svc of stack.services) {
        for (const lb of svc.loadBalancers) {
          const tg = lb.targetGroup;
          if (!tg || seen.has(tg.id)) continue;
          seen.add(tg.id);
          const n = tg.node.get("TargetType");
          const v = n.str();
          if (v === "ip" || (v !== undefined && hasToken(v))) continue;
          report(n, v === undefined ? `target group ${tg.id} has no TargetType (the default is instance); Fargate tasks register by IP` : `target group ${tg.id} TargetType is ${show(v)}; Fargate tasks register by IP`, "set TargetType: ip");
        }
      }
    }
  },
};

export const serviceDependsOnListener: Rule = {
  id: "service-depends-on-listener",
  severity: "error",
  title: "A service with LoadBalancers DependsOn the listener that forwards to its target group",
  why: "ECS refuses to create a service whose target group is not yet attached to a load balancer (\"The target group … does not have an associated load balancer\"). Nothing in the template orders the service after the listener unless DependsOn does; cfn-lint does not check it.",
  howToFix: "Add DependsOn: <Listener logical id> to the AWS::ECS::Service.",
  run(model, report) {
    for (const stack of model.stacks) {
      for (const svc of stack.services) {
        if (!svc.loadBalancers.length) continue;
        const tgIds = svc.loadBalancers.map((l) => l.targetGroup?.id).filter((x): x is string => !!x);
        const listeners = [...stack.listeners.values()].filter((l) => l.targetGroupIds.some((t) => tgIds.includes(t)));
        const at = stack.doc.root().get("Resources").key(svc.id);
        if (tgIds.length && !listeners.length) {
          report(at, `service ${svc.id} uses target group ${tgIds.join(", ")}, which no listener forwards to`, "add a listener (or listener rule) that forwards to the target group, and DependsOn it");
          continue;
        }
        const ruleIds = [...stack.template.resources.values()].filter((r) => r.type === "AWS::ElasticLoadBalancingV2::ListenerRule").map((r) => r.id);
        const ok = svc.dependsOn.some((d) => listeners.some((l) => l.id === d) || ruleIds.includes(d));
        if (!ok && listeners.length) {
          const dep = at.get("DependsOn");
          report(dep.exists ? dep : at, `service ${svc.id} has LoadBalancers but does not DependsOn ${listeners.map((l) => l.id).join(" or ")}`, `add DependsOn: ${listeners[0]!.id}`);
        }
      }
    }
  },
};

const OPEN = ["0.0.0.0/0", "::/0"];

export const securityGroupOpen: Rule = {
  id: "security-group-open",
  severity: "error",
  title: "No security group open to 0.0.0.0/0 or ::/0, except a load balancer's listener ports",
  why: "Tasks should accept traffic only from the load balancer's (or the callers') security group. An open rule on the service's group exposes the container directly; on the load balancer only the listener ports need to be public.",
  howToFix: "Allow the container port from the load balancer's security group (SourceSecurityGroupId); keep 0.0.0.0/0 only on the load balancer's group, for its listener ports.",
  run(model, report) {
    for (const stack of model.stacks) {
      for (const sg of stack.securityGroups.values()) {
        const lbs = [...stack.loadBalancers.values()].filter((lb) => lb.securityGroupIds.includes(sg.id));
        const listenerPorts = new Set(lbs.flatMap((lb) => lb.listeners.map((l) => l.node.get("Port").num())).filter((p): p is number => p !== undefined));
        for (const rule of sg.ingress) {
          const cidrN = rule.node.get("CidrIp").exists ? rule.node.get("CidrIp") : rule.node.get("CidrIpv6");
          const cidr = cidrN.str();
          if (cidr === undefined || !OPEN.includes(cidr)) continue;
          const range = ingressRange(rule.node);
          const open = range === "all" ? "all ports" : range ? (range.from === range.to ? `port ${range.from}` : `ports ${range.from}-${range.to}`) : "some ports";
          if (lbs.length && range && range !== "all") {
            let allListener = true;
            for (let p = range.from; p <= range.to && allListener; p++) if (!listenerPorts.has(p)) allListener = false;
            if (allListener) continue;
            report(cidrN, `security group ${sg.id} (load balancer) is open to ${cidr} on ${open}, not only its listener ports (${[...listenerPorts].join(", ") || "none"})`, "open only the listener ports to the internet");
            continue;
          }
          report(
            cidrN,
            `security group ${sg.id} is open to ${cidr} on ${open}${lbs.length ? "" : "; it is not a load balancer's group"}`,
            lbs.length ? "open only the listener ports to the internet" : "allow the container port only from the load balancer's or callers' security group (SourceSecurityGroupId)",
          );
        }
      }
    }
  },
};

export const NETWORK_RULES: Rule[] = [portMismatch, loadBalancerContainer, targetTypeIp, serviceDependsOnListener, securityGroupOpen];
