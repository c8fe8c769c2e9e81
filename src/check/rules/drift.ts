/**
 * The JSON task definition (ecs/task-definition.json, for register-task-definition and the ECS deploy actions) and
 * the template's AWS::ECS::TaskDefinition should describe the same task: otherwise the two ways of deploying the
 * project deploy different things.
 */
import { hasToken, type N } from "../model/node.js";
import type { TaskModel } from "../model/project.js";
import type { Rule } from "./rule.js";
import { containerName, show, where } from "./helpers.js";

type Getter = (n: N) => N;

const TASK_FIELDS: Array<[string, Getter]> = [
  ["cpu", (t) => t.get("cpu")],
  ["memory", (t) => t.get("memory")],
  ["networkMode", (t) => t.get("networkMode")],
  ["runtimePlatform.cpuArchitecture", (t) => t.get("runtimePlatform").get("cpuArchitecture")],
  ["family", (t) => t.get("family")],
];

const CONTAINER_FIELDS: Array<[string, Getter]> = [
  ["essential", (c) => c.get("essential")],
  ["portMappings[0].containerPort", (c) => c.get("portMappings").items()[0]?.get("containerPort") ?? c.get("portMappings").get("0")],
  ["stopTimeout", (c) => c.get("stopTimeout")],
  ["readonlyRootFilesystem", (c) => c.get("readonlyRootFilesystem")],
  ["linuxParameters.initProcessEnabled", (c) => c.get("linuxParameters").get("initProcessEnabled")],
  ["healthCheck.interval", (c) => c.get("healthCheck").get("interval")],
  ["healthCheck.timeout", (c) => c.get("healthCheck").get("timeout")],
  ["healthCheck.retries", (c) => c.get("healthCheck").get("retries")],
  ["healthCheck.startPeriod", (c) => c.get("healthCheck").get("startPeriod")],
  ["logConfiguration.logDriver", (c) => c.get("logConfiguration").get("logDriver")],
  ["logConfiguration.options.awslogs-group", (c) => c.get("logConfiguration").get("options").key("awslogs-group")],
  ["logConfiguration.options.awslogs-stream-prefix", (c) => c.get("logConfiguration").get("options").key("awslogs-stream-prefix")],
  ["logConfiguration.options.mode", (c) => c.get("logConfiguration").get("options").key("mode")],
];

function norm(n: N): string | undefined {
  if (!n.exists) return undefined;
  const v = n.str();
  if (v === undefined) return JSON.stringify(n.value);
  return v;
}

function comparable(a: string | undefined, b: string | undefined): boolean {
  return !(a !== undefined && hasToken(a)) && !(b !== undefined && hasToken(b));
}

function mapOf(c: N, list: string, key: string, value: string): Map<string, N> {
  return new Map(c.get(list).items().map((i) => [i.get(key).str() ?? "", i.get(value)] as const));
}

export const taskDefinitionDrift: Rule = {
  id: "task-definition-drift",
  severity: "warning",
  title: "The JSON task definition and the template's task definition describe the same task",
  why: "Projects that keep ecs/task-definition.json (for register-task-definition and the ECS deploy actions) next to a CloudFormation task definition deploy different tasks depending on the path taken when the two drift apart.",
  howToFix: "Make the two agree (the generator builds both from one object; after hand edits, change both).",
  run(model, report) {
    const files = model.tasks.filter((t) => !t.logicalId);
    const stacks = model.tasks.filter((t) => t.logicalId);
    for (const f of files) {
      const family = f.root.get("family").str();
      const peers = stacks.filter((s) => {
        const fam = s.root.get("family").str();
        return fam === undefined || fam === family || hasToken(fam) || stacks.length === 1;
      });
      for (const s of peers) compare(f, s, report);
    }
  },
};

function compare(f: TaskModel, s: TaskModel, report: Parameters<Rule["run"]>[1]): void {
  const other = where(s);
  const diff = (at: N, field: string, a: string | undefined, b: string | undefined) => {
    if (a === b || !comparable(a, b)) return;
    report(at, `${field} is ${a === undefined ? "not set" : show(a)} here but ${b === undefined ? "not set" : show(b)} in ${other}`, `make ${f.doc.file} and ${other} agree`);
  };
  for (const [field, get] of TASK_FIELDS) diff(get(f.root), field, norm(get(f.root)), norm(get(s.root)));
  const sByName = new Map(s.containers.map((c) => [containerName(c), c]));
  const fNames = f.containers.map(containerName);
  for (const c of f.containers) {
    const name = containerName(c);
    const peer = sByName.get(name);
    if (!peer) {
      if (![...sByName.keys()].some(hasToken)) report(c.get("name"), `container ${show(name)} is not in ${other}`, `make ${f.doc.file} and ${other} agree`);
      continue;
    }
    for (const [field, get] of CONTAINER_FIELDS) diff(get(c), `container ${show(name)} ${field}`, norm(get(c)), norm(get(peer)));
    for (const [list, key, value, what] of [
      ["environment", "name", "value", "environment"],
      ["secrets", "name", "valueFrom", "secret"],
    ] as const) {
      const a = mapOf(c, list, key, value);
      const b = mapOf(peer, list, key, value);
      for (const k of new Set([...a.keys(), ...b.keys()])) {
        const av = a.get(k);
        const bv = b.get(k);
        diff(av ?? c.get(list), `container ${show(name)} ${what} ${k}`, av ? norm(av) : undefined, bv ? norm(bv) : undefined);
      }
    }
  }
  for (const name of sByName.keys()) {
    if (!fNames.includes(name) && !hasToken(name)) report(f.root.get("containerDefinitions"), `${other} has container ${show(name)}, which is not here`, `make ${f.doc.file} and ${other} agree`);
  }
}

export const DRIFT_RULES: Rule[] = [taskDefinitionDrift];
