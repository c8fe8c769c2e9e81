/**
 * Health-check and shutdown timing rules: the chain src/fargate/timings.ts builds, checked on any project.
 *
 *   deregistration delay  <  drain budget (DRAIN_TIMEOUT_MS)  <  stopTimeout  ≤ 120 s
 *   healthCheckGracePeriodSeconds ≥ container healthCheck startPeriod
 */
import type { N } from "../model/node.js";
import { appContainer, type TaskModel } from "../model/project.js";
import type { Rule } from "./rule.js";
import { containerName, envVar, show } from "./helpers.js";

/** Fargate's stopTimeout default when the field is absent. */
export const DEFAULT_STOP_TIMEOUT = 30;
/** ELB's deregistration_delay.timeout_seconds default. */
export const DEFAULT_DEREGISTRATION_DELAY = 300;
export const DRAIN_ENV = "DRAIN_TIMEOUT_MS";

function stopTimeoutOf(c: N): { seconds: number; node: N; explicit: boolean } {
  const n = c.get("stopTimeout");
  const v = n.num();
  return v === undefined ? { seconds: DEFAULT_STOP_TIMEOUT, node: n, explicit: false } : { seconds: v, node: n, explicit: true };
}

function drainOf(c: N): { ms: number; node: N } | undefined {
  const n = envVar(c, DRAIN_ENV);
  const v = n?.num();
  return n && v !== undefined ? { ms: v, node: n } : undefined;
}

export const drainBudget: Rule = {
  id: "drain-budget",
  severity: "error",
  title: `The app's drain budget (${DRAIN_ENV}) is shorter than stopTimeout`,
  why: "ECS sends SIGKILL stopTimeout seconds after SIGTERM. An app that may take longer to drain is killed mid-request, and in-flight requests fail on every deploy and scale-in.",
  howToFix: `Set ${DRAIN_ENV} a few seconds below stopTimeout × 1000 (or raise stopTimeout, at most 120).`,
  run(model, report) {
    for (const task of model.tasks) {
      for (const c of task.containers) {
        const drain = drainOf(c);
        if (!drain) continue;
        const stop = stopTimeoutOf(c);
        if (drain.ms < stop.seconds * 1000) continue;
        report(
          drain.node,
          `container ${show(containerName(c))}: ${DRAIN_ENV} ${drain.ms} ms is not shorter than stopTimeout ${stop.seconds} s${stop.explicit ? "" : " (the default)"}`,
          `set ${DRAIN_ENV} to at most ${Math.max(0, stop.seconds - 5) * 1000}, or raise stopTimeout (≤ 120)`,
        );
      }
    }
  },
};

export const deregistrationDelay: Rule = {
  id: "deregistration-delay",
  severity: "warning",
  title: "The target group's deregistration delay is shorter than the drain budget",
  why: "ECS waits up to the deregistration delay (300 s by default) before it stops a task, so every rolling deploy takes at least that long per task; and a delay longer than the app's drain budget means connections the load balancer still sends to are cut when the app exits.",
  howToFix: "Set the target group attribute deregistration_delay.timeout_seconds below the drain budget (e.g. 5–15 s for APIs).",
  run(model, report) {
    for (const stack of model.stacks) {
      for (const svc of stack.services) {
        const task = svc.taskDefinition;
        const c = task ? appContainer(task) : undefined;
        if (!c) continue;
        const drain = drainOf(c);
        const stop = stopTimeoutOf(c);
        const budgetS = drain ? drain.ms / 1000 : stop.seconds;
        const budgetText = drain ? `the drain budget ${DRAIN_ENV} ${drain.ms} ms` : `stopTimeout ${stop.seconds} s${stop.explicit ? "" : " (the default)"}`;
        for (const lb of svc.loadBalancers) {
          const tg = lb.targetGroup;
          if (!tg) continue;
          const attrs = tg.node.get("TargetGroupAttributes").items();
          const attr = attrs.find((a) => a.get("Key").str() === "deregistration_delay.timeout_seconds");
          const v = attr ? attr.get("Value").num() : DEFAULT_DEREGISTRATION_DELAY;
          if (v === undefined || v < budgetS) continue;
          report(
            attr ? attr.get("Value") : tg.node.get("TargetGroupAttributes"),
            `target group ${tg.id} deregistration delay ${v} s${attr ? "" : " (the default)"} is not shorter than ${budgetText}`,
            `set deregistration_delay.timeout_seconds below ${Math.floor(budgetS)} (e.g. ${Math.max(0, Math.min(15, Math.floor(budgetS) - 1))})`,
          );
        }
      }
    }
  },
};

export const gracePeriod: Rule = {
  id: "grace-period",
  severity: "error",
  title: "The service's health-check grace period covers the container's startPeriod",
  why: "Load-balancer health checks count from the moment the task starts. If the grace period is shorter than the time the app needs to start (the container's startPeriod), ECS replaces healthy-but-starting tasks and the deployment never settles.",
  howToFix: "Set HealthCheckGracePeriodSeconds on the service to at least the container healthCheck startPeriod.",
  run(model, report) {
    for (const stack of model.stacks) {
      for (const svc of stack.services) {
        if (!svc.loadBalancers.length || !svc.taskDefinition) continue;
        const c = appContainer(svc.taskDefinition as TaskModel);
        const sp = c?.get("healthCheck").get("startPeriod");
        const start = sp?.num();
        if (!c || start === undefined || start === 0) continue;
        const g = svc.node.get("HealthCheckGracePeriodSeconds");
        const grace = g.num();
        if (g.exists && grace === undefined) continue;
        if ((grace ?? 0) >= start) continue;
        report(g, `service ${svc.id} health-check grace period ${grace ?? 0} s${g.exists ? "" : " (not set)"} is shorter than container ${show(containerName(c))} startPeriod ${start} s`, `set HealthCheckGracePeriodSeconds to at least ${start}`);
      }
    }
  },
};

export const TIMING_RULES: Rule[] = [drainBudget, deregistrationDelay, gracePeriod];
