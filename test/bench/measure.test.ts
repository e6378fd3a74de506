import { describe, expect, it } from 'vitest';
import { percentile, result } from '../../bench/lib/measure';

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
  });
});
