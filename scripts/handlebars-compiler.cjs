// handlebars' compiler (parser, code generator, source-map), loaded by scripts/handlebars-lazy.cjs on first use.
// scripts/build.mjs bundles this file on its own into dist/chunks/handlebars-compiler.cjs, outside the chunks a
// scaffold loads: a scaffold renders precompiled templates and never compiles, so it does not even parse this code.
// It has its own copy of the few runtime modules the compiler requires (utils, exception, base's revision numbers).
"use strict";
const def = (m) => (m && Object.prototype.hasOwnProperty.call(m, "default") ? m["default"] : m);

module.exports = {
  compiler: require("handlebars/dist/cjs/handlebars/compiler/compiler.js"),
  base: require("handlebars/dist/cjs/handlebars/compiler/base.js"),
  ast: def(require("handlebars/dist/cjs/handlebars/compiler/ast.js")),
  javaScriptCompiler: def(require("handlebars/dist/cjs/handlebars/compiler/javascript-compiler.js")),
  visitor: def(require("handlebars/dist/cjs/handlebars/compiler/visitor.js")),
  printer: require("handlebars/dist/cjs/handlebars/compiler/printer.js"),
};
