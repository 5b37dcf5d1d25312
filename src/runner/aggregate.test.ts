import { describe, expect, it } from 'vitest';
import { aggregateSeries, mergeSorted, quantile, stats } from './aggregate.ts';

describe('quantile', () => {
  it('interpolates linearly between order statistics (numpy default)', () => {
    const s = [1, 2, 3, 4, 10];
    expect(quantile(s, 0)).toBe(1);
    expect(quantile(s, 1)).toBe(10);
    expect(quantile(s, 0.5)).toBe(3);
    expect(quantile(s, 0.9)).toBeCloseTo(4 + 0.6 * 6, 12); // h = 3.6
  });

  it('is the infinity, not NaN, between an infinite and a finite order statistic (a variance that reached 0 has log −∞)', () => {
    const s = [-Infinity, -Infinity, -30, -20, Infinity];
    expect(quantile(s, 0.3)).toBe(-Infinity); // h = 1.2: between −∞ and −30
    expect(quantile(s, 0.6)).toBeCloseTo(-30 + 0.4 * 10, 12);
    expect(quantile(s, 0.9)).toBe(Infinity); // h = 3.6: between −20 and +∞
    expect(quantile(s, 0.25)).toBe(-Infinity);
    expect(quantile([-Infinity, Infinity], 0.25)).toBe(-Infinity);
    expect(quantile([-Infinity, Infinity], 0.75)).toBe(Infinity);
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

describe('mergeSorted', () => {
  it('gives the order sort() gives the union, −0 before +0 and infinities at the ends', () => {
    const a = Float64Array.from([-Infinity, -1, 0, 0, 2.5, Infinity]);
    const b = Float64Array.from([-0, -0, 0.5, 2.5, 3]).sort();
    const merged = mergeSorted(a.sort(), b);
    const sorted = Float64Array.from([...a, ...b]).sort();
    expect([...merged].map((v) => Object.is(v, -0) ? '-0' : v)).toEqual([...sorted].map((v) => Object.is(v, -0) ? '-0' : v));
  });
});
