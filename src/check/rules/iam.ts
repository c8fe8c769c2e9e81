/** IAM rules: policies that parse, name real actions, grant no more than needed, and grant what the task needs. */
import { closest, lookupAction, needsStarResource } from "../iam-catalogue.js";
import { roleAllows, resourceMatches, statements, type Statement } from "../iam.js";
import { hasToken, type N } from "../model/node.js";
import type { ProjectModel, RoleModel, TaskModel } from "../model/project.js";
import { partitionOf } from "../../fargate/regions.js";
import type { Rule } from "./rule.js";
import { containerName, logDriver, logOptions, show, writableMountAt } from "./helpers.js";

export const ECS_TASKS_PRINCIPAL = "ecs-tasks.amazonaws.com";

export const iamPolicySyntax: Rule = {
  id: "iam-policy-syntax",
  severity: "error",
  title: "Policy documents have the elements IAM requires",
  why: "IAM rejects a statement without Effect Allow/Deny, without Action, an identity policy statement without Resource or with a Principal, a trust statement with a Resource, and a Sid with characters other than letters and digits. The JSON files in ecs/ are not linted by cfn-lint.",
  howToFix: "Use Version \"2012-10-17\" and, in each statement, Effect, Action and (for identity policies) Resource; no Principal outside trust policies.",
  run(model, report) {
    for (const pd of model.policyDocs) {
      const version = pd.node.get("Version");
      const v = version.str();
      if (v !== undefined && v !== "2012-10-17" && v !== "2008-10-17") report(version, `Version ${show(v)} is not a policy language version`, `set "Version": "2012-10-17"`);
      const st = pd.node.get("Statement");
      if (!st.exists) {
        report(st, "policy has no Statement", "add a Statement list");
        continue;
      }
      for (const s of statements(pd.node)) {
        const effect = s.node.get("Effect");
        if (s.effect !== "Allow" && s.effect !== "Deny") report(effect, s.effect === undefined ? "statement has no Effect" : `Effect ${show(s.effect)} is not Allow or Deny`, `set "Effect": "Allow"`);
        if (!s.node.get("Action").exists && !s.node.get("NotAction").exists) {
          const typo = s.node.entries().find(([k]) => /^actions?$/i.test(k) && k !== "Action");
          report(typo ? typo[1] : s.node, typo ? `statement has ${show(typo[0])} instead of "Action"` : "statement has no Action", `use the key "Action"`);
        }
        const sid = s.node.get("Sid").str();
        if (sid !== undefined && !hasToken(sid) && !/^[A-Za-z0-9]*$/.test(sid)) report(s.node.get("Sid"), `Sid ${show(sid)} has characters other than letters and digits`, `use only A-Z, a-z and 0-9 in Sid`);
        if (pd.kind === "identity") {
          if (!s.node.get("Resource").exists && !s.node.get("NotResource").exists) report(s.node, "statement has no Resource", "add the Resource ARNs the statement applies to");
          if (s.node.get("Principal").exists) report(s.node.get("Principal"), "Principal is not allowed in an identity policy", "remove Principal (it belongs in the role's trust policy)");
        } else {
          if (s.node.get("Resource").exists) report(s.node.get("Resource"), "Resource is not allowed in a trust policy", "remove Resource");
          if (!s.node.get("Principal").exists && !s.node.get("NotPrincipal").exists) report(s.node, "trust policy statement has no Principal", `add "Principal": {"Service": "${ECS_TASKS_PRINCIPAL}"}`);
        }
      }
    }
  },
};

function allActions(s: Statement): Array<{ value: string; node: N }> {
  return [...s.actions, ...s.notActions];
}

