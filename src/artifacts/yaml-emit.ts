/**
 * A small block-style YAML emitter for JSON-like data (plain objects, arrays, strings, finite numbers, booleans,
 * null), with a header comment and comments before the node at a path. It replaces the `yaml` library on the
 * scaffold path (infra/stack.yaml, .github/workflows/deploy.yml), where loading that library cost ~50 ms of a ~330 ms
 * scaffold (CPU profile of dist/cli.js).
 *
 * Output is read the same by YAML 1.1 readers (PyYAML in the aws CLI and cfn-lint) and YAML 1.2 readers (GitHub
 * Actions, the `yaml` package): a string stays plain only if neither would resolve it to anything else, otherwise
 * it is double-quoted (JSON.stringify's escapes are valid YAML escapes). Multi-line strings are literal block
 * scalars (`|`, `|-`, `|+`) where that is unambiguous. No anchors, no flow style except `{}` / `[]`, never folded.
 */

export type YamlPath = ReadonlyArray<string | number>;

export interface YamlOptions {
  /** Comment lines at the top of the document, followed by an empty line. */
  header?: string;
  /** Comment lines before the node at each path: a map value (after its `key:` line) or a sequence item. */
  comments?: ReadonlyArray<readonly [YamlPath, string]>;
}

type Comments = ReadonlyMap<string, string>;

export function toYaml(value: unknown, options: YamlOptions = {}): string {
  const comments = new Map<string, string>();
  for (const [path, text] of options.comments ?? []) {
    if (!hasPath(value, path)) throw new Error(`internal: no YAML node at ${path.join(".")}`);
    comments.set(path.reduce<string>(childKey, ROOT_KEY), text);
  }
  const lines = options.header === undefined ? [] : [...commentLines(options.header, ""), ""];
  lines.push(...commentLines(comments.get(ROOT_KEY), ""));
  if (isCollection(value) && !isEmpty(value)) block(value, ROOT_KEY, 0, comments, lines);
  else lines.push(inline(value));
  return `${lines.join("\n")}\n`;
}

/** A node's path as a string, built one segment at a time (a map key or a sequence index never contains NUL). */
const ROOT_KEY = "";
function childKey(parent: string, segment: string | number): string {
  return `${parent}\0${segment}`;
}

// --- scalars ----------------------------------------------------------------------------------------------------

