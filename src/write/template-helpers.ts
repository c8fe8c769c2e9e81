/**
 * The handlebars helpers every template may use. They are also declared to the compiler as its only helpers
 * (TEMPLATE_OPTIONS.knownHelpersOnly): a mustache then compiles to a plain property read instead of a "helper or
 * property?" lookup, which makes the precompiled templates smaller and faster, and a misspelt helper a compile error.
 */
export const TEMPLATE_HELPERS = {
  json: (value: unknown) => JSON.stringify(value),
  eq: (a: unknown, b: unknown) => a === b,
  ne: (a: unknown, b: unknown) => a !== b,
  // Block-less helpers get handlebars' options object last: it is not one of the values.
  or: (...args: unknown[]) => args.slice(0, -1).some(Boolean),
  and: (...args: unknown[]) => args.slice(0, -1).every(Boolean),
  not: (a: unknown) => !a,
  seconds: (ms: number) => Math.round(ms / 1000),
} as const;
