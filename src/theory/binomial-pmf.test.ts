import { describe, expect, it } from 'vitest';
import { binomialPmf, convolve } from './binomial-pmf.ts';

/** The textbook C(n, k) q^k (1 − q)^{n−k}, with C by the multiplicative formula. */
function direct(n: number, q: number, k: number): number {
  let c = 1;
  for (let j = 1; j <= k; j++) c = (c * (n - k + j)) / j;
  return c * q ** k * (1 - q) ** (n - k);
}

const at = (p: { lo: number; vals: Float64Array }, k: number): number => (k >= p.lo && k < p.lo + p.vals.length ? p.vals[k - p.lo]! : 0);

describe('binomialPmf', () => {
  it('matches the textbook formula and sums to 1', () => {
    for (const [n, q] of [[1, 0.3], [20, 0.5], [37, 0.013], [200, 0.91]] as const) {
      const p = binomialPmf(n, q);
      for (let k = 0; k <= n; k++) expect(at(p, k)).toBeCloseTo(direct(n, q, k), 12);
      expect(p.vals.reduce((a, x) => a + x, 0)).toBeCloseTo(1, 14);
    }
  });

  it('is a point mass at q = 0 and q = 1, and keeps mean and variance at large n', () => {
    expect(binomialPmf(9, 0)).toEqual({ lo: 0, vals: Float64Array.of(1) });
    expect(binomialPmf(9, 1)).toEqual({ lo: 9, vals: Float64Array.of(1) });
    const n = 5000;
    const q = 0.37;
    const p = binomialPmf(n, q);
    let m = 0;
    let v = 0;
    p.vals.forEach((x, j) => (m += x * (p.lo + j)));
    p.vals.forEach((x, j) => (v += x * (p.lo + j - m) ** 2));
    expect(m).toBeCloseTo(n * q, 8);
    expect(v / (n * q * (1 - q))).toBeCloseTo(1, 10);
  });

  it('convolves Bin(a, q) and Bin(b, q) into Bin(a + b, q)', () => {
    const c = convolve(binomialPmf(12, 0.3), binomialPmf(7, 0.3));
    const d = binomialPmf(19, 0.3);
    for (let k = 0; k <= 19; k++) expect(at(c, k)).toBeCloseTo(at(d, k), 14);
  });
});
