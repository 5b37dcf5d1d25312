import { describe, expect, it } from 'vitest';
import { aggregateSeries, quantile, stats } from './aggregate.ts';

describe('quantile', () => {
  it('interpolates linearly between order statistics (numpy default)', () => {
    const s = [1, 2, 3, 4, 10];
    expect(quantile(s, 0)).toBe(1);
    expect(quantile(s, 1)).toBe(10);
    expect(quantile(s, 0.5)).toBe(3);
    expect(quantile(s, 0.9)).toBeCloseTo(4 + 0.6 * 6, 12); // h = 3.6
  });
});

describe('stats', () => {
  it('mean, sample sd and standard error', () => {
    const s = stats([2, 4, 4, 4, 5, 5, 7, 9])!;
    expect(s.mean).toBe(5);
    expect(s.sd).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(s.se).toBeCloseTo(Math.sqrt(32 / 7) / Math.sqrt(8), 12);
  });
  it('is null for no values', () => expect(stats([])).toBeNull());
});

describe('aggregateSeries', () => {
  it('skips missing seeds and nulls the mean of infinite columns', () => {
    const a = aggregateSeries([Float64Array.from([1, NaN, 3]), Float64Array.from([Infinity, 1, 2])]);
    expect(a.count).toEqual([2, 3]);
    expect(a.mean).toEqual([2, null]);
    expect(a.q95[1]).toBe(Infinity);
  });
});
