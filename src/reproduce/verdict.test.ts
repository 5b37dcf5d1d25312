import { describe, expect, it } from 'vitest';
import { agreement, approximateAgreement, combine, exactly, greater, meanOf, shareOf, varianceOf } from './verdict.ts';

describe('verdict rules', () => {
  it('agreement is decided at 3 standard errors, both ways', () => {
    expect(agreement({ value: 10, se: 1 }, 12.9).verdict).toBe('agrees');
    expect(agreement({ value: 10, se: 1 }, 13.1).verdict).toBe('disagrees');
    expect(agreement({ value: 10, se: 0 }, 10).verdict).toBe('agrees');
    expect(agreement({ value: NaN, se: 1 }, 1).verdict).toBe('inconclusive');
  });

  it('approximate agreement adds the relative error of the approximation', () => {
    expect(approximateAgreement({ value: 100, se: 1 }, 107, 0.05, 'x').verdict).toBe('agrees'); // 7 ≤ 3 + 5.35
    expect(approximateAgreement({ value: 100, se: 1 }, 110, 0.05, 'x').verdict).toBe('disagrees'); // 10 > 3 + 5.5
  });

  it('a direction holds, fails or is inconclusive by the se of the difference', () => {
    expect(greater({ value: 5, se: 0.3 }, { value: 3, se: 0.4 }, 'a').verdict).toBe('holds'); // 2 > 3 × 0.5
    expect(greater({ value: 3, se: 0.3 }, { value: 5, se: 0.4 }, 'a').verdict).toBe('does not hold');
    expect(greater({ value: 4, se: 0.3 }, { value: 3, se: 0.4 }, 'a').verdict).toBe('inconclusive');
  });

  it('combine: any failure decides, all passes agree (or hold), not run wins', () => {
    const ok = { verdict: 'agrees' as const, why: '' };
    const holds = exactly(3, 3, 'n');
    expect(combine([ok, holds]).verdict).toBe('agrees');
    expect(combine([holds]).verdict).toBe('holds');
    expect(combine([ok, exactly(2, 3, 'n')]).verdict).toBe('does not hold');
    expect(combine([ok, { verdict: 'inconclusive', why: '' }]).verdict).toBe('inconclusive');
    expect(combine([ok, { verdict: 'not run', why: '' }]).verdict).toBe('not run');
  });

  it('estimators: mean, variance and share with their standard errors', () => {
    const xs = [1, 2, 3, 4];
    expect(meanOf(xs).value).toBe(2.5);
    expect(meanOf(xs).se).toBeCloseTo(Math.sqrt(5 / 3 / 4), 12);
    // Two-point ±1 values: s² = N/(N − 1), m₄ = s⁴ (population) = 1, so the delta-method se is 0.
    const v = varianceOf([1, -1, 1, -1]);
    expect(v.value).toBeCloseTo(4 / 3, 12);
    expect(v.se).toBeCloseTo(0, 12);
    expect(shareOf(30, 100, 0.5).se).toBeCloseTo(0.05, 12);
  });
});
