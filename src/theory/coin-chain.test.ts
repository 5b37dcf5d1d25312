// The exact chain against what is exactly known: row sums, the martingale at T = 1,
// fixation = p₀ and E[H_t] = H_0 (1 − 1/n)^t at T = 1, a hand-solved n = 2 chain, symmetry,
// and E[τ] = Σ_g P(τ > g) linking the linear solve to the forward recursion.
// Simulations of the real loop against this chain: src/families/categorical/theory.test.ts.
import { describe, expect, it } from 'vitest';
import { absorption, censoredCollapse, coinChain, collapsedBy, expectations, fixationProbability, meanAbsorption, MAX_RESOLVED_TIME, shareMoments, stationary } from './coin-chain.ts';
import { groundedVariance } from './diffusion.ts';
import { giniSimpsonReplace } from './heterozygosity.ts';

const sumOf = (xs: ArrayLike<number>): number => Array.from(xs).reduce((a, x) => a + x, 0);

describe('coin chain', () => {
  it('has stochastic rows, and at T = 1 the martingale E[p′ | p] = p', () => {
    const c = coinChain({ samples: 30, temperature: 1, realFraction: 0, start: 0.5 });
    c.rows.forEach(({ lo, vals }, i) => {
      expect(sumOf(vals)).toBeCloseTo(1, 14);
      expect(sumOf(vals.map((v, j) => v * (lo + j)))).toBeCloseTo(i, 11);
    });
  });

  it('solves n = 2 by hand: from one head, absorption is geometric(½), so E[τ] = 2 from p₀ = ½', () => {
    const c = coinChain({ samples: 2, temperature: 1, realFraction: 0, start: 0.5 });
    const abs = absorption(c);
    expect(Array.from(abs.times)).toEqual([0, 2, 0]);
    expect(meanAbsorption(c, abs)).toBeCloseTo(2, 14);
    expect(collapsedBy(c, [0, 1, 2, 3])).toEqual([0, 0.5, 0.75, 0.875]);
  });

  it('fixes outcome 0 with probability p₀ at T = 1, for shares on and off the 1/n grid', () => {
    for (const [n, p] of [[20, 0.5], [20, 0.37], [50, 0.3], [400, 0.013]] as const) {
      const c = coinChain({ samples: n, temperature: 1, realFraction: 0, start: p });
      const abs = absorption(c);
      abs.fixation.forEach((h, i) => expect(h).toBeCloseTo(i / n, 10));
      expect(fixationProbability(c, abs)).toBeCloseTo(p, 10);
    }
  });

  it('gives E[Gini–Simpson] = H_0 (1 − 1/n)^t at T = 1', () => {
    const n = 25;
    const p = 0.3;
    const c = coinChain({ samples: n, temperature: 1, realFraction: 0, start: p });
    const g = [0, 1, 2, 10, 50, 200];
    const h = expectations(c, (x) => 2 * x * (1 - x), g);
    g.forEach((t, i) => expect(h[i]).toBeCloseTo(giniSimpsonReplace(2 * p * (1 - p), n, t), 12));
  });

  it('is symmetric at p₀ = ½ for any T, and T < 1 favours the majority outcome', () => {
    for (const t of [0.5, 0.8, 1.25]) expect(fixationProbability(coinChain({ samples: 20, temperature: t, realFraction: 0, start: 0.5 }))).toBeCloseTo(0.5, 12);
    const cold = fixationProbability(coinChain({ samples: 20, temperature: 0.8, realFraction: 0, start: 0.6 }));
    const hot = fixationProbability(coinChain({ samples: 20, temperature: 1.25, realFraction: 0, start: 0.6 }));
    expect(cold).toBeGreaterThan(0.6);
    expect(hot).toBeLessThan(0.6);
    expect(hot).toBeGreaterThan(0.5);
  });

  it('agrees with Σ_g P(τ > g) from the forward recursion', () => {
    for (const [n, t, p] of [[20, 1, 0.5], [20, 0.8, 0.37], [10, 1.25, 0.5], [300, 0.7, 0.5]] as const) {
      const c = coinChain({ samples: n, temperature: t, realFraction: 0, start: p });
      const g = Array.from({ length: 20_000 }, (_, i) => i);
      const tail = collapsedBy(c, g).reduce((a, x) => a + (1 - x), 0);
      expect(tail / meanAbsorption(c)).toBeCloseTo(1, 9);
    }
  });

  it('handles T = 0 (argmax): a majority fixes at generation 1, a tie splits evenly', () => {
    const c = coinChain({ samples: 10, temperature: 0, realFraction: 0, start: 0.6 });
    expect(meanAbsorption(c)).toBe(1);
    expect(fixationProbability(c)).toBe(1);
    // n = 4 from ½: each draw is Bin(4, ½); 0 or 4 heads (1/8) is fixed at once, a majority
    // (1/2) fixes one generation later, a tie (3/8) starts over: E = 1/8 + 2/2 + (3/8)(1 + E),
    // so E = 1.5/(5/8) = 2.4.
    const tie = coinChain({ samples: 4, temperature: 0, realFraction: 0, start: 0.5 });
    expect(meanAbsorption(tie)).toBeCloseTo(2.4, 12);
    expect(fixationProbability(tie)).toBeCloseTo(0.5, 12);
  });

  it('counts generation 0: a start that is already a point mass collapses at 0', () => {
    const c = coinChain({ samples: 10, temperature: 1, realFraction: 0, start: 1 });
    expect(meanAbsorption(c)).toBe(0);
    expect(fixationProbability(c)).toBe(1);
    expect(collapsedBy(c, [0, 5])).toEqual([1, 1]);
  });

  it('keeps long times accurate and reports those beyond MAX_RESOLVED_TIME as Infinity', () => {
    // T = 1.25, n = 100: about 1e11 generations, where 1 − Σ Q would be rounding noise.
    // Check t = 1 + Q t there in a form that needs no cancellation: t_i − Σ_j Q_ij t_j = 1.
    const c = coinChain({ samples: 100, temperature: 1.25, realFraction: 0, start: 0.5 });
    const { times } = absorption(c);
    expect(times[50]).toBeGreaterThan(1e10);
    for (const i of [1, 30, 50]) {
      const { lo, vals } = c.rows[i]!;
      let stay = 0;
      vals.forEach((v, j) => (stay += v * times[lo + j]!));
      expect(times[i]! - stay).toBeCloseTo(1, 2);
    }
    expect(meanAbsorption(coinChain({ samples: 300, temperature: 1.5, realFraction: 0, start: 0.5 }))).toBe(Infinity);
    expect(MAX_RESOLVED_TIME).toBeLessThan(1e25);
  });

  it('has the closed-form stationary variance when grounded at T = 1, with round(λn) real flips', () => {
    for (const [n, lambda, p] of [[50, 0.2, 0.3], [101, 0.05, 0.5], [40, 0.333, 0.9]] as const) {
      const c = coinChain({ samples: n, temperature: 1, realFraction: lambda, start: p });
      const pi = stationary(c);
      expect(sumOf(pi)).toBeCloseTo(1, 12);
      const m = shareMoments(pi);
      expect(m.mean).toBeCloseTo(p, 11);
      expect(m.variance / groundedVariance(p, n, c.nReal / n)).toBeCloseTo(1, 9);
    }
  });

  it('has a stationary law that is left unchanged by a step, also for T ≠ 1', () => {
    const c = coinChain({ samples: 60, temperature: 0.7, realFraction: 0.1, start: 0.4 });
    const pi = stationary(c);
    const next = new Float64Array(pi.length);
    pi.forEach((w, i) => c.rows[i]!.vals.forEach((v, j) => (next[c.rows[i]!.lo + j]! += w * v)));
    next.forEach((x, i) => expect(x).toBeCloseTo(pi[i]!, 13));
  });

  it('refuses bad parameters and an ungrounded stationary law', () => {
    expect(() => coinChain({ samples: 2.5, temperature: 1, realFraction: 0, start: 0.5 })).toThrow(RangeError);
    expect(() => coinChain({ samples: 10, temperature: -1, realFraction: 0, start: 0.5 })).toThrow(RangeError);
    expect(() => coinChain({ samples: 10, temperature: 1, realFraction: 1.5, start: 0.5 })).toThrow(RangeError);
    expect(() => coinChain({ samples: 10, temperature: 1, realFraction: 0, start: -0.1 })).toThrow(RangeError);
    expect(() => stationary(coinChain({ samples: 10, temperature: 1, realFraction: 0.01, start: 0.5 }))).toThrow(RangeError);
  });
});

