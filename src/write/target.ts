/**
 * What is already at the target. A directory is "empty enough" when it only holds files we never generate
 * and a user often has before scaffolding (a .git directory, a licence, editor folders).
 */
import fs from "node:fs";
import path from "node:path";

export const IGNORABLE_ENTRIES: readonly string[] = [
  ".git", ".DS_Store", "Thumbs.db", ".idea", ".vscode", "LICENSE", "LICENSE.md", "LICENSE.txt", ".gitattributes",
];

export function isIgnorable(entry: string): boolean {
  return IGNORABLE_ENTRIES.includes(entry) || entry.endsWith(".iml");
}

export type TargetState =
  | { kind: "missing" }
  | { kind: "not-a-directory" }
  | { kind: "empty-enough"; entries: string[] }
  | { kind: "not-empty"; entries: string[]; conflicts: string[] };

export function inspectTarget(dir: string): TargetState {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    return { kind: "missing" };
  }
  if (!stat.isDirectory()) return { kind: "not-a-directory" };
  const entries = fs.readdirSync(dir).sort();
  const conflicts = entries.filter((e) => !isIgnorable(e));
  return conflicts.length === 0 ? { kind: "empty-enough", entries } : { kind: "not-empty", entries, conflicts };
}

/** Files of the generated project that already exist in the target (what --force would overwrite). */
export function collisions(targetDir: string, files: readonly string[]): string[] {
  return files.filter((f) => fs.existsSync(path.join(targetDir, f)));
}
