/**
 * Enough IAM policy evaluation for `check`: does a role allow an action on a resource? Allow/Deny statements,
 * Action/NotAction and Resource/NotResource with * and ? wildcards, case-insensitive actions. Conditions are assumed
 * to hold. Values we could not resolve (CloudFormation tokens) make the answer "unknown" rather than "no", so
 * rules only report what is certain.
 */
import { actionGlob } from "./iam-catalogue.js";
import { hasToken, type N } from "./model/node.js";
import type { PolicyDocModel, RoleModel } from "./model/project.js";

export interface Statement {
  node: N;
  effect: string | undefined;
  actions: Array<{ value: string; node: N }>;
  notActions: Array<{ value: string; node: N }>;
  resources: Array<{ value: string; node: N }>;
  notResources: Array<{ value: string; node: N }>;
}

function values(n: N): Array<{ value: string; node: N }> {
  if (n.isArray()) return n.items().flatMap((i) => (i.str() !== undefined ? [{ value: i.str()!, node: i }] : []));
  const s = n.str();
  return s === undefined ? [] : [{ value: s, node: n }];
}

export function statements(doc: N): Statement[] {
  const st = doc.get("Statement");
  const list = st.isArray() ? st.items() : st.exists ? [st] : [];
  return list.map((s) => ({
    node: s,
    effect: s.get("Effect").str(),
    actions: values(s.get("Action")),
    notActions: values(s.get("NotAction")),
    resources: values(s.get("Resource")),
    notResources: values(s.get("NotResource")),
  }));
}

