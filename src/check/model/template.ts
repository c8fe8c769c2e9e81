/**
 * CloudFormation intrinsic evaluation for `check`, as far as a template alone allows: parameters take their
 * Default, conditions are evaluated from those, Fn::If picks its branch, Ref/GetAtt of known resource types give
 * their name or ARN shape, and anything else stays a "${Name}" token that rules treat as unknown.
 */

type Obj = Record<string, unknown>;

const PSEUDO: Record<string, string | undefined> = {
  "AWS::Region": "${AWS::Region}",
  "AWS::AccountId": "${AWS::AccountId}",
  "AWS::Partition": "${AWS::Partition}",
  "AWS::StackName": "${AWS::StackName}",
  "AWS::StackId": "${AWS::StackId}",
  "AWS::URLSuffix": "amazonaws.com",
  "AWS::NotificationARNs": "${AWS::NotificationARNs}",
};

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function single(v: unknown): [string, unknown] | undefined {
  if (!isObj(v)) return undefined;
  const keys = Object.keys(v);
  if (keys.length !== 1) return undefined;
  const k = keys[0]!;
  return k === "Ref" || k === "Condition" || k.startsWith("Fn::") ? [k, v[k]] : undefined;
}

export interface Resource {
  id: string;
  type: string;
  properties: Obj;
  dependsOn: string[];
  condition: string | undefined;
}

export class Template {
  readonly parameters: Obj;
  readonly resources: Map<string, Resource> = new Map();
  private readonly conditions: Obj;
  private readonly mappings: Obj;
  private readonly conditionCache = new Map<string, boolean | undefined>();

  constructor(readonly data: Obj) {
    this.parameters = isObj(data.Parameters) ? data.Parameters : {};
    this.conditions = isObj(data.Conditions) ? data.Conditions : {};
    this.mappings = isObj(data.Mappings) ? data.Mappings : {};
    const res = isObj(data.Resources) ? data.Resources : {};
    for (const [id, r] of Object.entries(res)) {
      if (!isObj(r)) continue;
      const dependsOn = typeof r.DependsOn === "string" ? [r.DependsOn] : Array.isArray(r.DependsOn) ? r.DependsOn.filter((d): d is string => typeof d === "string") : [];
      this.resources.set(id, {
        id,
        type: typeof r.Type === "string" ? r.Type : "",
        properties: isObj(r.Properties) ? r.Properties : {},
        dependsOn,
        condition: typeof r.Condition === "string" ? r.Condition : undefined,
      });
    }
  }

  /** Resources of a type that exist with the default parameters (their Condition is not false). */
  ofType(type: string): Resource[] {
    return [...this.resources.values()].filter((r) => r.type === type && (r.condition === undefined || this.condition(r.condition) !== false));
  }

  condition(name: string): boolean | undefined {
    if (this.conditionCache.has(name)) return this.conditionCache.get(name);
    this.conditionCache.set(name, undefined); // cycle guard
    const v = this.evalCondition(this.conditions[name]);
    this.conditionCache.set(name, v);
    return v;
  }

  private evalCondition(expr: unknown): boolean | undefined {
    if (typeof expr === "boolean") return expr;
    const s = single(expr);
    if (!s) return undefined;
    const [fn, arg] = s;
    const list = Array.isArray(arg) ? arg : [];
    switch (fn) {
      case "Condition":
        return typeof arg === "string" ? this.condition(arg) : undefined;
      case "Fn::Equals": {
        const a = this.scalar(list[0]);
        const b = this.scalar(list[1]);
        if (a === undefined || b === undefined) return undefined;
        const sa = String(a);
        const sb = String(b);
        if (sa.includes("${") || sb.includes("${")) return undefined;
        return sa === sb;
      }
      case "Fn::Not": {
        const v = this.evalCondition(list[0]);
        return v === undefined ? undefined : !v;
      }
      case "Fn::And": {
        const vs = list.map((x) => this.evalCondition(x));
        if (vs.some((v) => v === false)) return false;
        return vs.every((v) => v === true) ? true : undefined;
      }
      case "Fn::Or": {
        const vs = list.map((x) => this.evalCondition(x));
        if (vs.some((v) => v === true)) return true;
        return vs.every((v) => v === false) ? false : undefined;
      }
      default:
        return undefined;
    }
  }

  /** Resolve Fn::If (taking the true branch when the condition is unknown); AWS::NoValue is undefined. Arrays are returned as they are (callers skip undefined items, keeping indexes). */
  structural(v: unknown): unknown {
    for (let guard = 0; guard < 20; guard++) {
      const s = single(v);
      if (!s) break;
      const [fn, arg] = s;
      if (fn === "Ref" && arg === "AWS::NoValue") return undefined;
      if (fn === "Fn::If" && Array.isArray(arg) && arg.length === 3) {
        const c = typeof arg[0] === "string" ? this.condition(arg[0]) : undefined;
        v = c === false ? arg[2] : arg[1];
        continue;
      }
      break;
    }
    return v;
  }

