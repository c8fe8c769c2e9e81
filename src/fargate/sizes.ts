/**
 * Fargate task sizes: the one table of valid cpu/memory pairs (74 in all).
 * Source: botocore ecs RegisterTaskDefinition docs and cfn-lint's fargate_cpu_memory extension.
 */

/** first, first + step, …, last */
function range(first: number, last: number, step: number): number[] {
  return Array.from({ length: (last - first) / step + 1 }, (_, i) => first + i * step);
}

/** Valid memory values (MiB) for each cpu value (units). */
export const FARGATE_SIZES: ReadonlyMap<number, readonly number[]> = new Map([
  [256, [512, 1024, 2048]],
  [512, range(1024, 4096, 1024)],
  [1024, range(2048, 8192, 1024)],
  [2048, range(4096, 16384, 1024)],
  [4096, range(8192, 30720, 1024)],
  [8192, range(16384, 61440, 4096)],
  [16384, range(32768, 122880, 8192)],
]);

const ALL_MEMORY = [...FARGATE_SIZES.values()].flat();
/** The smallest and largest task memory any cpu value allows (MiB). */
export const FARGATE_MEMORY_MIN = Math.min(...ALL_MEMORY);
export const FARGATE_MEMORY_MAX = Math.max(...ALL_MEMORY);

export const FARGATE_CPU_VALUES: readonly number[] = [...FARGATE_SIZES.keys()];

export function validMemoryFor(cpu: number): readonly number[] {
  return FARGATE_SIZES.get(cpu) ?? [];
}

export function isValidFargateSize(cpu: number, memory: number): boolean {
  return validMemoryFor(cpu).includes(memory);
}

/** All valid pairs, for documentation and tests. */
export function allFargateSizes(): Array<{ cpu: number; memory: number }> {
  return [...FARGATE_SIZES].flatMap(([cpu, mems]) => mems.map((memory) => ({ cpu, memory })));
}

/** Human list of memory values, compact for long ranges: "1024, 2048, 3072, 4096" or "8192–30720 (steps of 1024)". */
export function describeMemoryFor(cpu: number): string {
  const mems = validMemoryFor(cpu);
  if (mems.length <= 4) return mems.join(", ");
  const step = mems[1]! - mems[0]!;
  return `${mems[0]}–${mems[mems.length - 1]} in steps of ${step}`;
}

/** "Fargate cpu 256 allows memory 512, 1024, 2048" — the message every validator uses. */
export function fargateSizeError(cpu: number, memory: number): string | undefined {
  if (!FARGATE_SIZES.has(cpu)) {
    return `cpu ${cpu} is not a Fargate size; allowed: ${FARGATE_CPU_VALUES.join(", ")}`;
  }
  if (!isValidFargateSize(cpu, memory)) {
    return `memory ${memory} is not valid with cpu ${cpu}; Fargate cpu ${cpu} allows memory (MiB): ${describeMemoryFor(cpu)}`;
  }
  return undefined;
}
