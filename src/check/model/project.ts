/**
 * The project as `check` sees it: task definitions (from ecs/*.json and from templates), the roles their
 * execution/task role ARNs point to with every policy that applies to them, ECS services with their target
 * groups, load balancers, listeners and security groups. Built once from the parsed input; rules read it.
 */
import type { BuildScript, CheckInput, Dockerfile } from "../types.js";
import { Doc, N } from "./node.js";
import { Template, type Resource } from "./template.js";

export interface PolicyDocModel {
  /** The policy document (the object holding Statement). */
  node: N;
  /** "trust" for assume-role policies, "identity" for permission policies. */
  kind: "trust" | "identity";
}

export interface RoleModel {
  /** For messages: the role's logical id, or the ecs/ file family ("execution role in ecs/"). */
  label: string;
  /** Node that defines the role (the AWS::IAM::Role properties, or the trust/policy file root). */
  node: N;
  trust: PolicyDocModel[];
  policies: PolicyDocModel[];
  /** Attached managed policy ARNs (resolved; may contain tokens). */
  managed: string[];
}

export interface TaskModel {
  doc: Doc;
  /** The task definition object in API (register) shape or CloudFormation Properties. */
  root: N;
  /** Logical id when the task definition is a template resource. */
  logicalId?: string;
  containers: N[];
  executionRole?: RoleModel;
  taskRole?: RoleModel;
  /** The role ARN is set but we could not find the role's policies (managed elsewhere). */
  executionRoleUnknown: boolean;
  taskRoleUnknown: boolean;
  services: ServiceModel[];
}

export interface TargetGroupModel {
  id: string;
  node: N;
}

export interface ListenerModel {
  id: string;
  node: N;
  loadBalancerId?: string;
  /** Target groups its default actions (or its rules) forward to. */
  targetGroupIds: string[];
}

export interface LoadBalancerModel {
  id: string;
  node: N;
  securityGroupIds: string[];
  listeners: ListenerModel[];
}

export interface IngressModel {
  node: N;
  /** Security group the rule belongs to (logical id), when known. */
  groupId?: string;
}

export interface SecurityGroupModel {
  id: string;
  node: N;
  ingress: IngressModel[];
}

export interface LoadBalancerLink {
  node: N;
  targetGroup?: TargetGroupModel;
}

export interface ServiceModel {
  doc: Doc;
  id: string;
  /** Properties of the AWS::ECS::Service. */
  node: N;
  dependsOn: string[];
  taskDefinition?: TaskModel;
  loadBalancers: LoadBalancerLink[];
  securityGroupIds: string[];
}

export interface StackModel {
  doc: Doc;
  template: Template;
  services: ServiceModel[];
  targetGroups: Map<string, TargetGroupModel>;
  loadBalancers: Map<string, LoadBalancerModel>;
  listeners: Map<string, ListenerModel>;
  securityGroups: Map<string, SecurityGroupModel>;
  roles: Map<string, RoleModel>;
}

export interface ProjectModel {
  tasks: TaskModel[];
  stacks: StackModel[];
  /** Every policy document in the project, wherever it came from (files, inline, AWS::IAM::Policy, trust). */
  policyDocs: PolicyDocModel[];
  /** Roles assembled from ecs/*.json files. */
  fileRoles: { execution?: RoleModel; task?: RoleModel };
  dockerfiles: Dockerfile[];
  buildScripts: BuildScript[];
}

function resourceNode(doc: Doc, r: Resource): N {
  return doc.root().get("Resources").key(r.id).get("Properties");
}

function isTrustDoc(node: N): boolean {
  const st = node.get("Statement");
  const list = st.isArray() ? st.items() : [st];
  return list.some((s) => s.get("Principal").exists || s.get("Action").strings().some((a) => /^sts:assumerole/i.test(a)));
}

/** Role name from an IAM role ARN ("arn:aws:iam::123:role/path/name" → "name"). */
export function roleNameFromArn(arn: string): string | undefined {
  const m = /:role\/(?:.*\/)?([^/]+)$/.exec(arn);
  return m?.[1];
}

