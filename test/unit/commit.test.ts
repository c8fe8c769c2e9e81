/**
 * Moving a rendered staging directory into place: a missing target (one rename, parents created), an empty-enough
 * target, --force (overwrites only what collides, keeps every other file, never touches .git), and failures that
 * roll back to the exact previous state. Tests run as any user, so failures are injected with paths in the way
 * (a file where a directory must go, a directory where a file must go), not with permissions.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { commitStaged, createStagingDir, removeDir } from "../../src/write/commit.js";
import { cleanupTmp, makeTmp, snapshotTree, stagingLeftovers, writeTree } from "../helpers/tmp.js";

afterAll(() => cleanupTmp());

const GENERATED: Record<string, string> = {
  ".dockerignore": "node_modules\n",
  ".gitignore": "node_modules/\n",
  Dockerfile: "FROM node:24-slim\n",
  "README.md": "# svc\n",
  "ecs/task-definition.json": "{}\n",
  "package.json": '{"name":"svc"}\n',
  "src/server.ts": "export {};\n",
  "tsconfig.json": "{}\n",
};
const FILES = Object.keys(GENERATED).sort();

/** A parent directory with a rendered staging directory beside the (future) target. */
function setup(): { parent: string; target: string; staging: string } {
  const parent = makeTmp();
  const target = path.join(parent, "svc");
  const staging = createStagingDir(target);
  writeTree(staging, GENERATED);
  fs.chmodSync(path.join(staging, "Dockerfile"), 0o755);
  return { parent, target, staging };
}

function read(root: string, rel: string): string {
  return fs.readFileSync(path.join(root, rel), "utf8");
}

describe("createStagingDir", () => {
  it("is beside the target (same filesystem), hidden, and unique", () => {
    const parent = makeTmp();
    const target = path.join(parent, "svc");
    const a = createStagingDir(target);
    const b = createStagingDir(target);
    expect(path.dirname(a)).toBe(parent);
    expect(path.basename(a)).toMatch(/^\.svc\.create-fargate-service-[A-Za-z0-9]{6}$/);
    expect(a).not.toBe(b);
    expect(fs.existsSync(target)).toBe(false);
  });

  it("falls back to the OS temp dir when the parent does not exist", () => {
    const dir = createStagingDir(path.join(makeTmp(), "missing", "deeper", "svc"));
    expect(fs.existsSync(dir)).toBe(true);
    removeDir(dir);
  });
});

describe("commitStaged: missing target", () => {
  it("moves the staging directory into place in one rename", () => {
    const { parent, target, staging } = setup();
    const result = commitStaged(staging, target, FILES, { force: false });
    expect(result).toEqual({ written: FILES, overwritten: [] });
    for (const f of FILES) expect(read(target, f)).toBe(GENERATED[f]);
    expect(fs.statSync(path.join(target, "Dockerfile")).mode & 0o777).toBe(0o755);
    expect(fs.existsSync(staging)).toBe(false);
    expect(stagingLeftovers(parent)).toEqual([]);
  });

  it("creates missing parent directories", () => {
    const { parent, staging } = setup();
    const target = path.join(parent, "a", "b", "svc");
    commitStaged(staging, target, FILES, { force: false });
    expect(read(target, "README.md")).toBe("# svc\n");
  });

  it("on failure removes the parents it created", () => {
    const { parent } = setup();
    const target = path.join(parent, "a", "b", "svc");
    const gone = path.join(parent, "no-such-staging");
    expect(() => commitStaged(gone, target, FILES, { force: false })).toThrow(/ENOENT/);
    expect(fs.existsSync(path.join(parent, "a"))).toBe(false);
  });
});

describe("commitStaged: existing, empty-enough target", () => {
  it("copies every file in; .git and LICENSE stay byte-identical", () => {
    const { parent, target, staging } = setup();
    writeTree(target, { ".git/HEAD": "ref: refs/heads/main\n", ".git/config": "[core]\n", LICENSE: "MIT\n" });
    const before = snapshotTree(path.join(target, ".git"));
    const result = commitStaged(staging, target, FILES, { force: false });
    expect(result.written).toEqual(FILES);
    expect(result.overwritten).toEqual([]);
    for (const f of FILES) expect(read(target, f)).toBe(GENERATED[f]);
    expect(snapshotTree(path.join(target, ".git"))).toEqual(before);
    expect(read(target, "LICENSE")).toBe("MIT\n");
    expect(fs.statSync(path.join(target, "Dockerfile")).mode & 0o777).toBe(0o755);
    expect(stagingLeftovers(parent)).toEqual([]);
  });

  it("never writes into .git even if the staging directory holds one", () => {
    const { target, staging } = setup();
    writeTree(staging, { ".git/HEAD": "evil\n" });
    writeTree(target, { ".git/HEAD": "ref: refs/heads/main\n" });
    commitStaged(staging, target, [...FILES, ".git/HEAD"], { force: true });
    expect(read(target, ".git/HEAD")).toBe("ref: refs/heads/main\n");
  });

  it("without --force a collision is an error and nothing changes", () => {
    const { parent, target, staging } = setup();
    writeTree(target, { LICENSE: "MIT\n", "package.json": "mine\n" });
    const before = snapshotTree(target);
    expect(() => commitStaged(staging, target, FILES, { force: false })).toThrow(/package\.json already exists/);
    expect(snapshotTree(target)).toEqual(before);
    expect(stagingLeftovers(parent).filter((n) => n.endsWith(".backup"))).toEqual([]);
  });
});