export const iamActionUnknown: Rule = {
  id: "iam-action-unknown",
  severity: "error",
  title: "Every IAM action exists",
  why: "IAM accepts any action name without complaint, so a misspelt action (logs:PutLogStream is a classic) silently grants nothing and the task fails at run time. Checked against the shipped action catalogue (cfn-lint's Policies.json).",
  howToFix: "Use the exact action name from the service's list of actions (the finding suggests the nearest).",
  run(model, report) {
    for (const pd of model.policyDocs) {
      for (const s of statements(pd.node)) {
        for (const a of allActions(s)) {
          if (a.value === "*" || hasToken(a.value)) continue;
          const r = lookupAction(a.value);
          if (r.kind === "ok") continue;
          if (r.kind === "no-prefix") report(a.node, `action ${show(a.value)} has no service prefix`, `write it as "<service>:<Action>", e.g. "logs:CreateLogStream"`);
          else if (r.kind === "unknown-service") report(a.node, `action ${show(a.value)}: ${show(r.service)} is not an AWS service prefix`, r.suggestion ? `did you mean "${r.suggestion}:${a.value.slice(a.value.indexOf(":") + 1)}"?` : "use the service's IAM prefix (e.g. logs, ecr, secretsmanager, ssm)");
          else {
            const wild = /[*?]/.test(r.action);
            const sugg = r.suggestions.map((x) => `"${r.service}:${x}"`).join(" and ");
            report(
              a.node,
              wild ? `action ${show(a.value)} matches no ${r.service} action` : `action ${show(a.value)} does not exist; IAM accepts it and grants nothing`,
              sugg ? `use ${sugg}` : `use an action from the ${r.service} list of actions`,
            );
          }
        }
      }
    }
  },
};

export const iamWildcardAction: Rule = {
  id: "iam-wildcard-action",
  severity: "error",
  title: "No \"*\" or \"service:*\" actions, no Allow with NotAction",
  why: "A wildcard action grants every current and future action of a service (or of all services); an Allow with NotAction does the same for everything not listed.",
  howToFix: "List the exact actions the role needs.",
  run(model, report) {
    for (const pd of model.policyDocs) {
      if (pd.kind !== "identity") continue;
      for (const s of statements(pd.node)) {
        if (s.effect !== "Allow") continue;
        for (const a of s.actions) {
          if (a.value === "*" || /^[a-z0-9-]+:\*$/i.test(a.value)) report(a.node, `action ${show(a.value)} allows every action${a.value === "*" ? " of every service" : ` of ${a.value.split(":")[0]}`}`, "list the exact actions instead");
        }
        if (s.notActions.length) report(s.node.get("NotAction"), "Allow with NotAction allows every action not listed", "use Action with the exact actions instead");
      }
    }
  },
};

function isWildcardResource(r: string): boolean {
  if (r === "*") return true;
  const parts = r.split(":");
  return parts.length >= 6 && parts[0] === "arn" && parts.slice(5).join(":") === "*";
}

export const iamWildcardResource: Rule = {
  id: "iam-wildcard-resource",
  severity: "error",
  title: "No \"*\" resource, except for actions that have no resource-level permissions",
  why: "Resource \"*\" gives the action over every resource in the account. It is needed only by actions for which IAM defines no resource type (ecr:GetAuthorizationToken, the X-Ray write actions, the ssmmessages actions of ECS Exec), as the action catalogue records.",
  howToFix: "Put the exact ARNs in Resource, and keep \"*\" in a separate statement holding only the actions that have no resource type.",
  run(model, report) {
    for (const pd of model.policyDocs) {
      if (pd.kind !== "identity") continue;
      for (const s of statements(pd.node)) {
        if (s.effect !== "Allow") continue;
        const wild = s.resources.filter((r) => isWildcardResource(r.value));
        if (s.notResources.length) report(s.node.get("NotResource"), "Allow with NotResource allows every resource not listed", "use Resource with the exact ARNs instead");
        if (!wild.length) continue;
        // Unknown actions are iam-action-unknown's business; "*" actions are iam-wildcard-action's.
        const scoped = s.actions.filter((a) => !hasToken(a.value) && lookupAction(a.value).kind === "ok" && !/(^|:)\*$/.test(a.value) && !needsStarResource(a.value));
        if (!scoped.length) continue;
        report(
          wild[0]!.node,
          `Resource ${show(wild[0]!.value)} with ${scoped.map((a) => a.value).join(", ")}, which ${scoped.length === 1 ? "supports" : "support"} resource-level permissions`,
          "name the exact ARNs; only actions with no resource type (e.g. ecr:GetAuthorizationToken) may keep \"*\", in their own statement",
        );
      }
    }
  },
};

