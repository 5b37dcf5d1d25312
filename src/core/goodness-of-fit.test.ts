import { describe, expect, it } from 'vitest';
import { binomialPmf, chiSquarePValue, chiSquareTest, gammaQ, kolmogorovPValue, ksTest, logGamma, normalCdf } from './goodness-of-fit.test-support.ts';

describe('special functions', () => {
  it('logGamma(n) = ln (n − 1)!', () => {
    let lf = 0;
    for (let n = 1; n < 60; n++) {
      expect(logGamma(n)).toBeCloseTo(lf, 10);
      lf += Math.log(n);
    }
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
  });

  it('chi-square tail matches table values (Abramowitz & Stegun 26.8)', () => {
    expect(chiSquarePValue(3.841459, 1)).toBeCloseTo(0.05, 6);
    expect(chiSquarePValue(18.307038, 10)).toBeCloseTo(0.05, 6);
    expect(chiSquarePValue(124.342113, 100)).toBeCloseTo(0.05, 6);
    expect(chiSquarePValue(6.634897, 1)).toBeCloseTo(0.01, 7);
    expect(gammaQ(1, 2)).toBeCloseTo(Math.exp(-2), 14); // Q(1, x) = e^{−x}
  });

  it('normal CDF and Kolmogorov tail match tables', () => {
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(kolmogorovPValue(1.358099)).toBeCloseTo(0.05, 4);
    expect(kolmogorovPValue(1.627624)).toBeCloseTo(0.01, 4);
  });

  it('binomialPmf matches the closed form for small n', () => {
    const n = 12;
    const p = 0.3;
    const pmf = binomialPmf(n, p, 0, n);
    let c = 1;
    for (let k = 0; k <= n; k++) {
      expect(pmf[k]).toBeCloseTo(c * p ** k * (1 - p) ** (n - k), 14);
      c = (c * (n - k)) / (k + 1);
    }
  });
});

describe('chiSquareTest', () => {
  it('pools sparse tails so every cell expects ≥ 5', () => {
    const probs = [0.001, 0.001, 0.498, 0.498, 0.001, 0.001];
    const r = chiSquareTest([1, 0, 500, 495, 2, 2], probs);
    // Expected 1, 1, 498 pool into one cell, 498 closes the next; the remainder 1 + 1 joins it.
    expect(r.df).toBe(1);
    expect(r.stat).toBeCloseTo(1 / 500 + 1 / 500, 12); // observed 501 and 499 against 500 each
  });

  it('has power: rejects a 3% shift in a binomial with 10^5 draws', () => {
    // Counts drawn exactly in expectation from Binomial(50, 0.31), tested against p = 0.30.
    const truth = binomialPmf(50, 0.31, 0, 50);
    const observed = Array.from(truth, (q) => Math.round(q * 1e5));
    expect(chiSquareTest(observed, binomialPmf(50, 0.3, 0, 50)).p).toBeLessThan(1e-6);
    expect(chiSquareTest(observed, truth).p).toBeGreaterThan(0.99);
  });

  it('rejects an observation in a zero-probability cell', () => {
    expect(() => chiSquareTest([1, 5, 5], [0, 0.5, 0.5])).toThrow(/probability is 0/);
  });

  it('KS test accepts the true CDF and rejects a shifted one', () => {
    const xs = Array.from({ length: 2000 }, (_, i) => (i + 0.5) / 2000); // uniform quantiles
    expect(ksTest(xs, (x) => x).p).toBeGreaterThan(0.99);
    expect(ksTest(xs, (x) => Math.min(1, Math.max(0, x - 0.1))).p).toBeLessThan(1e-6);
  });
});
