/** Test helpers for `check`: read a fixture directory into texts, edit them, and run the engine on them. */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { checkProject } from "../../src/check/engine.js";
import { discover, loadTexts } from "../../src/check/load/files.js";
import type { Finding } from "../../src/check/types.js";

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures");

export type Texts = Record<string, string>;

/** The files `check` would discover in a fixture directory, as project-relative path → text. */
export function readFixture(name: string): Texts {
  const dir = path.join(FIXTURES, name);
  const out: Texts = {};
  for (const abs of discover(dir)) out[path.relative(dir, abs).split(path.sep).join("/")] = fs.readFileSync(abs, "utf8");
  return out;
}

export function run(texts: Texts): Finding[] {
  const { input } = loadTexts(
    Object.entries(texts).map(([file, text]) => ({ file, text })),
    false,
  );
  return checkProject(input);
}

/** Replace `from` by `to` in a file; throws when `from` is not there, so a fixture can never silently stop mutating. */
export function edit(texts: Texts, file: string, from: string | RegExp, to: string): Texts {
  const text = texts[file];
  if (text === undefined) throw new Error(`fixture has no ${file}`);
  const found = typeof from === "string" ? text.includes(from) : from.test(text);
  if (!found) throw new Error(`${file} does not contain ${String(from)}`);
  return { ...texts, [file]: text.replace(from, to) };
}

/** Change a JSON file through its parsed value. */
export function editJson(texts: Texts, file: string, fn: (doc: any) => void): Texts {
  const doc = JSON.parse(texts[file] ?? "null");
  fn(doc);
  return { ...texts, [file]: `${JSON.stringify(doc, null, 2)}\n` };
}

export function ruleIds(findings: Finding[]): string[] {
  return [...new Set(findings.map((f) => f.rule))].sort();
}
