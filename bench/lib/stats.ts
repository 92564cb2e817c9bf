/** Small statistics and timing helpers shared by the suites. */

export const sortedCopy = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);

/** Nearest-rank percentile (p in 0..100) of unsorted values. */
export const percentile = (values: readonly number[], p: number): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = sortedCopy(values);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
};

export const median = (values: readonly number[]): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = sortedCopy(values);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

export const mean = (values: readonly number[]): number =>
  values.length === 0 ? Number.NaN : values.reduce((sum, value) => sum + value, 0) / values.length;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Milliseconds since `start` (a performance.now() reading). */
export const since = (start: number) => performance.now() - start;

/** CPU time (user + system) of this process since `start` (a process.cpuUsage() reading), in microseconds. */
export const cpuSince = (start: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(start);
  return used.user + used.system;
};

export interface RoundTimes {
  /** CPU microseconds per operation, one entry per round. */
  cpuUs: number[];
  /** Wall-clock microseconds per operation, one entry per round. */
  wallUs: number[];
}

/**
 * Runs `rounds` rounds of each contender, interleaved (A B A B ...), each round `opsPerRound` awaited
 * operations, and returns the per-operation CPU and wall time of every round in microseconds.
 * CPU time is what the suites judge on: on a shared 2-core machine, other processes stretch wall time
 * by whatever they take, while the CPU time of a CPU-bound loop stays put. Interleaving spreads what
 * noise remains evenly over the contenders; the suites report the median of the rounds.
 */
export const interleavedRounds = async (
  contenders: Record<string, (i: number) => unknown>,
  {
    rounds,
    opsPerRound,
    deadline,
    around = {},
  }: {
    rounds: number;
    opsPerRound: number;
    deadline: number;
    /** Set-up and tear-down around each round of a contender (not timed). */
    around?: Record<string, { before?: () => void; after?: () => void }>;
  },
): Promise<Record<string, RoundTimes>> => {
  const times: Record<string, RoundTimes> = Object.fromEntries(
    Object.keys(contenders).map((name) => [name, { cpuUs: [], wallUs: [] }]),
  );
  for (let round = 0; round < rounds; round++) {
    for (const [name, run] of Object.entries(contenders)) {
      around[name]?.before?.();
      const cpu = process.cpuUsage();
      const wall = performance.now();
      for (let i = 0; i < opsPerRound; i++) {
        // Synchronous contenders are not awaited: a microtask per call would swamp a 1 us operation.
        const result = run(i);
        if (result instanceof Promise) await result;
      }
      const wallUs = since(wall) * 1000;
      const cpuUs = cpuSince(cpu);
      times[name]?.cpuUs.push(cpuUs / opsPerRound);
      times[name]?.wallUs.push(wallUs / opsPerRound);
      around[name]?.after?.();
    }
    if (round >= 2 && performance.now() > deadline) break;
  }
  return times;
};