/** Managed policies whose content we know (the common ones in ECS projects). */
const MANAGED: Record<string, Array<{ actions: string[]; resource: string }>> = {
  AmazonECSTaskExecutionRolePolicy: [
    {
      actions: ["ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage", "logs:CreateLogStream", "logs:PutLogEvents"],
      resource: "*",
    },
  ],
  CloudWatchLogsFullAccess: [{ actions: ["logs:*"], resource: "*" }],
  SecretsManagerReadWrite: [{ actions: ["secretsmanager:*"], resource: "*" }],
  AmazonSSMReadOnlyAccess: [{ actions: ["ssm:Describe*", "ssm:Get*", "ssm:List*"], resource: "*" }],
  AmazonEC2ContainerRegistryReadOnly: [
    { actions: ["ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:GetRepositoryPolicy", "ecr:DescribeRepositories", "ecr:ListImages", "ecr:DescribeImages", "ecr:BatchGetImage", "ecr:GetLifecyclePolicy", "ecr:GetLifecyclePolicyPreview", "ecr:ListTagsForResource", "ecr:DescribeImageScanFindings"], resource: "*" },
  ],
  AWSXRayDaemonWriteAccess: [
    { actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:GetSamplingStatisticSummaries"], resource: "*" },
  ],
};

function managedName(arn: string): string | undefined {
  const m = /:policy\/(?:service-role\/)?([A-Za-z0-9+=,.@_-]+)$/.exec(arn);
  return m && /^arn:[^:]*:iam::aws:policy\//.test(arn.replace(/\$\{AWS::Partition\}/, "aws")) ? m[1] : undefined;
}

export function knownManagedPolicy(arn: string): boolean {
  const n = managedName(arn);
  return n !== undefined && MANAGED[n] !== undefined;
}

/** IAM string match: * and ? wildcards; tokens on either side make the result unknown. */
function glob(pattern: string, value: string, caseInsensitive = false): boolean {
  return actionGlobRe(pattern, caseInsensitive).test(caseInsensitive ? value.toLowerCase() : value);
}

function actionGlobRe(pattern: string, ci: boolean): RegExp {
  if (ci) return actionGlob(pattern);
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${body}$`, "s");
}

const TOKEN = /\$\{[^}]*\}/g;

/** Does a Resource pattern cover an ARN? true / false / undefined (unknown: unresolved values). */
export function resourceMatches(pattern: string, arn: string): boolean | undefined {
  if (pattern === "*") return true;
  const pTok = hasToken(pattern);
  const aTok = hasToken(arn);
  if (!pTok && !aTok) return glob(pattern, arn);
  const p = splitArn(pattern);
  const a = splitArn(arn);
  if (!p || !a) {
    if (glob(pattern.replace(TOKEN, "*"), arn)) return true;
    return undefined;
  }
  for (let i = 1; i < 5; i++) {
    const ps = p[i]!;
    const as = a[i]!;
    if (hasToken(ps) || hasToken(as)) continue;
    if (!glob(ps, as)) return false;
  }
  const pr = p[5]!;
  const ar = a[5]!;
  if (!hasToken(pr) && !hasToken(ar)) return glob(pr, ar);
  if (glob(pr.replace(TOKEN, "*"), ar)) return hasToken(ar) ? undefined : hasToken(pr) ? undefined : true;
  return undefined;
}

function splitArn(arn: string): string[] | undefined {
  // Split on the first five colons, leaving ${…} tokens (which contain "::") intact.
  const parts: string[] = [];
  let cur = "";
  let depth = 0;
  for (let i = 0; i < arn.length; i++) {
    const ch = arn[i]!;
    if (ch === "$" && arn[i + 1] === "{") depth++;
    if (ch === "}" && depth > 0) depth--;
    if (ch === ":" && depth === 0 && parts.length < 5) {
      parts.push(cur);
      cur = "";
    } else cur += ch;
  }
  parts.push(cur);
  return parts.length === 6 && parts[0] === "arn" ? parts : undefined;
}

function actionIn(list: Array<{ value: string }>, action: string): boolean {
  return list.some((a) => !hasToken(a.value) && glob(a.value, action, true));
}

function statementApplies(s: Statement, action: string, resource: string): boolean | undefined {
  const actionOk = s.actions.length ? actionIn(s.actions, action) : s.notActions.length ? !actionIn(s.notActions, action) : false;
  if (!actionOk) return false;
  if (s.resources.length) {
    let unknown = false;
    for (const r of s.resources) {
      const m = resourceMatches(r.value, resource);
      if (m === true) return true;
      if (m === undefined) unknown = true;
    }
    return unknown ? undefined : false;
  }
  if (s.notResources.length) {
    let unknown = false;
    for (const r of s.notResources) {
      const m = resourceMatches(r.value, resource);
      if (m === true) return false;
      if (m === undefined) unknown = true;
    }
    return unknown ? undefined : true;
  }
  return false;
}

export interface Grant {
  /** true: allowed; false: certainly not allowed by what we can see; undefined: cannot tell. */
  allowed: boolean | undefined;
  /** The statement that allows it. */
  by?: Statement;
}

/** Does the role allow `action` on `resource` (an ARN, possibly with ${…} tokens)? */
export function roleAllows(role: RoleModel, action: string, resource: string): Grant {
  const docs: PolicyDocModel[] = role.policies.filter((p) => p.kind === "identity");
  let unknown = false;
  let by: Statement | undefined;
  for (const d of docs) {
    for (const s of statements(d.node)) {
      const applies = statementApplies(s, action, resource);
      if (s.effect === "Deny" && applies === true) return { allowed: false };
      if (s.effect === "Allow") {
        if (applies === true) by ??= s;
        else if (applies === undefined) unknown = true;
      }
    }
  }
  if (by) return { allowed: true, by };
  for (const arn of role.managed) {
    const name = managedName(arn);
    const known = name ? MANAGED[name] : undefined;
    if (!known) {
      unknown = true;
      continue;
    }
    if (known.some((k) => k.actions.some((a) => glob(a, action, true)) && (k.resource === "*" || resourceMatches(k.resource, resource) !== false))) {
      return { allowed: true };
    }
  }
  return { allowed: unknown ? undefined : false };
}
