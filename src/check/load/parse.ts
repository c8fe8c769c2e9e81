/**
 * JSON and YAML parsing for `check`: data plus the line of every node, and errors that name the file, the line
 * and what was expected. YAML accepts CloudFormation's short-form tags (!Ref, !GetAtt, !Sub, …) and turns them
 * into the long form ({ "Ref": … }, { "Fn::GetAtt": […] }), so rules see one shape whatever the input was.
 */
import { LineCounter, parseDocument, isAlias, isMap, isScalar, isSeq, type Document, type Node as YamlNode } from "yaml";
import { InputError, pathKey, type DocPath, type ParsedDoc } from "../types.js";

/** Short-form tag → long-form key. */
const CFN_TAGS: Record<string, string> = {
  "!Ref": "Ref",
  "!Condition": "Condition",
  "!GetAtt": "Fn::GetAtt",
  "!Sub": "Fn::Sub",
  "!Join": "Fn::Join",
  "!Select": "Fn::Select",
  "!Split": "Fn::Split",
  "!If": "Fn::If",
  "!Equals": "Fn::Equals",
  "!Not": "Fn::Not",
  "!And": "Fn::And",
  "!Or": "Fn::Or",
  "!FindInMap": "Fn::FindInMap",
  "!Base64": "Fn::Base64",
  "!Cidr": "Fn::Cidr",
  "!GetAZs": "Fn::GetAZs",
  "!ImportValue": "Fn::ImportValue",
  "!Transform": "Fn::Transform",
  "!Length": "Fn::Length",
  "!ToJsonString": "Fn::ToJsonString",
};

export const CFN_SHORT_TAGS = Object.keys(CFN_TAGS);

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}

/** Parse JSON text. Malformed JSON → InputError with line and column. */
export function parseJson(file: string, text: string): ParsedDoc {
  let data: unknown;
  try {
    data = JSON.parse(stripBom(text));
  } catch (err) {
    const msg = (err as Error).message;
    const pos = /at position (\d+)/.exec(msg);
    const offset = pos ? Number(pos[1]) : stripBom(text).length;
    const { line, column } = lineAndColumn(stripBom(text), offset);
    const what = msg.replace(/\s*in JSON at position \d+.*$/, "").replace(/^Unexpected end of JSON input$/, "unexpected end of file");
    throw new InputError(file, line, column, `not valid JSON: ${what}`);
  }
  // Lines come from the YAML parser (JSON is YAML); if it disagrees with JSON.parse, go without lines.
  let lines: Map<string, number> | undefined;
  try {
    const lc = new LineCounter();
    const doc = parseDocument(stripBom(text), { lineCounter: lc, uniqueKeys: false, strict: false });
    if (doc.errors.length === 0) {
      lines = new Map();
      walk(doc, doc.contents as YamlNode | null, [], lc, lines, false);
    }
  } catch {
    lines = undefined;
  }
  return lines ? { file, data, lines } : { file, data };
}

/** Parse YAML text (CloudFormation short-form tags allowed). Malformed YAML → InputError with line and column. */
export function parseYaml(file: string, text: string): ParsedDoc {
  const lc = new LineCounter();
  const doc = parseDocument(stripBom(text), { lineCounter: lc, uniqueKeys: true });
  const err = doc.errors[0];
  if (err) {
    const pos = err.linePos?.[0];
    const detail = err.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
    throw new InputError(file, pos?.line, pos?.col, `not valid YAML: ${detail}`);
  }
  const tagOf = (message: string) => /Unresolved tag: (\S+)/.exec(message)?.[1] ?? "?";
  const unknownTag = doc.warnings.find((w) => w.code === "TAG_RESOLVE_FAILED" && !CFN_SHORT_TAGS.includes(tagOf(w.message)));
  if (unknownTag) {
    const pos = unknownTag.linePos?.[0];
    const tag = tagOf(unknownTag.message);
    throw new InputError(file, pos?.line, pos?.col, `unknown YAML tag ${tag}; expected a CloudFormation short form (${CFN_SHORT_TAGS.join(", ")})`);
  }
  const lines = new Map<string, number>();
  const data = walk(doc, doc.contents as YamlNode | null, [], lc, lines, true);
  return { file, data, lines };
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Convert a YAML node to plain data, recording the line of each path; CFN tags become long-form intrinsics. */
function walk(
  doc: Document,
  node: YamlNode | null | undefined,
  path: Array<string | number>,
  lc: LineCounter,
  lines: Map<string, number>,
  cfnTags: boolean,
): unknown {
  if (node == null) return null;
  if (isAlias(node)) return walk(doc, node.resolve(doc) as YamlNode | undefined, path, lc, lines, cfnTags);
  if (node.range) lines.set(pathKey(path), lc.linePos(node.range[0]).line);
  let value: unknown;
  if (isMap(node)) {
    const obj: Record<string, unknown> = {};
    for (const pair of node.items) {
      const keyNode = pair.key as YamlNode | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
      const child = [...path, key];
      if (keyNode && (keyNode as { range?: [number, number, number] }).range) {
        lines.set(pathKey(child), lc.linePos((keyNode as { range: [number, number, number] }).range[0]).line);
      }
      const v = walk(doc, pair.value as YamlNode | null, child, lc, lines, cfnTags);
      if (keyNode && (keyNode as { range?: [number, number, number] }).range) {
        lines.set(pathKey(child), lc.linePos((keyNode as { range: [number, number, number] }).range[0]).line);
      }
      obj[key] = v;
    }
    value = obj;
  } else if (isSeq(node)) {
    value = node.items.map((item, i) => walk(doc, item as YamlNode | null, [...path, i], lc, lines, cfnTags));
  } else if (isScalar(node)) {
    value = node.value;
  } else {
    value = (node as { toJSON?: () => unknown }).toJSON?.() ?? null;
  }
  const tag = (node as { tag?: string }).tag;
  if (cfnTags && tag && CFN_TAGS[tag]) return shortForm(tag, value, isScalar(node) ? (node as { source?: string }).source : undefined);
  return value;
}

function shortForm(tag: string, value: unknown, source: string | undefined): unknown {
  const key = CFN_TAGS[tag]!;
  const scalar = value === null || typeof value !== "object" ? String(source ?? value ?? "") : undefined;
  if (tag === "!GetAtt" && scalar !== undefined) {
    const dot = scalar.indexOf(".");
    return { [key]: dot > 0 ? [scalar.slice(0, dot), scalar.slice(dot + 1)] : [scalar] };
  }
  if (tag === "!GetAZs" && (value === null || value === "")) return { [key]: "" };
  return { [key]: scalar ?? value };
}
