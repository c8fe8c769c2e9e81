/** Target inspection: missing, not a directory, empty enough (only allow-listed entries), or not empty (conflicts listed). */
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { IGNORABLE_ENTRIES, collisions, inspectTarget, isIgnorable } from "../../src/write/target.js";
import { cleanupTmp, makeTmp, writeTree } from "../helpers/tmp.js";

afterAll(() => cleanupTmp());

describe("isIgnorable (the allow-list)", () => {
  it.each([".git", ".DS_Store", "Thumbs.db", ".idea", ".vscode", "LICENSE", "LICENSE.md", "LICENSE.txt", ".gitattributes", "svc.iml"])(
    "%s is allowed",
    (entry) => {
      expect(isIgnorable(entry)).toBe(true);
    },
  );

  it.each(["README.md", "package.json", ".gitignore", "src", ".env", "node_modules", "git", ".github", "license.txt.bak"])(
    "%s is a conflict",
    (entry) => {
      expect(isIgnorable(entry)).toBe(false);
    },
  );

  it("the allow-list is small and holds no file the generator writes at the top level", () => {
    expect(IGNORABLE_ENTRIES.length).toBeLessThan(15);
    for (const generated of ["package.json", "tsconfig.json", "Dockerfile", ".dockerignore", ".gitignore", "README.md", "src", "ecs"]) {
      expect(isIgnorable(generated)).toBe(false);
    }
  });
});

describe("inspectTarget", () => {
  it("missing", () => {
    expect(inspectTarget(path.join(makeTmp(), "nope"))).toEqual({ kind: "missing" });
  });

  it("a file is not a directory", () => {
    const dir = makeTmp();
    fs.writeFileSync(path.join(dir, "f"), "x");
    expect(inspectTarget(path.join(dir, "f"))).toEqual({ kind: "not-a-directory" });
  });

  it("an empty directory is empty enough", () => {
    expect(inspectTarget(makeTmp())).toEqual({ kind: "empty-enough", entries: [] });
  });

  it("only allow-listed entries: empty enough", () => {
    const dir = makeTmp();
    writeTree(dir, { ".git/HEAD": "ref: refs/heads/main\n", LICENSE: "MIT", ".DS_Store": "", "svc.iml": "", ".vscode/settings.json": "{}" });
    expect(inspectTarget(dir)).toEqual({ kind: "empty-enough", entries: [".DS_Store", ".git", ".vscode", "LICENSE", "svc.iml"] });
  });

  it("anything else: not empty, with the conflicts listed (sorted, allow-listed entries left out)", () => {
    const dir = makeTmp();
    writeTree(dir, { ".git/HEAD": "x", "README.md": "mine", "src/index.ts": "", ".env": "A=1", LICENSE: "MIT" });
    expect(inspectTarget(dir)).toEqual({
      kind: "not-empty",
      entries: [".env", ".git", "LICENSE", "README.md", "src"],
      conflicts: [".env", "README.md", "src"],
    });
  });

  it("a hidden file counts as a conflict", () => {
    const dir = makeTmp();
    writeTree(dir, { ".npmrc": "x" });
    expect(inspectTarget(dir)).toMatchObject({ kind: "not-empty", conflicts: [".npmrc"] });
  });
});

describe("collisions", () => {
  it("lists the generated files that already exist", () => {
    const dir = makeTmp();
    writeTree(dir, { "README.md": "mine", "src/server.ts": "mine", "notes.txt": "" });
    expect(collisions(dir, ["README.md", "package.json", "src/server.ts", "src/other.ts"])).toEqual(["README.md", "src/server.ts"]);
  });
});
