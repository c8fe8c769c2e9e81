/**
 * Handlebars templates compiled ahead of time, so a scaffold does not run the handlebars parser and code generator
 * over every template (most of the time a scaffold took).
 *
 * scripts/build.mjs replaces the empty PRECOMPILED_TEMPLATES below with the spec of every template under
 * templates/ that has a mustache, compiled with TEMPLATE_OPTIONS and keyed by the template's exact text. Running
 * from source the map stays empty and each template is compiled when it is rendered. A template whose text differs
 * from the one that was built is not found and is compiled at run time instead: the output is the same either way
 * (test/perf/templates.test.ts checks both). Looking up a string key costs a native hash; hashing the text in
 * JavaScript cost a scaffold ~5 ms, and node:crypto or node:zlib ~3–10 ms to load.
 */
import type Handlebars from "handlebars";
import { TEMPLATE_HELPERS } from "./template-helpers.js";

export type TemplateSpecification = Parameters<typeof Handlebars.template>[0];

/**
 * Every template and partial is compiled with these: no HTML escaping ever, a misspelt variable fails, and the only
 * helpers are handlebars' built-ins and ours (template-helpers.ts).
 */
export const TEMPLATE_OPTIONS = Object.freeze({
  noEscape: true,
  strict: true,
  knownHelpers: Object.fromEntries(Object.keys(TEMPLATE_HELPERS).map((name) => [name, true])),
  knownHelpersOnly: true,
});

/** Precompiled specs by the template's text. */
export type PrecompiledTemplates = ReadonlyMap<string, TemplateSpecification>;

/**
 * A template without a single "{{" renders to its own text (handlebars has nothing to do in it), so it is written
 * as it is: neither compiled nor precompiled. test/perf/templates.test.ts checks this against handlebars.
 */
export function isStaticTemplate(source: string): boolean {
  return !source.includes("{{");
}

// scripts/build.mjs replaces this line in the bundle: keep it exactly as it is.
export const PRECOMPILED_TEMPLATES: PrecompiledTemplates = new Map();
