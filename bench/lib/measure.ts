/** One line of `npm run bench` output. `ratio` is value / baseline, both measured in the same run. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  baseline?: number;
  ratio?: number;
  note?: string;
}

export interface Benchmark {
  name: string;
  run(): Promise<BenchResult[]>;
}

/** The p-th percentile (0..100) of a sample, by nearest rank. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error('percentile of an empty sample');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

/** Milliseconds taken by each of `count` sequential runs of `fn`, after `warmup` unmeasured runs. */
export async function sample(count: number, fn: () => unknown, warmup = Math.min(50, count)): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await fn();
    out.push(performance.now() - start);
  }
  return out;
}

export function round(value: number, digits = 3): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function result(name: string, value: number, unit: string, baseline?: number, note?: string): BenchResult {
  const out: BenchResult = { name, value: round(value), unit };
  if (baseline !== undefined) {
    out.baseline = round(baseline);
    out.ratio = round(baseline === 0 ? Number.POSITIVE_INFINITY : value / baseline, 2);
  }
  if (note) out.note = note;
  return out;
}
