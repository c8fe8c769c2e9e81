import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The package root (holds package.json and templates/), found from this file whether bundled in dist/ or run from src/. */
function findPackageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (fs.existsSync(path.join(dir, "package.json")) && fs.existsSync(path.join(dir, "templates"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("create-fargate-service: cannot find its package root (templates/ is missing)");
    dir = parent;
  }
}

export const PACKAGE_ROOT = findPackageRoot();
export const TEMPLATES_DIR = path.join(PACKAGE_ROOT, "templates");

/**
 * How a generated project depends on this package for `create-fargate-service check` (a pinned dev dependency).
 * Installed from the registry (npx, npm create): this exact version. Run from a source checkout, whose version may not
 * be published yet: a link to the checkout, so the project installs and its `npm test` runs this very `check`.
 */
export function checkDependencySpec(root = PACKAGE_ROOT): string {
  return root.split(path.sep).includes("node_modules") ? packageVersion() : `file:${root}`;
}

let version: string | undefined;

/** This package's version, read from package.json once per process. */
export function packageVersion(): string {
  version ??= (JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string }).version;
  return version;
}