/** A string YAML 1.1/1.2 would read as something else, or would not read as one plain scalar, in either version. */
const NOT_PLAIN = [
  /^$|^[\s\-?:,[\]{}#&*!|>'"%@`]|\s$|: |:$| #|^---|^\.\.\./,
  // bool/null in 1.1 (y, n, yes, no, on, off) or 1.2, any case; 1.1's merge and value keys
  /^(?:y|n|yes|no|on|off|true|false|null|~|<<|=)$/i,
  // every int, float, sexagesimal, timestamp, .inf/.nan form of 1.1 and 1.2 starts so and uses only these characters
  /^[+.0-9][-+.0-9a-fA-F_:xXoObBtTzZnNiI ]*$/,
];
/** YAML's printable characters (c-printable) minus tab, line breaks (1.1: NEL, LS, PS) and the byte-order mark. */
const PRINTABLE = /^[\x20-\x7E\xA0-\u2027\u202A-\uD7FF\uE000-\uFEFE\uFF00-\uFFFD\u{10000}-\u{10FFFF}]*$/u;

function plain(s: string): boolean {
  return PRINTABLE.test(s) && !NOT_PLAIN.some((re) => re.test(s));
}

/** JSON.stringify, plus \u escapes for what JSON leaves raw but YAML does not accept (DEL, C1, LS/PS, BOM, U+FFFE/F). */
function quoted(s: string): string {
  return JSON.stringify(s).replace(/[\x7F-\x9F\u2028\u2029\uFEFF\uFFFE\uFFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function stringScalar(s: string): string {
  return plain(s) ? s : quoted(s);
}

/**
 * Literal block scalar lines (header first) when unambiguous: printable, no trailing spaces, a first line that is
 * neither empty nor indented (it sets the indentation). Chomping: `|-` no final newline, `|` one, `|+` more.
 */
function literal(s: string, pad: string): string[] | undefined {
  if (!s.includes("\n")) return undefined;
  const body = s.endsWith("\n") ? s.slice(0, -1) : s;
  const lines = body.split("\n");
  if (!lines[0] || lines[0].startsWith(" ") || lines.some((l) => !PRINTABLE.test(l) || l.endsWith(" "))) return undefined;
  return [s.endsWith("\n\n") ? "|+" : s.endsWith("\n") ? "|" : "|-", ...lines.map((l) => (l ? pad + l : ""))];
}

function number(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`YAML: cannot write ${n}`);
  const s = String(n);
  // 1.1 (PyYAML) reads an exponent as a float only after a dot: 1e+21 → 1.0e+21 (JavaScript always signs it).
  return /e/.test(s) && !s.includes(".") ? s.replace("e", ".0e") : s;
}

/** One-line form of a scalar or an empty collection. */
function inline(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "string") return stringScalar(v);
  if (typeof v === "number") return number(v);
  if (typeof v === "boolean") return String(v);
  if (isCollection(v) && isEmpty(v)) return Array.isArray(v) ? "[]" : "{}";
  throw new Error(`YAML: cannot write a value of type ${v === undefined ? "undefined" : Object.prototype.toString.call(v)}`);
}

/** `prefix` + the scalar; multi-line strings as literal blocks, their content indented by `pad`. */
function scalarLines(prefix: string, v: unknown, pad: string): string[] {
  const block = typeof v === "string" ? literal(v, pad) : undefined;
  return block ? [prefix + block[0], ...block.slice(1)] : [prefix + inline(v)];
}

// --- collections ------------------------------------------------------------------------------------------------

function isCollection(v: unknown): v is object {
  if (Array.isArray(v)) return true;
  if (typeof v !== "object" || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function isEmpty(v: object): boolean {
  if (Array.isArray(v)) return v.length === 0;
  for (const x of Object.values(v)) if (x !== undefined) return false;
  return true;
}

/** Map entries as JSON has them: undefined values left out. */
function entries(v: object): Array<[string, unknown]> {
  return Object.entries(v).filter(([, x]) => x !== undefined);
}

function hasPath(v: unknown, path: YamlPath): boolean {
  let cur = v;
  for (const seg of path) {
    if (Array.isArray(cur) ? typeof seg !== "number" || !(seg in cur) : !isCollection(cur) || typeof seg !== "string" || !Object.hasOwn(cur, seg)) return false;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur !== undefined;
}

function commentLines(text: string | undefined, pad: string): string[] {
  if (text === undefined) return [];
  const lines = text.split("\n");
  if (!lines.every((l) => PRINTABLE.test(l))) throw new Error(`YAML: a comment must be printable text (${JSON.stringify(text)})`);
  return lines.map((l) => (l ? `${pad}# ${l}` : `${pad}#`));
}

/** Appends the lines of a non-empty collection at `indent` to `out`. */
function block(v: object, key: string, indent: number, comments: Comments, out: string[]): void {
  const pad = " ".repeat(indent);
  const child = " ".repeat(indent + 2);
  const items: Array<[string | number, unknown]> = Array.isArray(v) ? v.map((x, i) => [i, x]) : entries(v);
  for (const [k, x] of items) {
    const itemKey = childKey(key, k);
    const comment = comments.size ? comments.get(itemKey) : undefined;
    const nested = isCollection(x) && !isEmpty(x);
    if (typeof k === "number") {
      out.push(...commentLines(comment, pad));
      if (!nested) {
        out.push(...scalarLines(`${pad}- `, x, child));
        continue;
      }
      const first = out.length;
      block(x, itemKey, indent + 2, comments, out);
      // A nested collection starts on the "- " line, unless its first item's comment comes first.
      if (out[first]!.startsWith(`${child}#`)) out.splice(first, 0, `${pad}-`);
      else out[first] = `${pad}- ${out[first]!.slice(child.length)}`;
      continue;
    }
    const name = stringScalar(k);
    // An implicit key is at most 1024 characters long; longer ones would need `? key` syntax.
    if (name.length > 1000) throw new Error(`YAML: a key longer than 1000 characters cannot be written (${name.slice(0, 40)}…)`);
    const line = `${pad}${name}:`;
    if (nested) {
      out.push(line, ...commentLines(comment, child));
      block(x, itemKey, indent + 2, comments, out);
    } else if (comment !== undefined) out.push(line, ...commentLines(comment, child), child + inline(x));
    else out.push(...scalarLines(`${line} `, x, child));
  }
}
