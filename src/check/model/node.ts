/**
 * A read-only view of a parsed document for rules: navigate by API field name (camelCase) whatever the input style
 * (the ECS API's camelCase or CloudFormation's PascalCase), keep the path for findings, and resolve CloudFormation
 * intrinsics with the template's parameter defaults.
 */
import { pathKey, type DocPath, type ParsedDoc } from "../types.js";
import type { Template } from "./template.js";

export class Doc {
  readonly file: string;
  readonly data: unknown;
  private readonly lineMap: ReadonlyMap<string, number> | undefined;
  /** Set for CloudFormation templates: intrinsics resolve against it. */
  template: Template | undefined;

  constructor(parsed: ParsedDoc) {
    this.file = parsed.file;
    this.data = parsed.data;
    this.lineMap = parsed.lines;
  }

  /** Line of the node at `path`, or of its nearest ancestor with a known line. */
  line(path: DocPath): number | undefined {
    if (!this.lineMap) return undefined;
    for (let n = path.length; n >= 0; n--) {
      const l = this.lineMap.get(pathKey(path.slice(0, n)));
      if (l !== undefined) return l;
    }
    return undefined;
  }

  root(): N {
    return new N(this, this.data, []);
  }
}

const upperFirst = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);
const lowerFirst = (s: string) => (s ? s[0]!.toLowerCase() + s.slice(1) : s);

/** API names whose CloudFormation spelling is not simply upper-first. */
const CFN_SPELLING: Record<string, string> = {
  efsVolumeConfiguration: "EFSVolumeConfiguration",
  fsxWindowsFileServerVolumeConfiguration: "FSxWindowsFileServerVolumeConfiguration",
};

export type Scalar = string | number | boolean;

export class N {
  constructor(
    readonly doc: Doc,
    private readonly raw: unknown,
    readonly path: DocPath,
  ) {}

  /** The value with structural intrinsics (Fn::If, AWS::NoValue) resolved. */
  get value(): unknown {
    return this.doc.template ? this.doc.template.structural(this.raw) : this.raw;
  }

  get exists(): boolean {
    return this.value !== undefined && this.value !== null;
  }

  isObject(): boolean {
    const v = this.value;
    return typeof v === "object" && v !== null && !Array.isArray(v) && !this.isIntrinsic();
  }

  isArray(): boolean {
    return Array.isArray(this.value);
  }

  /** An unresolved CloudFormation function or Ref ({ "Ref": … }, { "Fn::…": … }). */
  isIntrinsic(): boolean {
    const v = this.raw;
    if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
    const keys = Object.keys(v);
    return keys.length === 1 && (keys[0] === "Ref" || keys[0]!.startsWith("Fn::") || keys[0] === "Condition");
  }

  /** Child by API field name; also finds the CloudFormation (PascalCase) spelling. */
  get(name: string): N {
    const v = this.value;
    if (typeof v === "object" && v !== null && !Array.isArray(v)) {
      const obj = v as Record<string, unknown>;
      for (const k of [name, CFN_SPELLING[name], upperFirst(name), lowerFirst(name)]) {
        if (k !== undefined && Object.prototype.hasOwnProperty.call(obj, k)) return new N(this.doc, obj[k], [...this.path, k]);
      }
    }
    return new N(this.doc, undefined, [...this.path, this.spell(name)]);
  }

  /** A key that differs from `name` only in letter case (a misspelt field the API would reject), if any. */
  nearKey(name: string): string | undefined {
    const v = this.value;
    if (typeof v !== "object" || v === null || Array.isArray(v)) return undefined;
    return Object.keys(v).find((k) => k.toLowerCase() === name.toLowerCase() && k !== name && k !== upperFirst(name));
  }

  /** Child by exact key (free-form maps such as log options). */
  key(name: string): N {
    const v = this.value;
    if (typeof v === "object" && v !== null && !Array.isArray(v) && Object.prototype.hasOwnProperty.call(v, name)) {
      return new N(this.doc, (v as Record<string, unknown>)[name], [...this.path, name]);
    }
    return new N(this.doc, undefined, [...this.path, name]);
  }

  /** How a missing field would be spelt in this document (PascalCase in templates). */
  private spell(name: string): string {
    return this.doc.template ? (CFN_SPELLING[name] ?? upperFirst(name)) : name;
  }

  items(): N[] {
    const v = this.value;
    if (!Array.isArray(v)) return [];
    const out: N[] = [];
    v.forEach((item, i) => {
      const n = new N(this.doc, item, [...this.path, i]);
      if (n.value !== undefined) out.push(n);
    });
    return out;
  }

  entries(): Array<[string, N]> {
    const v = this.value;
    if (typeof v !== "object" || v === null || Array.isArray(v)) return [];
    return Object.keys(v).map((k) => [k, new N(this.doc, (v as Record<string, unknown>)[k], [...this.path, k])]);
  }

  /** Scalar value with intrinsics resolved; unresolved parts appear as ${Name} tokens. */
  scalar(): Scalar | undefined {
    const v = this.value;
    if (this.doc.template) return this.doc.template.scalar(v);
    return typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? v : undefined;
  }

  str(): string | undefined {
    const s = this.scalar();
    return s === undefined ? undefined : String(s);
  }

  /** A number (numeric strings accepted); undefined when absent, unresolved or not numeric. */
  num(): number | undefined {
    const s = this.scalar();
    if (typeof s === "number") return s;
    if (typeof s === "string" && /^-?\d+(\.\d+)?$/.test(s.trim())) return Number(s);
    return undefined;
  }

  bool(): boolean | undefined {
    const s = this.scalar();
    if (typeof s === "boolean") return s;
    if (typeof s === "string" && /^(true|false)$/i.test(s)) return s.toLowerCase() === "true";
    return undefined;
  }

  /** String list: a list of scalars, or a single scalar as a list of one. */
  strings(): string[] {
    if (this.isArray()) return this.items().map((i) => i.str()).filter((s): s is string => s !== undefined);
    const s = this.str();
    return s === undefined ? [] : [s];
  }

  /** Logical id of the resource this value refers to (Ref, GetAtt, or a Sub that is only "${X}" / "${X.Attr}"). */
  refTarget(): string | undefined {
    return this.doc.template?.refTarget(this.value);
  }

  /** "containerDefinitions[0].portMappings[0].containerPort" */
  get field(): string {
    return formatPath(this.path);
  }

  get line(): number | undefined {
    return this.doc.line(this.path);
  }
}

export function formatPath(path: DocPath): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out ? `.${p}` : p;
  }
  return out;
}

/** Text contains an unresolved ${…} token (an intrinsic we could not evaluate). */
export function hasToken(s: string): boolean {
  return s.includes("${");
}
