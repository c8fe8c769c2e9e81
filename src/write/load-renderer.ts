/**
 * Where create.ts gets `renderProject`. From the sources (tests, `npm run create`) this module: src/write/render.ts,
 * imported as usual. In the published bundle scripts/build.mjs puts src/write/render-core-loader.ts in its place,
 * which runs the same code from one file with a V8 compile cache.
 */
import type { renderProject } from "./render.js";

export type RenderProjectFn = typeof renderProject;

export interface LoadRenderOptions {
  /** May the bundle's loader create or update its compile cache? (Not on a dry run.) */
  writeCache?: boolean;
}

export async function loadRenderProject(_options: LoadRenderOptions = {}): Promise<RenderProjectFn> {
  return (await import("./render.js")).renderProject;
}
