// The exact accumulate curve against an independent computation (the recursion over the
// law of the pooled counts of a coin), and its limit against Euler's product. The replace
// curve is checked against the exact chain in coin-chain.test.ts and the loop in
// src/families/categorical/theory.test.ts.
import { describe, expect, it } from 'vitest';
import { binomialPmf } from './binomial-pmf.ts';
import { accumulateLimit, giniSimpsonAccumulate, giniSimpsonReplace } from './heterozygosity.ts';

/** E[2p(1−p)] after t accumulate generations by stepping the law of the pooled heads count. */
function accumulateByLaw(n: number, p0: number, t: number): number {
  // Generation 1 draws n from p0; generation s adds n draws from the pooled share.
  let law = new Map<number, number>();
  const first = binomialPmf(n, p0);
  first.vals.forEach((w, j) => law.set(first.lo + j, w));
  for (let s = 2; s <= t; s++) {
    const next = new Map<number, number>();
    for (const [heads, w] of law) {
      const b = binomialPmf(n, heads / (n * (s - 1)));
      b.vals.forEach((v, j) => next.set(heads + b.lo + j, (next.get(heads + b.lo + j) ?? 0) + w * v));
    }
    law = next;
  }
  let h = 0;
  for (const [heads, w] of law) h += w * 2 * (heads / (n * t)) * (1 - heads / (n * t));
  return h;
}

describe('Gini–Simpson curves', () => {
  it('replace: H_0 (1 − 1/n)^t', () => {
    expect(giniSimpsonReplace(0.5, 10, 0)).toBe(0.5);
    expect(giniSimpsonReplace(0.5, 10, 2)).toBeCloseTo(0.405, 14);
  });

  it('accumulate: the product matches the exact law of the pooled counts', () => {
    for (const t of [1, 2, 5, 12]) expect(giniSimpsonAccumulate(0.42, 6, t)).toBeCloseTo(accumulateByLaw(6, 0.3, t), 12);
  });

  it('accumulate tends to H_0 sin(π/√n)/(π/√n)', () => {
    for (const n of [4, 20, 100]) {
      // The tail Π_{s>t}(1 − 1/(n s²)) ≈ 1 − 1/(n t): within 1e-6 at t = 1e6/n.
      const t = Math.ceil(1e6 / n);
      expect(giniSimpsonAccumulate(1, n, t) / accumulateLimit(1, n)).toBeCloseTo(1, 5);
    }
  });
});