describe("commitStaged: --force", () => {
  it("overwrites only the files that collide, keeps every other file, never touches .git", () => {
    const { parent, target, staging } = setup();
    writeTree(target, {
      ".git/HEAD": "ref: refs/heads/main\n",
      ".git/objects/ab/cdef": "blob",
      "README.md": "my readme\n",
      "src/server.ts": "my server\n",
      "src/keep.ts": "keep me\n",
      "notes.txt": "keep me too\n",
      ".env": "SECRET=1\n",
    });
    const gitBefore = snapshotTree(path.join(target, ".git"));
    const result = commitStaged(staging, target, FILES, { force: true });
    expect(result.overwritten.sort()).toEqual(["README.md", "src/server.ts"]);
    expect(result.written).toEqual(FILES);
    for (const f of FILES) expect(read(target, f)).toBe(GENERATED[f]);
    expect(read(target, "src/keep.ts")).toBe("keep me\n");
    expect(read(target, "notes.txt")).toBe("keep me too\n");
    expect(read(target, ".env")).toBe("SECRET=1\n");
    expect(snapshotTree(path.join(target, ".git"))).toEqual(gitBefore);
    expect(stagingLeftovers(parent)).toEqual([]);
  });
});

describe("commitStaged: symlinks in the target", () => {
  it("a dangling symlink in the way is replaced, never written through (nothing lands outside the target)", () => {
    const { parent, target, staging } = setup();
    fs.mkdirSync(target);
    fs.symlinkSync(path.join(parent, "outside.txt"), path.join(target, "README.md"));
    const result = commitStaged(staging, target, FILES, { force: true });
    expect(result.overwritten).toEqual(["README.md"]);
    expect(fs.existsSync(path.join(parent, "outside.txt"))).toBe(false);
    expect(fs.lstatSync(path.join(target, "README.md")).isFile()).toBe(true);
    expect(read(target, "README.md")).toBe("# svc\n");
  });

  it("without --force a dangling symlink is a collision", () => {
    const { parent, target, staging } = setup();
    fs.mkdirSync(target);
    fs.symlinkSync(path.join(parent, "outside.txt"), path.join(target, "README.md"));
    expect(() => commitStaged(staging, target, FILES, { force: false })).toThrow(/README\.md already exists/);
    expect(fs.existsSync(path.join(parent, "outside.txt"))).toBe(false);
  });
});

describe("commitStaged: a failure part-way rolls everything back", () => {
  it("a file where a directory must go (src): earlier writes undone, overwritten files restored", () => {
    const { parent, target, staging } = setup();
    writeTree(target, { ".git/HEAD": "ref\n", "README.md": "my readme\n", src: "a file, not a directory\n", "notes.txt": "x" });
    fs.chmodSync(path.join(target, "README.md"), 0o600);
    const before = snapshotTree(target);
    expect(() => commitStaged(staging, target, FILES, { force: true })).toThrow();
    // README.md was overwritten before src/server.ts failed: it is back, with its mode.
    expect(snapshotTree(target)).toEqual(before);
    // The staging directory is the caller's to remove; no backup directory is left.
    expect(stagingLeftovers(parent).filter((n) => n.endsWith(".backup"))).toEqual([]);
  });

  it("a failure in the last file: every created directory is removed too", () => {
    const { parent, target, staging } = setup();
    // tsconfig.json is the last file; a non-empty directory in its place cannot be overwritten by a file.
    writeTree(target, { "tsconfig.json/mine.json": "{}", "notes.txt": "x" });
    const before = snapshotTree(target);
    expect(() => commitStaged(staging, target, FILES, { force: true })).toThrow();
    expect(snapshotTree(target)).toEqual(before);
    expect(fs.existsSync(path.join(target, "ecs"))).toBe(false);
    expect(stagingLeftovers(parent).filter((n) => n.endsWith(".backup"))).toEqual([]);
  });

  it("a directory in the way of a file is never moved aside and deleted (its files are the user's)", () => {
    const { target, staging } = setup();
    writeTree(target, { "Dockerfile/notes.md": "my notes\n" });
    const before = snapshotTree(target);
    expect(() => commitStaged(staging, target, FILES, { force: true })).toThrow(/Dockerfile/);
    expect(snapshotTree(target)).toEqual(before);
    expect(read(target, "Dockerfile/notes.md")).toBe("my notes\n");
  });
});
