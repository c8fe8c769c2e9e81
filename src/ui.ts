/**
 * Terminal output: progress and errors on stderr, results on stdout. Colour only on a TTY, never with NO_COLOR
 * (FORCE_COLOR turns it on). No dependency: a handful of ANSI codes.
 */
export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return true;
  return Boolean(stream.isTTY) && env.TERM !== "dumb";
}

export interface Palette {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
const identity = (s: string): string => s;

export function palette(enabled: boolean): Palette {
  return enabled
    ? { bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), cyan: wrap(36, 39) }
    : { bold: identity, dim: identity, red: identity, green: identity, yellow: identity, cyan: identity };
}

/** A one-line spinner on stderr when it is a TTY; otherwise a plain start line. */
export function spinner(io: Io, text: string): { stop(final: string): void } {
  const stream = io.stderr;
  if (!stream.isTTY || !colorEnabled(stream, io.env)) {
    stream.write(`${text}\n`);
    return { stop: (final) => void stream.write(`${final}\n`) };
  }
  const frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
  let i = 0;
  const timer = setInterval(() => stream.write(`\r${frames[i++ % frames.length]} ${text}`), 80);
  return {
    stop(final) {
      clearInterval(timer);
      stream.write(`\r\u001b[2K${final}\n`);
    },
  };
}

/** Quote a shell argument only when it needs it. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
