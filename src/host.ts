/**
 * What the scaffold path (src/cli.ts and everything it imports) takes from outside itself: the modules it loads only
 * when it needs them, and a hook for the bundle's compile cache.
 *
 * From the sources these are plain dynamic imports and a no-op. In the bundle the scaffold path is one CommonJS file,
 * dist/chunks/core.cjs, run by src/core-loader.ts, and scripts/build.mjs replaces this module there with the host
 * the loader passes in: the same imports (of ES module chunks beside the core, so prompts, execa, the AWS SDK and
 * commander stay out of it) and the cache writer.
 */
export const host = {
  modules: {
    prompts: () => import("@inquirer/prompts"),
    execa: () => import("execa"),
    logGroupCommand: () => import("./commands/log-group.js"),
    program: () => import("./program.js"),
  },
  /** The project has rendered (never called on a dry run): the bundle keeps its compile cache now. */
  projectRendered(): void {},
};

export type Host = typeof host;