/** The roles tasks use, with which use. */
function rolesInUse(model: ProjectModel): Map<RoleModel, Set<"execution" | "task">> {
  const out = new Map<RoleModel, Set<"execution" | "task">>();
  const add = (r: RoleModel | undefined, w: "execution" | "task") => {
    if (!r) return;
    if (!out.has(r)) out.set(r, new Set());
    out.get(r)!.add(w);
  };
  for (const t of model.tasks) {
    add(t.executionRole, "execution");
    add(t.taskRole, "task");
  }
  add(model.fileRoles.execution, "execution");
  add(model.fileRoles.task, "task");
  return out;
}

export const trustPolicy: Rule = {
  id: "trust-policy",
  severity: "error",
  title: "Execution and task roles trust exactly ecs-tasks.amazonaws.com with sts:AssumeRole",
  why: "ECS assumes both roles as the service principal ecs-tasks.amazonaws.com. A typo (ecs-task.amazonaws.com, ecs.amazonaws.com) is accepted by IAM and cfn-lint, and the task then fails to start; any other principal widens who can use the role.",
  howToFix: "Use {\"Effect\": \"Allow\", \"Principal\": {\"Service\": \"ecs-tasks.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"} as the role's only trust statement.",
  run(model, report) {
    for (const [role, uses] of rolesInUse(model)) {
      const what = [...uses].join(" and ");
      if (!role.trust.length) continue;
      let trusted = false;
      let reported = false;
      const flag = (at: N, message: string, fix: string) => {
        reported = true;
        report(at, message, fix);
      };
      for (const pd of role.trust) {
        for (const s of statements(pd.node)) {
          if (s.effect !== "Allow") continue;
          const principal = s.node.get("Principal");
          const services = principal.get("Service").strings();
          const others = principal.entries().filter(([k]) => k !== "Service");
          if (principal.str() === "*") flag(principal, `${what} role trust policy allows any principal ("*")`, `set "Principal": {"Service": "${ECS_TASKS_PRINCIPAL}"}`);
          for (const [k, n] of others) flag(n, `${what} role trust policy also trusts ${k} principal ${show(n.strings().join(", "))}`, `trust only {"Service": "${ECS_TASKS_PRINCIPAL}"}`);
          for (const svc of services) {
            if (svc === ECS_TASKS_PRINCIPAL || hasToken(svc)) continue;
            const near = closest(svc, [ECS_TASKS_PRINCIPAL], 4).length > 0 || /^ecs/.test(svc);
            flag(principal.get("Service"), `${what} role trusts ${show(svc)}${near ? `, not ${show(ECS_TASKS_PRINCIPAL)}: ECS cannot assume the role` : ""}`, `set "Principal": {"Service": "${ECS_TASKS_PRINCIPAL}"}`);
          }
          const actions = s.actions.map((a) => a.value);
          if (services.includes(ECS_TASKS_PRINCIPAL)) {
            if (actions.some((a) => a.toLowerCase() === "sts:assumerole")) trusted = true;
            else flag(s.node.get("Action"), `${what} role trust statement for ${ECS_TASKS_PRINCIPAL} allows ${show(actions)}, not sts:AssumeRole`, `set "Action": "sts:AssumeRole"`);
          }
        }
      }
      const anyToken = role.trust.some((pd) => statements(pd.node).some((s) => s.node.get("Principal").get("Service").strings().some(hasToken)));
      if (!trusted && !anyToken && !reported) {
        const at = role.trust[0]!.node;
        report(at.get("Statement"), `${what} role has no trust statement allowing ${ECS_TASKS_PRINCIPAL} to sts:AssumeRole`, `add {"Effect": "Allow", "Principal": {"Service": "${ECS_TASKS_PRINCIPAL}"}, "Action": "sts:AssumeRole"}`);
      }
    }
  },
};

