// What `import Handlebars from "handlebars"` gets in the bundle (scripts/build.mjs): the full handlebars API, but the
// compiler (parser tables, code generator, source-map) is loaded on first use, from a file of its own, instead of at
// startup. Templates are
// precompiled at build time (src/write/precompiled-templates.ts) and node-plop's own handlebars only compiles for
// its built-in actions, which our generator does not use: so a scaffold never loads the compiler.
// Mirrors handlebars/lib/index.js + dist/cjs/handlebars.js (4.7), minus the require.extensions hook for .hbs files.
"use strict";
// Its modules end with `module.exports = exports['default']` where they have a default export.
const def = (m) => (m && Object.prototype.hasOwnProperty.call(m, "default") ? m["default"] : m);
const runtime = def(require("handlebars/dist/cjs/handlebars.runtime.js"));
const noConflict = def(require("handlebars/dist/cjs/handlebars/no-conflict.js"));

// In the bundle this file is dist/chunks/handlebars-compiler.cjs (kept external by scripts/build.mjs), next to the
// chunk that requires it; unbundled it is scripts/handlebars-compiler.cjs.
let compilerModules;
const lazy = () => (compilerModules ??= require("./handlebars-compiler.cjs"));

/** A property read from the compiler on first access; assigning it (as handlebars' own API allows) just sets it. */
function lazyProperty(target, name, get) {
  Object.defineProperty(target, name, {
    configurable: true,
    enumerable: true,
    get,
    set(value) {
      Object.defineProperty(target, name, { configurable: true, enumerable: true, writable: true, value });
    },
  });
}

const runtimeCreate = runtime.create;
function create() {
  const hb = runtimeCreate();
  hb.compile = function (input, options) {
    return lazy().compiler.compile(input, options, hb);
  };
  hb.precompile = function (input, options) {
    return lazy().compiler.precompile(input, options, hb);
  };
  lazyProperty(hb, "AST", () => lazy().ast);
  lazyProperty(hb, "Compiler", () => lazy().compiler.Compiler);
  lazyProperty(hb, "JavaScriptCompiler", () => lazy().javaScriptCompiler);
  lazyProperty(hb, "Parser", () => lazy().base.parser);
  lazyProperty(hb, "parse", () => lazy().base.parse);
  lazyProperty(hb, "parseWithoutProcessing", () => lazy().base.parseWithoutProcessing);
  return hb;
}

const inst = create();
inst.create = create;
noConflict(inst);
lazyProperty(inst, "Visitor", () => lazy().visitor);
lazyProperty(inst, "PrintVisitor", () => lazy().printer.PrintVisitor);
lazyProperty(inst, "print", () => lazy().printer.print);
inst["default"] = inst;

module.exports = inst;