  /** Scalar value of an expression; unresolved parts become ${…} tokens. Non-scalars give undefined. */
  scalar(v: unknown, depth = 0): string | number | boolean | undefined {
    if (depth > 20) return undefined;
    v = this.structural(v);
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
    const s = single(v);
    if (!s) return undefined;
    const [fn, arg] = s;
    switch (fn) {
      case "Ref":
        return typeof arg === "string" ? this.ref(arg, depth) : undefined;
      case "Fn::GetAtt": {
        const parts = Array.isArray(arg) ? arg.map((x) => this.scalar(x, depth + 1)) : typeof arg === "string" ? arg.split(/\.(.*)/s) : [];
        const [res, att] = parts;
        return typeof res === "string" && typeof att === "string" ? this.getAtt(res, att, depth) : undefined;
      }
      case "Fn::Sub": {
        const [text, vars] = Array.isArray(arg) ? [arg[0], isObj(arg[1]) ? arg[1] : {}] : [arg, {}];
        if (typeof text !== "string") return undefined;
        return text.replace(/\$\{([^}]+)\}/g, (all, name: string) => {
          if (name.startsWith("!")) return `\${${name.slice(1)}}`;
          if (Object.prototype.hasOwnProperty.call(vars, name)) {
            const r = this.scalar((vars as Obj)[name], depth + 1);
            return r === undefined ? all : String(r);
          }
          const dot = name.indexOf(".");
          const r = dot > 0 && !name.startsWith("AWS::") ? this.getAtt(name.slice(0, dot), name.slice(dot + 1), depth) : this.ref(name, depth);
          return r === undefined ? all : String(r);
        });
      }
      case "Fn::Join": {
        if (!Array.isArray(arg) || typeof arg[0] !== "string") return undefined;
        const list = this.structural(arg[1]);
        if (!Array.isArray(list)) return "${Fn::Join}";
        const parts = list.filter((x) => this.structural(x) !== undefined).map((x) => this.scalar(x, depth + 1));
        return parts.map((p) => (p === undefined ? "${?}" : String(p))).join(arg[0]);
      }
      case "Fn::Select": {
        if (!Array.isArray(arg)) return undefined;
        const i = Number(this.scalar(arg[0], depth + 1));
        const list = this.structural(arg[1]);
        if (!Array.isArray(list) || !Number.isInteger(i)) return "${Fn::Select}";
        return this.scalar(list[i], depth + 1);
      }
      case "Fn::FindInMap": {
        if (!Array.isArray(arg)) return undefined;
        const [m, k1, k2] = arg.map((x) => this.scalar(x, depth + 1));
        const map = typeof m === "string" ? this.mappings[m] : undefined;
        const top = isObj(map) && k1 !== undefined ? map[String(k1)] : undefined;
        const val = isObj(top) && k2 !== undefined ? top[String(k2)] : undefined;
        return val === undefined ? "${Fn::FindInMap}" : this.scalar(val, depth + 1);
      }
      case "Fn::ImportValue": {
        const name = this.scalar(arg, depth + 1);
        return `\${ImportValue:${String(name)}}`;
      }
      case "Fn::Base64":
        return this.scalar(arg, depth + 1);
      default:
        return `\${${fn}}`;
    }
  }

  private ref(name: string, depth: number): string | number | boolean | undefined {
    if (Object.prototype.hasOwnProperty.call(PSEUDO, name)) return PSEUDO[name];
    if (name === "AWS::NoValue") return undefined;
    const p = this.parameters[name];
    if (isObj(p)) {
      if (p.Default !== undefined && p.Default !== null) {
        const d = p.Default;
        return typeof d === "string" || typeof d === "number" || typeof d === "boolean" ? d : `\${${name}}`;
      }
      return `\${${name}}`;
    }
    const r = this.resources.get(name);
    if (r) {
      const n = this.physicalName(r, depth);
      return n ?? `\${${name}}`;
    }
    return `\${${name}}`;
  }

  /** What Ref returns for resource types whose Ref is a name we can know. */
  private physicalName(r: Resource, depth: number): string | undefined {
    const key: Record<string, string> = {
      "AWS::Logs::LogGroup": "LogGroupName",
      "AWS::IAM::Role": "RoleName",
      "AWS::ECR::Repository": "RepositoryName",
      "AWS::SSM::Parameter": "Name",
      "AWS::ECS::Cluster": "ClusterName",
    };
    const k = key[r.type];
    if (!k || r.properties[k] === undefined) return undefined;
    const v = this.scalar(r.properties[k], depth + 1);
    return v === undefined ? undefined : String(v);
  }

  private getAtt(id: string, att: string, depth: number): string | undefined {
    const r = this.resources.get(id);
    const token = `\${${id}.${att}}`;
    if (!r) return token;
    const name = this.physicalName(r, depth) ?? `\${${id}}`;
    if (r.type === "AWS::Logs::LogGroup" && att === "Arn") return `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:${name}:*`;
    if (r.type === "AWS::IAM::Role" && att === "Arn") {
      const p = r.properties.Path !== undefined ? String(this.scalar(r.properties.Path, depth + 1) ?? "/") : "/";
      return `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role${p.endsWith("/") ? p : `${p}/`}${name}`;
    }
    if (r.type === "AWS::ECR::Repository" && att === "Arn") return `arn:\${AWS::Partition}:ecr:\${AWS::Region}:\${AWS::AccountId}:repository/${name}`;
    if (r.type === "AWS::ECR::Repository" && att === "RepositoryUri") return `\${AWS::AccountId}.dkr.ecr.\${AWS::Region}.amazonaws.com/${name}`;
    return token;
  }

  /** Logical id referred to by Ref / GetAtt / a Sub that is exactly "${X}" or "${X.Attr}". */
  refTarget(v: unknown): string | undefined {
    v = this.structural(v);
    const s = single(v);
    if (!s) return undefined;
    const [fn, arg] = s;
    let id: string | undefined;
    if (fn === "Ref" && typeof arg === "string") id = arg;
    else if (fn === "Fn::GetAtt") id = Array.isArray(arg) ? (typeof arg[0] === "string" ? arg[0] : undefined) : typeof arg === "string" ? arg.split(".")[0] : undefined;
    else if (fn === "Fn::Sub") {
      const text = Array.isArray(arg) ? arg[0] : arg;
      const m = typeof text === "string" ? /^\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}$/.exec(text) : null;
      if (m) id = m[1];
    }
    return id !== undefined && this.resources.has(id) ? id : undefined;
  }
}
