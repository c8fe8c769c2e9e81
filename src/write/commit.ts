/**
 * Move a fully rendered staging directory into place, losing nothing:
 * - missing target: one rename (atomic on one filesystem; copy when across filesystems);
 * - existing target: copy file by file; with --force, colliding files are first moved aside and are put back
 *   if anything fails. `.git` is never touched. On failure every file and directory we created is removed.
 */
import fs from "node:fs";
import path from "node:path";
import os from "node:os";

/** A staging directory beside the target (same filesystem, so the final rename is atomic), else in the OS temp dir. */
export function createStagingDir(target: string): string {
  const abs = path.resolve(target);
  const parent = path.dirname(abs);
  try {
    fs.accessSync(parent, fs.constants.W_OK);
    // mkdtemp adds six random characters (from libuv; node:crypto would cost a scaffold ~10 ms to load).
    return fs.mkdtempSync(path.join(parent, `.${path.basename(abs)}.create-fargate-service-`));
  } catch {
    return fs.mkdtempSync(path.join(os.tmpdir(), "create-fargate-service-"));
  }
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export interface CommitResult {
  written: string[];
  overwritten: string[];
}

export function commitStaged(staging: string, target: string, files: readonly string[], opts: { force: boolean }): CommitResult {
  const abs = path.resolve(target);
  if (!fs.existsSync(abs)) {
    const createdParents = mkdirTracked(path.dirname(abs));
    try {
      fs.renameSync(staging, abs);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EXDEV") {
        removeCreated(createdParents);
        throw err;
      }
      try {
        fs.cpSync(staging, abs, { recursive: true });
      } catch (copyErr) {
        removeDir(abs);
        removeCreated(createdParents);
        throw copyErr;
      }
      removeDir(staging);
    }
    return { written: [...files], overwritten: [] };
  }

  const backup = path.join(staging, "..", `${path.basename(staging)}.backup`);
  const createdDirs: string[] = [];
  const createdFiles: string[] = [];
  const movedAside: string[] = [];
  try {
    for (const rel of files) {
      if (rel === ".git" || rel.startsWith(".git/")) continue;
      const dest = path.join(abs, rel);
      createdDirs.push(...mkdirTracked(path.dirname(dest)));
      // lstat, not existsSync: a dangling symlink is something in the way too (writing through it would land elsewhere).
      const existing = fs.lstatSync(dest, { throwIfNoEntry: false });
      if (existing) {
        // --force overwrites files only: a directory in the way holds the user's files, which must never be deleted.
        if (existing.isDirectory()) throw new Error(`${rel} is a directory; --force only overwrites files, so move it away first`);
        if (!opts.force) throw new Error(`${rel} already exists`);
        const aside = path.join(backup, rel);
        fs.mkdirSync(path.dirname(aside), { recursive: true });
        fs.renameSync(dest, aside);
        movedAside.push(rel);
      }
      fs.copyFileSync(path.join(staging, rel), dest);
      fs.chmodSync(dest, fs.statSync(path.join(staging, rel)).mode);
      createdFiles.push(rel);
    }
  } catch (err) {
    for (const rel of createdFiles.reverse()) fs.rmSync(path.join(abs, rel), { force: true });
    for (const rel of movedAside) fs.renameSync(path.join(backup, rel), path.join(abs, rel));
    removeCreated(createdDirs);
    removeDir(backup);
    throw err;
  }
  removeDir(backup);
  removeDir(staging);
  return { written: createdFiles, overwritten: movedAside };
}

/** mkdir -p that returns the directories it created, deepest last. */
function mkdirTracked(dir: string): string[] {
  const missing: string[] = [];
  let d = dir;
  while (!fs.existsSync(d)) {
    missing.unshift(d);
    d = path.dirname(d);
  }
  for (const m of missing) fs.mkdirSync(m);
  return missing;
}

function removeCreated(dirs: readonly string[]): void {
  for (const d of [...dirs].reverse()) {
    try {
      fs.rmdirSync(d);
    } catch {
      /* not empty or already gone: leave it */
    }
  }
}
