import { describe, expect, it } from 'vitest';
import { percentile, result, samplePaired } from '../../bench/lib/measure';

describe('the bench harness', () => {
  it('takes percentiles by nearest rank', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile(samples, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(() => percentile([], 50)).toThrow();
  });

  it('reports value, unit, baseline and value/baseline ratio', () => {
    expect(result('x-p99', 3.14159, 'ms', 1.5)).toEqual({ name: 'x-p99', value: 3.142, unit: 'ms', baseline: 1.5, ratio: 2.09 });
    expect(result('y', 10, 'cases/s')).toEqual({ name: 'y', value: 10, unit: 'cases/s' });
    expect(result('z-p99', 1.3, 'ms', 1000).ratio).toBe(0.0013);
  });

  it('times ours and the baseline on the same inputs, alternating which goes first, after the warm-up', async () => {
    const calls: string[] = [];
    const timed = await samplePaired(
      3,
      (i) => calls.push(`ours ${i}`),
      (i) => calls.push(`baseline ${i}`),
      1,
    );
    expect(calls).toEqual(['ours 0', 'baseline 0', 'baseline 1', 'ours 1', 'ours 2', 'baseline 2', 'baseline 3', 'ours 3']);
    expect(timed.ours).toHaveLength(3);
    expect(timed.baseline).toHaveLength(3);
  });
});
