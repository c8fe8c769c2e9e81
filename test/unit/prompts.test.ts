/**
 * The @inquirer/prompts adapter, driven through @inquirer/testing's virtual terminal: each prompt validates with
 * the schema's own validator, selects offer the schema's choices, and Ctrl-C becomes CancelledError → exit 130
 * with nothing written. @inquirer/prompts is replaced by the real prompts rendered on a test terminal.
 */
import fs from "node:fs";
import { Writable } from "node:stream";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import type { render as renderFn } from "@inquirer/testing";

type Session = Awaited<ReturnType<typeof renderFn>>;

const h = vi.hoisted(() => {
  const sessions: Session[] = [];
  const waiters: Array<(s: Session) => void> = [];
  return {
    sessions,
    waiters,
    push(s: Session) {
      const w = waiters.shift();
      if (w) w(s);
      else sessions.push(s);
    },
    /** The next prompt shown on the test terminal. */
    next(): Promise<Session> {
      const s = sessions.shift();
      return s ? Promise.resolve(s) : new Promise((resolve) => waiters.push(resolve));
    },
  };
});

vi.mock("@inquirer/prompts", async (importOriginal) => {
  const real = await importOriginal<typeof import("@inquirer/prompts")>();
  const { render } = await import("@inquirer/testing");
  // Each prompt renders on a virtual terminal; the test drives it through the session.
  const onTestTerminal =
    <C,>(prompt: (config: C) => Promise<unknown>) =>
    async (config: C) => {
      const session = await render(prompt as never, config as never);
      h.push(session);
      return session.answer;
    };
  return { ...real, input: onTestTerminal(real.input), select: onTestTerminal(real.select), confirm: onTestTerminal(real.confirm) };
});

const { inquirerPrompt } = await import("../../src/options/prompts.js");
const { resolveOptions, defaultOptions, CancelledError } = await import("../../src/options/resolve.js");
const { SCHEMA } = await import("../../src/options/schema.js");
const { runCreate } = await import("../../src/commands/create.js");
const { makeTmp, cleanupTmp } = await import("../helpers/tmp.js");

afterEach(() => {
  expect(h.sessions, "every prompt shown was answered").toEqual([]);
});
afterAll(() => cleanupTmp());

type Given = Parameters<typeof resolveOptions>[0];

/** Resolve with the real adapter; the test answers each prompt as it appears. */
function resolving(given: Given = {}) {
  return resolveOptions(given, { env: {}, interactive: true, prompt: inquirerPrompt });
}

/** Every option given (so nothing is asked) except `keys`, which are left to the prompts. */
function allBut(...keys: Array<keyof Given>): Given {
  const all: Given = { ...defaultOptions({ directory: "svc" }, {}), yes: false };
  for (const k of keys) delete all[k];
  // Defaults that depend on an asked option must be asked-for too, not given.
  if (keys.includes("name")) delete all.logGroup;
  return all;
}

describe("input prompt with the schema's validation", () => {
  it('the service name refuses "My_Svc" with the schema\'s message, then accepts "my-svc"', async () => {
    const result = resolving(allBut("name"));
    const s = await h.next();
    expect(s.getScreen()).toContain(SCHEMA.name.prompt!.message);
    expect(s.getScreen()).toContain("svc"); // the default, from the directory

    s.events.type("My_Svc");
    s.events.keypress("enter");
    await s.nextRender();
    expect(s.getScreen()).toContain(SCHEMA.name.validate!("My_Svc")!);

    // Clear the line and type a valid name.
    for (let i = 0; i < "My_Svc".length; i++) s.events.keypress("backspace");
    s.events.type("my-svc");
    s.events.keypress("enter");
    await expect(s.answer).resolves.toBe("my-svc");
    const { options } = await result;
    expect(options.name).toBe("my-svc");
    expect(options.logGroup).toBe("/ecs/my-svc");
  });

  it("enter accepts the offered default", async () => {
    const result = resolving({ ...allBut("name"), directory: "orders" });
    const s = await h.next();
    expect(s.getScreen()).toContain(SCHEMA.name.prompt!.message);
    s.events.keypress("enter");
    expect((await result).options.name).toBe("orders");
  });

  it("the region prompt refuses an unknown region", async () => {
    const result = resolving(allBut("region"));
    const s = await h.next();
    expect(s.getScreen()).toContain(SCHEMA.region.prompt!.message);
    for (let i = 0; i < "us-east-1".length; i++) s.events.keypress("backspace");
    s.events.type("eu-west-9");
    s.events.keypress("enter");
    await s.nextRender();
    expect(s.getScreen()).toContain('--region "eu-west-9" is not an AWS region code');
    for (let i = 0; i < "eu-west-9".length; i++) s.events.keypress("backspace");
    s.events.type("eu-west-1");
    s.events.keypress("enter");
    expect((await result).options.region).toBe("eu-west-1");
  });
});

describe("select and confirm prompts", () => {
  it("cpu then memory: the memory choices follow the chosen cpu", async () => {
    const result = resolving(allBut("cpu", "memory"));
    const cpu = await h.next();
    expect(cpu.getScreen()).toContain(SCHEMA.cpu.prompt!.message);
    cpu.events.keypress("down"); // 256 → 512
    cpu.events.keypress("enter");
    await expect(cpu.answer).resolves.toBe("512");

    const memory = await h.next();
    const screen = memory.getScreen();
    expect(screen).toContain(SCHEMA.memory.prompt!.message);
    expect(screen).toContain("1024 MiB");
    expect(screen).not.toContain("512 MiB");
    memory.events.keypress("down"); // 1024 → 2048
    memory.events.keypress("enter");
    const { options } = await result;
    expect([options.cpu, options.memory]).toEqual([512, 2048]);
  });

  it("tracing is a yes/no question", async () => {
    if (!SCHEMA.tracing.prompt) return;
    const result = resolving(allBut("tracing"));
    const s = await h.next();
    expect(s.getScreen()).toContain(SCHEMA.tracing.prompt.message);
    s.events.type("y");
    s.events.keypress("enter");
    expect((await result).options.tracing).toBe(true);
  });
});

describe("Ctrl-C", () => {
  it("becomes CancelledError", async () => {
    const result = resolving({});
    const s = await h.next();
    s.events.keypress({ name: "c", ctrl: true });
    await expect(result).rejects.toBeInstanceOf(CancelledError);
  });

  it("runCreate: 'Operation cancelled', exit 130, nothing written", async () => {
    const cwd = makeTmp();
    const err: string[] = [];
    const sink = new Writable({ write: (c, _e, cb) => (err.push(String(c)), cb()) });
    const out = new Writable({ write: (_c, _e, cb) => cb() });
    const code = runCreate({ given: { interactive: true }, io: { stdout: out, stderr: sink, env: { NO_COLOR: "1" } }, cwd, isTTY: false });
    const first = await h.next();
    expect(first.getScreen()).toContain(SCHEMA.directory.prompt!.message);
    first.events.type("svc");
    first.events.keypress("enter");
    const second = await h.next();
    second.events.keypress({ name: "c", ctrl: true });
    expect(await code).toBe(130);
    expect(err.join("")).toContain("Operation cancelled");
    expect(fs.readdirSync(cwd)).toEqual([]);
  });
});
