/**
 * Shared pieces of the benchmarks: timing, medians, interleaved comparisons, and the one-line result
 * protocol between a benchmark process and `bench/run.ts`.
 */

/** One measured number and its goal. */
export interface Metric {
  /** Stable key in results.json, e.g. `listing.ratio`. */
  readonly key: string;
  readonly label: string;
  readonly value: number;
  readonly unit: string;
  /** The value must be at most this (every goal here is an upper bound). */
  readonly max: number;
  /** How the goal is shown, e.g. `≤ 1.3×`. */
  readonly goal: string;
  /** Raw numbers behind the value, for the log and results.json. */
  readonly details?: Record<string, number | string | boolean>;
}

export const RESULT_PREFIX = 'BENCH_RESULT ';

/** Prints a benchmark process's result for run.ts: one line, `BENCH_RESULT <json>` (metrics or samples). */
export function reportResult(result: Metric[] | Record<string, unknown>): void {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

/** Milliseconds, monotonic, sub-microsecond resolution. */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export async function timeMs(run: () => unknown): Promise<number> {
  const start = nowMs();
  await run();
  return nowMs() - start;
}

/**
 * Times `subject` and `floor` alternately (the order flips every round, so drift and other load hit
 * both alike), after `warmup` untimed rounds of each. Returns every sample and the ratio of medians.
 */
export async function compareInterleaved(options: {
  rounds: number;
  warmup: number;
  subject: () => unknown;
  floor: () => unknown;
}): Promise<{ subject: number[]; floor: number[]; subjectMedian: number; floorMedian: number; ratio: number }> {
  for (let i = 0; i < options.warmup; i++) {
    await options.subject();
    await options.floor();
  }
  const subject: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < options.rounds; i++) {
    if (i % 2 === 0) {
      subject.push(await timeMs(options.subject));
      floor.push(await timeMs(options.floor));
    } else {
      floor.push(await timeMs(options.floor));
      subject.push(await timeMs(options.subject));
    }
  }
  const subjectMedian = median(subject);
  const floorMedian = median(floor);
  return { subject, floor, subjectMedian, floorMedian, ratio: subjectMedian / floorMedian };
}

export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
