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

/** Lets the event loop turn once, timers included, as it does between two requests to the app. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Times `ours(i)` and `baseline(i)` on the same inputs, alternating which goes first, so neither gets the other's
 * warm caches. `i` runs from 0 through warm-up and measured runs alike (warmup + count inputs). Each call is timed
 * synchronously (an `await` inside the timed region would add a microtask hop to sub-millisecond figures), and the
 * event loop turns between rounds, untimed, as it does between two requests in the app: work the core defers past
 * its reply runs there, as it would.
 */
export async function samplePaired(
  count: number,
  ours: (i: number) => unknown,
  baseline: (i: number) => unknown,
  warmup = Math.min(100, count),
): Promise<{ ours: number[]; baseline: number[] }> {
  const out = { ours: [] as number[], baseline: [] as number[] };
  const time = (fn: (i: number) => unknown, i: number): number => {
    const start = performance.now();
    fn(i);
    return performance.now() - start;
  };
  for (let i = 0; i < warmup + count; i++) {
    const oursFirst = i % 2 === 0;
    const a = oursFirst ? time(ours, i) : time(baseline, i);
    await nextTurn();
    const b = oursFirst ? time(baseline, i) : time(ours, i);
    await nextTurn();
    if (i >= warmup) {
      out.ours.push(oursFirst ? a : b);
      out.baseline.push(oursFirst ? b : a);
    }
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
    // Two decimals, or two significant figures for a ratio below 0.1, which would otherwise print as 0.
    const ratio = baseline === 0 ? Number.POSITIVE_INFINITY : value / baseline;
    out.ratio = ratio !== 0 && Math.abs(ratio) < 0.1 ? Number(ratio.toPrecision(2)) : round(ratio, 2);
  }
  if (note) out.note = note;
  return out;
}