export function buildProject(input: CheckInput): ProjectModel {
  const policyDocs: PolicyDocModel[] = [];

  // ---- ecs/*.json policy files → roles by file name
  const fileRoles: { execution?: RoleModel; task?: RoleModel } = {};
  const sharedTrust: PolicyDocModel[] = [];
  for (const p of input.policies) {
    const doc = new Doc(p);
    const node = doc.root();
    const kind = isTrustDoc(node) ? "trust" : "identity";
    const pd: PolicyDocModel = { node, kind };
    policyDocs.push(pd);
    const base = p.file.split("/").pop()!.toLowerCase();
    const which = base.includes("execution") ? "execution" : base.includes("task") ? "task" : undefined;
    if (!which) {
      if (kind === "trust") sharedTrust.push(pd);
      continue;
    }
    const role = (fileRoles[which] ??= { label: `${which} role (${p.file.replace(/[^/]*$/, "")}*${which}*.json)`, node, trust: [], policies: [], managed: [] });
    (kind === "trust" ? role.trust : role.policies).push(pd);
  }
  for (const role of [fileRoles.execution, fileRoles.task]) {
    if (!role) continue;
    if (role.trust.length === 0) role.trust.push(...sharedTrust);
    const files = (role.policies.length ? role.policies : role.trust).map((p) => p.node.doc.file);
    role.label = [...new Set(files)].join(", ");
  }

  // ---- templates
  const stacks: StackModel[] = [];
  const stackTasks: TaskModel[] = [];
  for (const t of input.templates) {
    const doc = new Doc(t);
    const template = new Template((t.data ?? {}) as Record<string, unknown>);
    doc.template = template;
    const stack: StackModel = {
      doc,
      template,
      services: [],
      targetGroups: new Map(),
      loadBalancers: new Map(),
      listeners: new Map(),
      securityGroups: new Map(),
      roles: new Map(),
    };
    stacks.push(stack);

    for (const r of template.ofType("AWS::IAM::Role")) {
      const node = resourceNode(doc, r);
      const role: RoleModel = { label: `${r.id} in ${doc.file}`, node, trust: [], policies: [], managed: node.get("ManagedPolicyArns").strings() };
      const trust = node.get("AssumeRolePolicyDocument");
      if (trust.exists) {
        const pd: PolicyDocModel = { node: trust, kind: "trust" };
        role.trust.push(pd);
        policyDocs.push(pd);
      }
      for (const p of node.get("Policies").items()) {
        const d = p.get("PolicyDocument");
        if (!d.exists) continue;
        const pd: PolicyDocModel = { node: d, kind: "identity" };
        role.policies.push(pd);
        policyDocs.push(pd);
      }
      stack.roles.set(r.id, role);
    }
    for (const type of ["AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::RolePolicy"]) {
      for (const r of template.ofType(type)) {
        const node = resourceNode(doc, r);
        const d = node.get("PolicyDocument");
        if (!d.exists) continue;
        const pd: PolicyDocModel = { node: d, kind: "identity" };
        policyDocs.push(pd);
        const roleRefs = type === "AWS::IAM::RolePolicy" ? [node.get("RoleName")] : node.get("Roles").items();
        for (const ref of roleRefs) {
          const id = ref.refTarget() ?? findRoleByName(stack, ref.str());
          if (id) stack.roles.get(id)?.policies.push(pd);
        }
      }
    }
    // Managed policies attached through AWS::IAM::ManagedPolicy Ref in ManagedPolicyArns are already in policies above
    // (ManagedPolicy.Roles); a Ref in ManagedPolicyArns to one of our ManagedPolicy resources:
    for (const [, role] of stack.roles) {
      const refs = role.node.get("ManagedPolicyArns").items();
      for (const ref of refs) {
        const id = ref.refTarget();
        const res = id ? template.resources.get(id) : undefined;
        if (res?.type === "AWS::IAM::ManagedPolicy") {
          const d = resourceNode(doc, res).get("PolicyDocument");
          if (d.exists) role.policies.push({ node: d, kind: "identity" });
          role.managed = role.managed.filter((m) => m !== ref.str());
        }
      }
    }

    for (const r of template.ofType("AWS::ElasticLoadBalancingV2::TargetGroup")) {
      stack.targetGroups.set(r.id, { id: r.id, node: resourceNode(doc, r) });
    }
    for (const r of template.ofType("AWS::EC2::SecurityGroup")) {
      const node = resourceNode(doc, r);
      stack.securityGroups.set(r.id, { id: r.id, node, ingress: node.get("SecurityGroupIngress").items().map((n) => ({ node: n, groupId: r.id })) });
    }
    for (const r of template.ofType("AWS::EC2::SecurityGroupIngress")) {
      const node = resourceNode(doc, r);
      const groupId = node.get("GroupId").refTarget();
      const rule: IngressModel = groupId ? { node, groupId } : { node };
      if (groupId && stack.securityGroups.has(groupId)) stack.securityGroups.get(groupId)!.ingress.push(rule);
      else {
        const orphan = `(ingress ${r.id})`;
        const sg = stack.securityGroups.get(orphan) ?? { id: orphan, node, ingress: [] };
        sg.ingress.push(rule);
        stack.securityGroups.set(orphan, sg);
      }
    }
    for (const r of template.ofType("AWS::ElasticLoadBalancingV2::LoadBalancer")) {
      const node = resourceNode(doc, r);
      stack.loadBalancers.set(r.id, {
        id: r.id,
        node,
        securityGroupIds: node.get("SecurityGroups").items().map((s) => s.refTarget()).filter((x): x is string => !!x),
        listeners: [],
      });
    }
    for (const r of template.ofType("AWS::ElasticLoadBalancingV2::Listener")) {
      const node = resourceNode(doc, r);
      const lbId = node.get("LoadBalancerArn").refTarget();
      const listener: ListenerModel = { id: r.id, node, targetGroupIds: forwardTargets(node.get("DefaultActions")) };
      if (lbId) listener.loadBalancerId = lbId;
      stack.listeners.set(r.id, listener);
      if (lbId) stack.loadBalancers.get(lbId)?.listeners.push(listener);
    }
    for (const r of template.ofType("AWS::ElasticLoadBalancingV2::ListenerRule")) {
      const node = resourceNode(doc, r);
      const lid = node.get("ListenerArn").refTarget();
      const l = lid ? stack.listeners.get(lid) : undefined;
      if (l) l.targetGroupIds.push(...forwardTargets(node.get("Actions")));
    }

    const taskById = new Map<string, TaskModel>();
    for (const r of template.ofType("AWS::ECS::TaskDefinition")) {
      const root = resourceNode(doc, r);
      const task = makeTask(doc, root, r.id);
      linkStackRole(task, "execution", root.get("executionRoleArn"), stack);
      linkStackRole(task, "task", root.get("taskRoleArn"), stack);
      taskById.set(r.id, task);
      stackTasks.push(task);
    }
    for (const r of template.ofType("AWS::ECS::Service")) {
      const node = resourceNode(doc, r);
      const tdId = node.get("TaskDefinition").refTarget();
      const svc: ServiceModel = {
        doc,
        id: r.id,
        node,
        dependsOn: r.dependsOn,
        loadBalancers: node.get("LoadBalancers").items().map((lb) => {
          const tg = lb.get("TargetGroupArn").refTarget();
          const link: LoadBalancerLink = { node: lb };
          const model = tg ? stack.targetGroups.get(tg) : undefined;
          if (model) link.targetGroup = model;
          return link;
        }),
        securityGroupIds: node
          .get("NetworkConfiguration")
          .get("AwsvpcConfiguration")
          .get("SecurityGroups")
          .items()
          .map((s) => s.refTarget())
          .filter((x): x is string => !!x),
      };
      const task = tdId ? taskById.get(tdId) : undefined;
      if (task) {
        svc.taskDefinition = task;
        task.services.push(svc);
      }
      stack.services.push(svc);
    }
  }

  // ---- task definition files
  const fileTasks: TaskModel[] = [];
  for (const p of input.taskDefinitions) {
    const doc = new Doc(p);
    let root = doc.root();
    if (!root.get("containerDefinitions").exists && root.key("taskDefinition").exists) root = root.key("taskDefinition");
    const task = makeTask(doc, root, undefined);
    for (const which of ["execution", "task"] as const) {
      const arn = root.get(which === "execution" ? "executionRoleArn" : "taskRoleArn");
      if (!arn.exists) continue;
      const fromFiles = fileRoles[which];
      const name = roleNameFromArn(arn.str() ?? "");
      const fromStack = stacks
        .map((s) => {
          const id = name ? findRoleByName(s, name) : undefined;
          return id ? s.roles.get(id) : undefined;
        })
        .find((r) => r !== undefined);
      const role = fromFiles ?? fromStack;
      if (role) task[which === "execution" ? "executionRole" : "taskRole"] = role;
      else task[which === "execution" ? "executionRoleUnknown" : "taskRoleUnknown"] = true;
    }
    fileTasks.push(task);
    // A stack service whose TaskDefinition is not one of the stack's resources runs this file's task definition.
    for (const s of stacks) {
      for (const svc of s.services) {
        if (!svc.taskDefinition && input.taskDefinitions.length === 1) {
          svc.taskDefinition = task;
          task.services.push(svc);
        }
      }
    }
  }

  return {
    tasks: [...fileTasks, ...stackTasks],
    stacks,
    policyDocs,
    fileRoles,
    dockerfiles: input.dockerfiles,
    buildScripts: input.buildScripts,
  };
}

