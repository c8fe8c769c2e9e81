import type { GeneratedFile, ServiceContext } from "../context.js";
import { jsonFile } from "./index.js";

/** The generated project's package.json and tsconfig.json. */
export function buildProjectDocuments(ctx: ServiceContext): GeneratedFile[] {
  const pkg = {
    name: ctx.name,
    version: "0.1.0",
    private: true,
    type: "module",
    engines: { node: ">=20.19.0" },
    scripts: {
      build: "tsc -p tsconfig.build.json",
      start: "node dist/server.js",
      test: "vitest run",
    },
    devDependencies: {
      "@types/node": "20.19.43",
      typescript: "5.9.3",
      vitest: "4.1.12",
    },
  };
  const tsconfig = {
    compilerOptions: {
      target: "ES2022",
      module: "NodeNext",
      moduleResolution: "NodeNext",
      strict: true,
      outDir: "dist",
      rootDir: "src",
      skipLibCheck: true,
    },
    include: ["src"],
  };
  return [jsonFile("package.json", pkg), jsonFile("tsconfig.json", tsconfig)];
}
