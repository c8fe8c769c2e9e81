/**
 * `npm run build`: bundles each entry point and its dependencies into one file in dist/ with esbuild.
 * One file starts measurably faster than hundreds of small modules (see the generator's BENCHMARKS.md: cold start
 * and the container health check, which starts Node every {{timings.healthCheck.intervalSeconds}} s). `tsc --noEmit` type-checks first.
 *
 *   dist/server.js       the service (the image's CMD)
 *   dist/healthcheck.js  the container health check
{{#if tracing}}
 *   dist/tracing.js      OpenTelemetry, loaded first with `node --import`
{{/if}}
 *
 * Source maps are written next to them; set NODE_OPTIONS=--enable-source-maps to see TypeScript positions in stack traces.
 */
import { build } from "esbuild";

await build({
  entryPoints: ["src/server.ts", "src/healthcheck.ts"{{#if tracing}}, "src/tracing.ts"{{/if}}],
  outdir: "dist",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20.19",
  sourcemap: true,
  // CommonJS dependencies (pino) call require(); an ES module has to make one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
{{#if tracing}}
  // OpenTelemetry stays in node_modules: one copy of its API for the app and the SDK, and modules the
  // instrumentations patch must be loaded by Node, not inlined.
  external: ["@opentelemetry/*"],
{{/if}}
  logLevel: "warning",
});