// ----------------------------------------------------------------------------------------------------------------
// What the execution role must grant.

/** ECR repository of an image: { region, account, repository } or undefined for non-ECR images. */
export function ecrImage(image: string): { account: string; region: string; repository: string } | undefined {
  const m = /^([^./]+)\.dkr\.ecr\.([^./]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)/.exec(image);
  return m ? { account: m[1]!, region: m[2]!, repository: m[3]! } : undefined;
}

interface SecretRef {
  node: N;
  container: string;
  valueFrom: string;
  action: string;
  /** ARNs to test; granted if any is allowed. */
  candidates: string[];
}

const SAMPLE_SUFFIX = "-AbC123";

/** The secrets a task reads through its execution role (container secrets, log secretOptions, registry credentials). */
export function secretRefs(task: TaskModel): SecretRef[] {
  const out: SecretRef[] = [];
  for (const c of task.containers) {
    const name = containerName(c);
    const nodes = [
      ...c.get("secrets").items().map((s) => s.get("valueFrom")),
      ...c.get("logConfiguration").get("secretOptions").items().map((s) => s.get("valueFrom")),
      c.get("repositoryCredentials").get("credentialsParameter"),
    ];
    for (const n of nodes) {
      const v = n.str();
      if (v === undefined || v === "") continue;
      const ref = describeSecret(v);
      if (ref) out.push({ node: n, container: name, valueFrom: v, ...ref });
    }
  }
  return out;
}

/**
 * The IAM action and resource(s) for a valueFrom. A Secrets Manager ARN without the "-xxxxxx" suffix is a partial
 * ARN: IAM compares the full one, so we test a sample suffixed ARN; a name that may or may not end in a suffix
 * ("my-secret") is tested both ways.
 */
function describeSecret(v: string): { action: string; candidates: string[] } | undefined {
  const parts = v.split(":");
  if (parts[0] === "arn" && parts[2] === "secretsmanager" && parts.length >= 7) {
    const arn = parts.slice(0, 7).join(":");
    const name = parts[6]!;
    const last = name.split("-").pop() ?? "";
    const hasSuffix = name.includes("-") && /^[A-Za-z0-9]{6}$/.test(last);
    const clearlySuffixed = hasSuffix && /[A-Z0-9]/.test(last);
    const candidates = clearlySuffixed ? [arn] : hasSuffix ? [arn, arn + SAMPLE_SUFFIX] : [arn + SAMPLE_SUFFIX];
    return { action: "secretsmanager:GetSecretValue", candidates };
  }
  if (parts[0] === "arn" && parts[2] === "ssm") return { action: "ssm:GetParameters", candidates: [v] };
  if (parts[0] === "arn") return undefined;
  if (hasToken(v)) return undefined;
  // A bare SSM parameter name (same region).
  return { action: "ssm:GetParameters", candidates: [`arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter/${v.replace(/^\//, "")}`] };
}

function needsExecutionRole(task: TaskModel): string[] {
  const why: string[] = [];
  for (const c of task.containers) {
    const name = show(containerName(c));
    if (logDriver(c) === "awslogs") why.push(`container ${name} logs with awslogs`);
    const image = c.get("image").str();
    if (image && ecrImage(image)) why.push(`container ${name} pulls from ECR`);
  }
  if (secretRefs(task).length) why.push("the task reads secrets");
  return why;
}

