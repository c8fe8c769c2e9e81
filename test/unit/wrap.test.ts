/** Small pure helpers of the terminal output: wrapPairs (the defaults listing), colour rules, shell quoting. */
import { describe, expect, it } from "vitest";
import { wrapPairs } from "../../src/commands/create.js";
import { colorEnabled, palette, shellQuote } from "../../src/ui.js";

describe("wrapPairs", () => {
  it("packs items three spaces apart into lines of at most the width", () => {
    const items = ["--name svc", "--discovery alb", "--port 8080", "--cpu 256", "--memory 512", "--arch x86_64"];
    const lines = wrapPairs(items, 42);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(42);
    expect(lines.join("   ")).toBe(items.join("   "));
    expect(lines).toEqual(["--name svc   --discovery alb   --port 8080", "--cpu 256   --memory 512   --arch x86_64"]);
  });

  it("an item longer than the width gets a line of its own", () => {
    expect(wrapPairs(["a", "x".repeat(50), "b"], 10)).toEqual(["a", "x".repeat(50), "b"]);
  });

  it("no items, no lines", () => {
    expect(wrapPairs([], 80)).toEqual([]);
  });

  it("keeps every item exactly once, in order", () => {
    const items = Array.from({ length: 30 }, (_, i) => `--opt-${i} ${"v".repeat(i % 7)}`);
    const lines = wrapPairs(items, 60);
    expect(lines.join("   ")).toBe(items.join("   "));
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(60);
  });
});

describe("colorEnabled", () => {
  it.each([
    [true, {}, true],
    [false, {}, false],
    [true, { NO_COLOR: "1" }, false],
    [true, { NO_COLOR: "" }, true],
    [true, { TERM: "dumb" }, false],
    [false, { FORCE_COLOR: "1" }, true],
    [false, { FORCE_COLOR: "0" }, false],
    [true, { NO_COLOR: "1", FORCE_COLOR: "1" }, false],
  ] as const)("tty %s, env %j → %s", (isTTY, env, expected) => {
    expect(colorEnabled({ isTTY }, env)).toBe(expected);
  });

  it("a disabled palette adds nothing; an enabled one adds ANSI codes", () => {
    const off = palette(false);
    const on = palette(true);
    for (const k of ["bold", "dim", "red", "green", "yellow", "cyan"] as const) {
      expect(off[k]("x")).toBe("x");
      expect(on[k]("x")).toMatch(/^\u001b\[\d+mx\u001b\[\d+m$/);
    }
  });
});

describe("shellQuote", () => {
  it.each([
    ["my-svc", "my-svc"],
    ["apps/svc", "apps/svc"],
    ["/ecs/svc", "/ecs/svc"],
    ["my svc", "'my svc'"],
    ["it's", `'it'\\''s'`],
    ["$HOME", "'$HOME'"],
    ["/ecs/a#b", "'/ecs/a#b'"],
    ["", "''"],
  ])("%j → %s", (arg, quoted) => {
    expect(shellQuote(arg)).toBe(quoted);
  });
});
