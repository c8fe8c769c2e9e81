/**
 * Handlebars templates compiled ahead of time, so a scaffold does not run the handlebars parser and code generator
 * over every template (most of the time a scaffold took).
 *
 * scripts/build.mjs replaces the empty PRECOMPILED_TEMPLATES below with the spec of every file under templates/,
 * compiled with TEMPLATE_OPTIONS. Running from source the map stays empty and each template is compiled when it is
 * rendered. A spec is found by a hash of the options and the template's text, so a template that differs from the
 * one that was built (or other options) is compiled at run time instead: the output is the same either way
 * (test/perf/templates.test.ts checks both).
 */
import type Handlebars from "handlebars";

type TemplateSpecification = Parameters<typeof Handlebars.template>[0];

/** Every template and partial is compiled with these: no HTML escaping ever, and a misspelt variable fails. */
export const TEMPLATE_OPTIONS = Object.freeze({ noEscape: true, strict: true } as const);

/** Precompiled specs by templateKey(). */
export type PrecompiledTemplates = Readonly<Record<string, TemplateSpecification>>;

/** The lookup key of a template's text compiled with `options` (scripts/build.mjs computes the same). */
export function templateKey(source: string, options: object = TEMPLATE_OPTIONS): string {
  return hash64(`${JSON.stringify(options)}\0${source}`);
}

/**
 * 64-bit FNV-1a over UTF-16 code units, as two 32-bit halves. Not cryptographic, and it need not be: it only tells
 * a template's text from another's. Loading node:crypto for a hash cost a scaffold ~10 ms.
 */
function hash64(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0xcbf29ce4;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x0100019d) >>> 0;
  }
  return `${h1.toString(16).padStart(8, "0")}${h2.toString(16).padStart(8, "0")}${text.length.toString(36)}`;
}

// scripts/build.mjs replaces this line in the bundle: keep it exactly as it is.
export const PRECOMPILED_TEMPLATES: PrecompiledTemplates = {};