export const executionRoleRequired: Rule = {
  id: "execution-role-required",
  severity: "error",
  title: "An execution role is set when awslogs, ECR images or secrets are used",
  why: "The Fargate agent pulls ECR images, writes awslogs and fetches secrets with the task execution role. Without executionRoleArn the task fails to start; cfn-lint and moto do not notice.",
  howToFix: "Set executionRoleArn to a role trusted by ecs-tasks.amazonaws.com that grants ECR pull, logs:CreateLogStream/PutLogEvents on the log group, and read on the secrets.",
  run(model, report) {
    for (const task of model.tasks) {
      const n = task.root.get("executionRoleArn");
      if (n.exists) continue;
      const why = needsExecutionRole(task);
      if (why.length) report(n, `executionRoleArn is not set, but ${why.join(", ")}`, "set executionRoleArn to the task execution role's ARN");
    }
  },
};

function logStreamArn(region: string, group: string, prefix: string, container: string): string {
  const partition = hasToken(region) ? "${AWS::Partition}" : partitionOf(region);
  return `arn:${partition}:logs:${region}:\${AWS::AccountId}:log-group:${group}:log-stream:${prefix}/${container}/0123456789abcdef0123456789abcdef`;
}

export const executionRoleLogs: Rule = {
  id: "execution-role-logs",
  severity: "error",
  title: "The execution role allows logs:CreateLogStream and logs:PutLogEvents on the awslogs group",
  why: "The awslogs driver creates the task's stream and writes to it with the execution role. If the role does not grant both actions on this group's streams (…:log-group:NAME:*), the task fails to start with a CannotStartContainerError.",
  howToFix: "Grant logs:CreateLogStream and logs:PutLogEvents on arn:aws:logs:REGION:ACCOUNT:log-group:NAME:* (note the :* for the streams).",
  run(model, report) {
    for (const task of model.tasks) {
      const role = task.executionRole;
      if (!role) continue;
      for (const c of task.containers) {
        if (logDriver(c) !== "awslogs") continue;
        const opts = logOptions(c);
        const group = opts.key("awslogs-group").str();
        const region = opts.key("awslogs-region").str() ?? "${AWS::Region}";
        if (!group) continue;
        const prefix = opts.key("awslogs-stream-prefix").str() ?? "ecs";
        const arn = logStreamArn(region, group, prefix, containerName(c));
        const missing = ["logs:CreateLogStream", "logs:PutLogEvents"].filter((a) => roleAllows(role, a, arn).allowed === false);
        if (missing.length) {
          report(
            opts.key("awslogs-group"),
            `container ${show(containerName(c))} logs to ${show(group)}, but the execution role (${role.label}) does not allow ${missing.join(" and ")} on its streams`,
            `grant ${missing.join(", ")} on "arn:aws:logs:${hasToken(region) ? "REGION" : region}:ACCOUNT:log-group:${group}:*" in the execution role's policy`,
          );
        }
        if (opts.key("awslogs-create-group").str()?.toLowerCase() === "true") {
          const groupArns = [arn.replace(/:log-stream:.*$/, ""), arn.replace(/:log-stream:.*$/, ":*")];
          const g = groupArns.map((x) => roleAllows(role, "logs:CreateLogGroup", x).allowed);
          if (g.every((x) => x === false)) {
            report(opts.key("awslogs-create-group"), `awslogs-create-group is true, but the execution role (${role.label}) does not allow logs:CreateLogGroup on ${show(group)}`, "grant logs:CreateLogGroup on the group, or better: create the group in the stack and remove awslogs-create-group");
          }
        }
      }
    }
  },
};

const ECR_PULL = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];

