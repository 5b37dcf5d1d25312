// Each sampler against its exact CDF with a Kolmogorov–Smirnov test at fixed keys. With
// N = 20,000 draws, p < 1e-3 would reject a correct sampler once in a thousand keys.
import { describe, expect, it } from 'vitest';
import { beta, chiSquare, gamma, mvNormal } from './distributions.ts';
import { key, Rng } from './random.ts';
import { ksTest } from './goodness-of-fit.test-support.ts';
import { betaI, gammaP } from './special.ts';

const N = 20_000;
const draws = (f: (rng: Rng) => number, seed: number): Float64Array => {
  const rng = new Rng(key(seed));
  return Float64Array.from({ length: N }, () => f(rng));
};

describe('continuous samplers against their exact laws (KS, p > 1e-3)', () => {
  for (const a of [0.1, 0.5, 1, 2.5, 49.5, 1000]) {
    it(`gamma shape ${a}`, () => {
      expect(ksTest(draws((r) => gamma(r, a), 1), (x) => gammaP(a, x)).p).toBeGreaterThan(1e-3);
    });
  }
  it('chi-square with 9 degrees of freedom', () => {
    expect(ksTest(draws((r) => chiSquare(r, 9), 2), (x) => gammaP(4.5, x / 2)).p).toBeGreaterThan(1e-3);
  });
  for (const [a, b] of [[0.5, 1.5], [2, 3], [0.2, 0.2]] as const) {
    it(`beta(${a}, ${b})`, () => {
      expect(ksTest(draws((r) => beta(r, a, b), 3), (x) => betaI(a, b, x)).p).toBeGreaterThan(1e-3);
    });
  }
  it('a KS test rejects the wrong law (so the checks above can fail)', () => {
    expect(ksTest(draws((r) => gamma(r, 2), 4), (x) => gammaP(2.1, x)).p).toBeLessThan(1e-3);
  });
  it('multivariate normal: sample covariance within 4 standard errors of F Fᵀ', () => {
    const f = [2, 0, 1, 0.5]; // Σ = [[4, 2], [2, 1.25]]
    const sigma = [4, 2, 2, 1.25];
    const rng = new Rng(key(5));
    const acc = [0, 0, 0, 0];
    const x = new Float64Array(2);
    for (let i = 0; i < N; i++) {
      mvNormal(rng, [1, -1], f, x);
      const a = x[0]! - 1;
      const b = x[1]! + 1;
      acc[0]! += a * a;
      acc[1]! += a * b;
      acc[3]! += b * b;
    }
    acc[2] = acc[1]!;
    // Var(x_i x_j) = Σ_ii Σ_jj + Σ_ij² for a centred normal
    acc.forEach((s, k) => {
      const i = k >> 1;
      const j = k & 1;
      const se = Math.sqrt((sigma[i * 3]! * sigma[j * 3]! + sigma[k]! ** 2) / N);
      expect(Math.abs(s / N - sigma[k]!)).toBeLessThan(4 * se);
    });
  });
});
