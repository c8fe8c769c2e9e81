// What node-plop's imports of `resolve`, `tinyglobby` and `isbinaryfile` get in the bundle (scripts/build.mjs).
// node-plop loads them at startup but only uses them for plop packs (`load()`) and its built-in add/addMany/modify
// actions; generators/service.ts uses its own action types. Without them a scaffold evaluates ~40 KB less code
// (picomatch, fdir, resolve and is-core-module's tables). Anything that does call them fails loudly.
function unavailable(pkg) {
  return () => {
    throw new Error(
      `create-fargate-service: ${pkg} is not bundled; node-plop's built-in add/addMany/modify actions and plop packs are not available (use a custom action type, as generators/service.ts does)`,
    );
  };
}

// resolve (default export with .sync), tinyglobby (globSync), isbinaryfile (isBinaryFileSync)
export default { sync: unavailable("resolve") };
export const glob = unavailable("tinyglobby");
export const globSync = unavailable("tinyglobby");
export const isBinaryFile = unavailable("isbinaryfile");
export const isBinaryFileSync = unavailable("isbinaryfile");