export const executionRoleEcr: Rule = {
  id: "execution-role-ecr",
  severity: "error",
  title: "The execution role can pull the task's ECR images",
  why: "Fargate pulls private ECR images with the execution role: it needs ecr:GetAuthorizationToken (on \"*\") and ecr:BatchGetImage plus ecr:GetDownloadUrlForLayer on the repository, or the task stops with CannotPullContainerError.",
  howToFix: "Grant ecr:GetAuthorizationToken on \"*\" and ecr:BatchGetImage, ecr:GetDownloadUrlForLayer (and ecr:BatchCheckLayerAvailability) on arn:aws:ecr:REGION:ACCOUNT:repository/NAME.",
  run(model, report) {
    for (const task of model.tasks) {
      const role = task.executionRole;
      if (!role) continue;
      for (const c of task.containers) {
        const image = c.get("image");
        const ecr = ecrImage(image.str() ?? "");
        if (!ecr) continue;
        const account = /^\d{12}$/.test(ecr.account) ? ecr.account : "${AWS::AccountId}";
        const partition = hasToken(ecr.region) ? "${AWS::Partition}" : partitionOf(ecr.region);
        const repoArn = `arn:${partition}:ecr:${ecr.region}:${account}:repository/${ecr.repository}`;
        const missing: string[] = [];
        if (roleAllows(role, "ecr:GetAuthorizationToken", "*").allowed === false) missing.push("ecr:GetAuthorizationToken on \"*\"");
        const pull = ECR_PULL.filter((a) => roleAllows(role, a, repoArn).allowed === false);
        if (pull.length) missing.push(`${pull.join(", ")} on repository ${show(ecr.repository)}`);
        if (missing.length) {
          report(image, `container ${show(containerName(c))} pulls from ECR, but the execution role (${role.label}) does not allow ${missing.join("; ")}`, `grant ${missing.join("; ")} in the execution role's policy`);
        }
      }
    }
  },
};

export const secretNotGranted: Rule = {
  id: "secret-not-granted",
  severity: "error",
  title: "Every secret the task references is readable by the execution role",
  why: "ECS fetches secrets (Secrets Manager or SSM Parameter Store) with the execution role before the container starts; a secret it cannot read stops the task with ResourceInitializationError. Granting it to the task role instead does not help.",
  howToFix: "Grant secretsmanager:GetSecretValue (or ssm:GetParameters) on the exact ARN in the execution role's policy (plus kms:Decrypt for a customer-managed key).",
  run(model, report) {
    for (const task of model.tasks) {
      const role = task.executionRole;
      if (!role) continue;
      for (const ref of secretRefs(task)) {
        const results = ref.candidates.map((arn) => roleAllows(role, ref.action, arn).allowed);
        if (!results.every((r) => r === false)) continue;
        const viaTaskRole = task.taskRole && ref.candidates.some((arn) => roleAllows(task.taskRole!, ref.action, arn).allowed === true);
        const suffixHint =
          ref.action.startsWith("secretsmanager") && ref.candidates.every((x) => x.endsWith(SAMPLE_SUFFIX)) ? ` (a partial ARN: grant ${show(`${ref.valueFrom.split(":").slice(0, 7).join(":")}-??????`)})` : "";
        report(
          ref.node,
          `container ${show(ref.container)} reads ${show(ref.valueFrom)}, but the execution role (${role.label}) does not allow ${ref.action} on it${viaTaskRole ? "; it is granted to the task role, which ECS does not use for secrets" : ""}`,
          `grant ${ref.action} on this ARN in the execution role's policy${suffixHint}`,
        );
      }
    }
  },
};

const SECRET_READ = ["secretsmanager:GetSecretValue", "ssm:GetParameters", "ssm:GetParameter"];

export const secretGrantUnused: Rule = {
  id: "secret-grant-unused",
  severity: "warning",
  title: "The execution role reads only the secrets the task references",
  why: "Least privilege: a grant on a secret no container references is either a leftover or a typo in the ARN (in which case the secret the task needs is not granted either).",
  howToFix: "Make the Resource list the exact valueFrom ARNs of the task's secrets, and nothing else.",
  run(model, report) {
    const byRole = new Map<RoleModel, TaskModel[]>();
    for (const t of model.tasks) {
      if (!t.executionRole) continue;
      if (!byRole.has(t.executionRole)) byRole.set(t.executionRole, []);
      byRole.get(t.executionRole)!.push(t);
    }
    for (const [role, tasks] of byRole) {
      const refs = tasks.flatMap(secretRefs);
      for (const pd of role.policies) {
        for (const s of statements(pd.node)) {
          if (s.effect !== "Allow") continue;
          const actions = s.actions.map((a) => a.value.toLowerCase());
          if (!SECRET_READ.some((a) => actions.includes(a.toLowerCase()))) continue;
          for (const r of s.resources) {
            if (isWildcardResource(r.value)) continue;
            if (!/:(secretsmanager|ssm):/.test(r.value)) continue;
            const used = refs.some((ref) => ref.candidates.some((c) => resourceMatches(r.value, c) !== false) || ref.valueFrom === r.value);
            if (!used) report(r.node, `the execution role can read ${show(r.value)}, which no container references`, "remove it, or fix the ARN to match the container's secrets[].valueFrom");
          }
        }
      }
    }
  },
};

