// gaussianTv (closed form through the density crossings) against ½∫|f₁ − f₂| by the midpoint rule.
import { describe, expect, it } from 'vitest';
import { gaussianTv } from './divergence.ts';

function numericTv(m1: number, v1: number, m2: number, v2: number): number {
  const f = (x: number, m: number, v: number) => Math.exp(-((x - m) ** 2) / (2 * v)) / Math.sqrt(2 * Math.PI * v);
  const lo = Math.min(m1 - 12 * Math.sqrt(v1), m2 - 12 * Math.sqrt(v2));
  const hi = Math.max(m1 + 12 * Math.sqrt(v1), m2 + 12 * Math.sqrt(v2));
  const steps = 400_000;
  const h = (hi - lo) / steps;
  let s = 0;
  for (let i = 0; i < steps; i++) {
    const x = lo + (i + 0.5) * h;
    s += Math.abs(f(x, m1, v1) - f(x, m2, v2));
  }
  return (s * h) / 2;
}

describe('gaussianTv', () => {
  it.each([
    [0, 1, 0, 1],
    [0, 1, 1, 1],
    [3, 1, -1, 1],
    [0, 1, 0, 4],
    [0, 0.25, 1, 2],
    [2, 3, -1, 0.1],
    [0, 1, 0.001, 1.002],
  ])('N(%f, %f) vs N(%f, %f) matches numerical integration', (m1, v1, m2, v2) => {
    const tv = gaussianTv(m1, v1, m2, v2);
    expect(tv).toBeCloseTo(numericTv(m1, v1, m2, v2), 7);
    expect(gaussianTv(m2, v2, m1, v1)).toBeCloseTo(tv, 12);
  });
  it('equal variances: 2Φ(|Δμ|/2σ) − 1; point masses are at distance 1 from the rest', () => {
    expect(gaussianTv(0, 1, 2, 1)).toBeCloseTo(0.6826894921370859, 12); // 2Φ(1) − 1
    expect(gaussianTv(0, 0, 0, 0)).toBe(0);
    expect(gaussianTv(0, 0, 1, 0)).toBe(1);
    expect(gaussianTv(0, 0, 0, 1)).toBe(1);
  });
});