describe('collapse censored at a horizon', () => {
  it('solves n = 2 by hand: P(τ = g) = 2^−g, so H = 3 gives 7/8, E[τ | τ ≤ 3] = (11/8)/(7/8), E[min(τ, 3)] = 7/4', () => {
    const c = censoredCollapse(coinChain({ samples: 2, temperature: 1, realFraction: 0, start: 0.5 }), 3)!;
    expect(c.probability).toBeCloseTo(7 / 8, 15);
    expect(c.meanIfCollapsed).toBeCloseTo(11 / 7, 14);
    expect(c.restrictedMean).toBeCloseTo(7 / 4, 15);
    expect(c.outcome0IfCollapsed).toBeCloseTo(1 / 2, 15);
  });

  it('agrees with the slow sums over P(τ ≤ g) from collapsedBy, also when grounded (first visit)', () => {
    for (const [n, t, lambda, p, h] of [[20, 1, 0, 0.5, 40], [20, 0.8, 0, 0.37, 7], [15, 1.25, 0, 0.5, 300], [20, 1, 0.1, 0.5, 60]] as const) {
      const chain = coinChain({ samples: n, temperature: t, realFraction: lambda, start: p });
      const f = collapsedBy(chain, Array.from({ length: h + 1 }, (_, g) => g));
      let restricted = 0;
      let weighted = 0;
      for (let g = 0; g < h; g++) restricted += 1 - f[g]!;
      for (let g = 1; g <= h; g++) weighted += g * (f[g]! - f[g - 1]!);
      const c = censoredCollapse(chain, h)!;
      expect(c.probability).toBeCloseTo(f[h]!, 14);
      expect(c.restrictedMean / restricted).toBeCloseTo(1, 12);
      expect(c.meanIfCollapsed! / (weighted / f[h]!)).toBeCloseTo(1, 12);
      // The restricted mean splits into the collapsed seeds' mean and H for the censored ones.
      expect(c.probability * c.meanIfCollapsed! + (1 - c.probability) * h).toBeCloseTo(c.restrictedMean, 10);
    }
  });

  it('tends to the unconditional E[τ] and fixation probability as the horizon grows', () => {
    const chain = coinChain({ samples: 30, temperature: 0.9, realFraction: 0, start: 0.4 });
    const abs = absorption(chain);
    const c = censoredCollapse(chain, 1e6)!;
    expect(c.probability).toBeCloseTo(1, 14);
    expect(c.meanIfCollapsed! / meanAbsorption(chain, abs)).toBeCloseTo(1, 10);
    expect(c.restrictedMean / meanAbsorption(chain, abs)).toBeCloseTo(1, 10);
    expect(c.outcome0IfCollapsed!).toBeCloseTo(fixationProbability(chain, abs), 10);
  });

  it('observes nothing at horizon 0, everything at once from a point mass, and gives up past maxSteps', () => {
    const chain = coinChain({ samples: 20, temperature: 1, realFraction: 0, start: 0.5 });
    expect(censoredCollapse(chain, 0)).toEqual({ horizon: 0, probability: 0, meanIfCollapsed: null, restrictedMean: 0, outcome0IfCollapsed: null });
    expect(censoredCollapse(coinChain({ samples: 20, temperature: 1, realFraction: 0, start: 1 }), 50)).toEqual({ horizon: 50, probability: 1, meanIfCollapsed: 0, restrictedMean: 0, outcome0IfCollapsed: 1 });
    expect(censoredCollapse(chain, 1000, 10)).toBeNull();
    expect(censoredCollapse(chain, 10, 10)).not.toBeNull();
  });
});

describe('unresolvable absorption', () => {
  it('reports an infinite time, not an error, when leaving the T > 1 attractor underflows', () => {
    const c = coinChain({ samples: 1000, temperature: 2, realFraction: 0, start: 0.7 });
    expect(meanAbsorption(c)).toBe(Infinity);
    expect(fixationProbability(c)).toBeNaN();
  });
});