const EXEC_ACTIONS = ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"];

export const execPermissions: Rule = {
  id: "exec-permissions",
  severity: "error",
  title: "ECS Exec has a task role with the four ssmmessages actions",
  why: "With EnableExecuteCommand, the SSM agent in the task opens its channels with the task role; without the ssmmessages actions `aws ecs execute-command` fails with TargetNotConnectedException.",
  howToFix: "Give the task role ssmmessages:CreateControlChannel, CreateDataChannel, OpenControlChannel and OpenDataChannel on \"*\".",
  run(model, report) {
    for (const stack of model.stacks) {
      for (const svc of stack.services) {
        const flag = svc.node.get("EnableExecuteCommand");
        if (flag.bool() !== true) continue;
        const task = svc.taskDefinition;
        if (!task) continue;
        if (!task.root.get("taskRoleArn").exists) {
          report(flag, `service ${svc.id} enables ECS Exec, but its task definition has no taskRoleArn`, "add a task role with the four ssmmessages actions");
          continue;
        }
        const role = task.taskRole;
        if (!role) continue;
        const missing = EXEC_ACTIONS.filter((a) => roleAllows(role, a, "*").allowed === false);
        if (missing.length) report(flag, `service ${svc.id} enables ECS Exec, but the task role (${role.label}) does not allow ${missing.join(", ")}`, `grant ${missing.join(", ")} on "*" to the task role`);
      }
    }
  },
};

export const IAM_RULES: Rule[] = [
  iamPolicySyntax,
  iamActionUnknown,
  iamWildcardAction,
  iamWildcardResource,
  trustPolicy,
  executionRoleRequired,
  executionRoleLogs,
  executionRoleEcr,
  secretNotGranted,
  secretGrantUnused,
  execPermissions,
];

const EXEC_PATHS = ["/managed-agents", "/var/lib/amazon/ssm", "/var/log/amazon/ssm"];

export const execWritablePaths: Rule = {
  id: "exec-writable-paths",
  severity: "warning",
  title: "ECS Exec with a read-only root filesystem has writable SSM agent paths",
  why: "The SSM agent behind ECS Exec writes under /managed-agents, /var/lib/amazon/ssm and /var/log/amazon/ssm. With readonlyRootFilesystem and no writable volumes there, execute-command cannot connect (AWS documents Exec as unsupported with a read-only root; the volumes are the community-verified workaround).",
  howToFix: "Mount a task volume, read-write, at each of the three paths in the application container.",
  run(model, report) {
    for (const stack of model.stacks) {
      for (const svc of stack.services) {
        if (svc.node.get("EnableExecuteCommand").bool() !== true || !svc.taskDefinition) continue;
        const task = svc.taskDefinition;
        for (const c of task.containers) {
          if (c.get("readonlyRootFilesystem").bool() !== true || !isEssentialContainer(c)) continue;
          const missing = EXEC_PATHS.filter((p) => !writableMountAt(task, c, p));
          if (missing.length) report(c.get("readonlyRootFilesystem"), `service ${svc.id} enables ECS Exec, but container ${show(containerName(c))} has a read-only root filesystem without writable ${missing.join(", ")}`, `mount task volumes read-write at ${missing.join(", ")}`);
        }
      }
    }
  },
};

function isEssentialContainer(c: N): boolean {
  return c.get("essential").bool() !== false;
}

IAM_RULES.push(execWritablePaths);
