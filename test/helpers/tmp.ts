/**
 * Temporary directories for tests, and byte-exact pictures of a directory tree
 * (to show that a failed or refused run left it exactly as it was).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const made: string[] = [];

/** A fresh directory under the OS temp dir (outside the repo). Removed by `cleanupTmp()`. */
export function makeTmp(prefix = "cfs-test-"): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  made.push(dir);
  return dir;
}

export function cleanupTmp(): void {
  for (const dir of made.splice(0)) {
    // chmod back anything a test made read-only, then remove.
    try {
      fs.chmodSync(dir, 0o755);
    } catch {
      /* gone */
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Write files (relative path → content) below `root`, creating directories. */
export function writeTree(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}

export type TreeEntry = { type: "dir"; mode: number } | { type: "file"; mode: number; content: string } | { type: "symlink"; target: string };

/** Every entry below `root` (directories, files with base64 content and mode, symlinks), keyed by relative path. */
export function snapshotTree(root: string): Record<string, TreeEntry> {
  const out: Record<string, TreeEntry> = {};
  const walk = (rel: string): void => {
    for (const name of fs.readdirSync(path.join(root, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const abs = path.join(root, r);
      const st = fs.lstatSync(abs);
      if (st.isSymbolicLink()) out[r] = { type: "symlink", target: fs.readlinkSync(abs) };
      else if (st.isDirectory()) {
        out[r] = { type: "dir", mode: st.mode };
        walk(r);
      } else out[r] = { type: "file", mode: st.mode, content: fs.readFileSync(abs).toString("base64") };
    }
  };
  walk("");
  return out;
}

/** Names in `dir` that look like our staging or backup directories (".<target>.create-fargate-service-…"). */
export function stagingLeftovers(dir: string): string[] {
  return fs.readdirSync(dir).filter((n) => n.includes("create-fargate-service"));
}
