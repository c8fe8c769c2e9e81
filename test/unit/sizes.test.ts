/** The Fargate task-size table: exactly the 74 valid cpu/memory pairs of the ECS docs ("Task size"). */
import { describe, expect, it } from "vitest";
import {
  FARGATE_CPU_VALUES,
  FARGATE_SIZES,
  allFargateSizes,
  describeMemoryFor,
  fargateSizeError,
  isValidFargateSize,
  validMemoryFor,
} from "../../src/fargate/sizes.js";
import { parseGiven, resolveOptions, UsageError } from "../../src/options/resolve.js";

const range = (from: number, to: number, step: number): number[] => {
  const out: number[] = [];
  for (let m = from; m <= to; m += step) out.push(m);
  return out;
};

/** Written out independently of src/fargate/sizes.ts, from the fact sheet's table. */
const EXPECTED: Record<number, number[]> = {
  256: [512, 1024, 2048],
  512: [1024, 2048, 3072, 4096],
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

describe("Fargate sizes", () => {
  it("has exactly 74 valid pairs", () => {
    expect(allFargateSizes()).toHaveLength(74);
    expect(Object.values(EXPECTED).flat()).toHaveLength(74);
  });

  it("matches the fact sheet per cpu (3 + 4 + 7 + 13 + 23 + 12 + 12)", () => {
    expect(FARGATE_CPU_VALUES).toEqual([256, 512, 1024, 2048, 4096, 8192, 16384]);
    for (const [cpu, mems] of Object.entries(EXPECTED)) expect(validMemoryFor(Number(cpu)), `cpu ${cpu}`).toEqual(mems);
    expect([...FARGATE_SIZES.values()].map((m) => m.length)).toEqual([3, 4, 7, 13, 23, 12, 12]);
  });

  const pairs = allFargateSizes();
  it.each(pairs)("cpu $cpu / memory $memory is valid and resolves", async ({ cpu, memory }) => {
    expect(isValidFargateSize(cpu, memory)).toBe(true);
    expect(fargateSizeError(cpu, memory)).toBeUndefined();
    const { options } = await resolveOptions(parseGiven({ directory: "svc", cpu: String(cpu), memory: String(memory) }), {
      env: {},
      interactive: false,
    });
    expect([options.cpu, options.memory]).toEqual([cpu, memory]);
  });

  it("refuses every other memory value in 512-MiB steps, naming cpu and memory", () => {
    const valid = new Set(pairs.map((p) => `${p.cpu}/${p.memory}`));
    let refused = 0;
    for (const cpu of FARGATE_CPU_VALUES) {
      for (let memory = 512; memory <= 122880; memory += 512) {
        if (valid.has(`${cpu}/${memory}`)) continue;
        const err = fargateSizeError(cpu, memory);
        expect(err).toContain(`memory ${memory}`);
        expect(err).toContain(`cpu ${cpu}`);
        refused++;
      }
    }
    expect(refused).toBe(FARGATE_CPU_VALUES.length * 240 - 74);
  });

  it("refuses an unknown cpu with the list of cpu values", () => {
    expect(fargateSizeError(300, 512)).toBe("cpu 300 is not a Fargate size; allowed: 256, 512, 1024, 2048, 4096, 8192, 16384");
    expect(validMemoryFor(300)).toEqual([]);
  });

  it("describes short lists in full and long ones as a range", () => {
    expect(describeMemoryFor(256)).toBe("512, 1024, 2048");
    expect(describeMemoryFor(512)).toBe("1024, 2048, 3072, 4096");
    expect(describeMemoryFor(8192)).toBe("16384–61440 in steps of 4096");
    expect(describeMemoryFor(16384)).toBe("32768–122880 in steps of 8192");
  });

  it("a defaulted memory follows a given cpu", async () => {
    for (const cpu of FARGATE_CPU_VALUES) {
      const { options } = await resolveOptions(parseGiven({ directory: "svc", cpu: String(cpu) }), { env: {}, interactive: false });
      expect(options.memory).toBe(EXPECTED[cpu]![0]);
    }
  });

  it("a given memory that does not fit is a usage error listing what fits", async () => {
    await expect(
      resolveOptions(parseGiven({ directory: "svc", cpu: "256", memory: "4096" }), { env: {}, interactive: false }),
    ).rejects.toSatisfy(
      (err: Error) =>
        err instanceof UsageError &&
        err.message === "--cpu/--memory: memory 4096 is not valid with cpu 256; Fargate cpu 256 allows memory (MiB): 512, 1024, 2048",
    );
  });
});
