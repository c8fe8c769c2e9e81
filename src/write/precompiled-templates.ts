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
import { createHash } from "node:crypto";
import type Handlebars from "handlebars";

type TemplateSpecification = Parameters<typeof Handlebars.template>[0];

/** Every template and partial is compiled with these: no HTML escaping ever, and a misspelt variable fails. */
export const TEMPLATE_OPTIONS = Object.freeze({ noEscape: true, strict: true } as const);

/** Precompiled specs by templateKey(). */
export type PrecompiledTemplates = Readonly<Record<string, TemplateSpecification>>;

/** The lookup key of a template's text compiled with `options` (scripts/build.mjs computes the same). */
export function templateKey(source: string, options: object = TEMPLATE_OPTIONS): string {
  return createHash("sha256").update(JSON.stringify(options)).update("\0").update(source).digest("base64url");
}

// scripts/build.mjs replaces this line in the bundle: keep it exactly as it is.
export const PRECOMPILED_TEMPLATES: PrecompiledTemplates = {};
