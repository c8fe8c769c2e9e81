export declare const ROOT: string;
export declare const HEAVY: { prompts: string[]; execa: string[]; aws: string[]; render: string[] };

export interface ChunkContents {
  bytes: number;
  packages: Set<string>;
  sources: string[];
}
export type ChunkMap = Map<string, ChunkContents>;

export declare function packageOf(input: string): string | undefined;
export declare function chunkContents(metafile: unknown, distDir: string, workingDir?: string): ChunkMap;
export declare function matches(pkg: string, prefixes: string[]): boolean;
export declare function buildPrivateCopy(dir: string): Promise<{ cli: string; distDir: string; chunks: ChunkMap }>;
export declare function writeResolveHook(dir: string): string;

export interface LoadedModules {
  code: number | string | null;
  stdout: string;
  stderr: string;
  /** dist files loaded, relative to the dist directory. */
  files: string[];
  /** packages bundled in the loaded files. */
  packages: string[];
  /** node: builtins imported as ES modules. */
  builtins: string[];
  /** resolved URLs outside the dist directory (should be none). */
  unknown: string[];
  bytes: number;
}
export declare function loadedModules(opts: {
  cli: string;
  distDir: string;
  chunks: ChunkMap;
  register: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  stdin?: "ignore" | "pipe";
  timeoutMs?: number;
}): Promise<LoadedModules>;