function makeTask(doc: Doc, root: N, logicalId: string | undefined): TaskModel {
  const task: TaskModel = {
    doc,
    root,
    containers: root.get("containerDefinitions").items(),
    executionRoleUnknown: false,
    taskRoleUnknown: false,
    services: [],
  };
  if (logicalId) task.logicalId = logicalId;
  return task;
}

function findRoleByName(stack: StackModel, name: string | undefined): string | undefined {
  if (!name) return undefined;
  for (const [id, role] of stack.roles) {
    if (role.node.get("RoleName").str() === name) return id;
  }
  return undefined;
}

function linkStackRole(task: TaskModel, which: "execution" | "task", arn: N, stack: StackModel): void {
  if (!arn.exists) return;
  const id = arn.refTarget() ?? findRoleByName(stack, roleNameFromArn(arn.str() ?? ""));
  const role = id ? stack.roles.get(id) : undefined;
  if (role) task[which === "execution" ? "executionRole" : "taskRole"] = role;
  else task[which === "execution" ? "executionRoleUnknown" : "taskRoleUnknown"] = true;
}

function forwardTargets(actions: N): string[] {
  const out: string[] = [];
  for (const a of actions.items()) {
    const direct = a.get("TargetGroupArn").refTarget();
    if (direct) out.push(direct);
    for (const tg of a.get("ForwardConfig").get("TargetGroups").items()) {
      const id = tg.get("TargetGroupArn").refTarget();
      if (id) out.push(id);
    }
  }
  return out;
}

/** The container that serves traffic: the one a load balancer targets, else the first essential one with a port. */
export function appContainer(task: TaskModel): N | undefined {
  for (const svc of task.services) {
    for (const lb of svc.loadBalancers) {
      const name = lb.node.get("ContainerName").str();
      const c = task.containers.find((x) => x.get("name").str() === name);
      if (c) return c;
    }
  }
  const essential = task.containers.filter((c) => c.get("essential").bool() !== false);
  return essential.find((c) => c.get("portMappings").items().length > 0) ?? essential[0] ?? task.containers[0];
}

/** "ecs/task-definition.json" or "infra/stack.yaml (TaskDefinition)" */
export function taskLabel(task: TaskModel): string {
  return task.logicalId ? `${task.doc.file} (${task.logicalId})` : task.doc.file;
}
