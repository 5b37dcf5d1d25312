// The categorical family's loop (src/core/loop.ts with this entry's setup) against its
// exact theory (src/theory): the coin chain's mean collapse time, fixation probability and
// grounded stationary variance, Littler's time for k outcomes, and the accumulate curve.
// Seeds are keyed foldIn(key(root), s), setup by foldIn(seedKey, 0), as the runner does.
// Every tolerance is 4 standard errors of the simulated estimate (a two-sided 4σ band fails
// by chance with probability 6e-5), plus, for approximations, their stated error.
import { describe, expect, it } from 'vitest';
import type { Sampling } from '../../core/family.ts';
import { loop, type LoopOptions, type Policy } from '../../core/loop.ts';
import { foldIn, key } from '../../core/random.ts';
import { settingsFor } from '../../config/schema.ts';
import { giniSimpson } from '../../metrics/entropy.ts';
import { absorption, coinChain, collapsedBy, expectations, fixationProbability, meanAbsorption, shareMoments, stationary } from '../../theory/coin-chain.ts';
import { littler } from '../../theory/diffusion.ts';
import { categoricalTheory } from '../../theory/categorical.ts';
import { giniSimpsonAccumulate } from '../../theory/heterozygosity.ts';
import { entry, type CategoricalModel } from './index.ts';

interface Sim {
  readonly probs: readonly number[];
  readonly n: number;
  readonly t?: number;
  readonly lambda?: number;
  readonly policy?: Policy;
  readonly generations: number;
  readonly stop?: boolean;
}

/** Runs `seeds` seeds of the real loop; per seed, the model at each generation goes to `visit`. */
function simulate(sim: Sim, seeds: number, root: number, visit: (seed: number, generation: number, model: CategoricalModel, collapsed: boolean) => void): void {
  const config = settingsFor(entry, { init: { probs: sim.probs }, loop: { samples: sim.n } });
  const sampling: Sampling = { temperature: sim.t ?? 1, topK: 0, topP: 1, minP: 0 };
  const opts: LoopOptions = {
    generations: sim.generations,
    samples: () => sim.n,
    constantSamples: sim.n,
    sampling,
    policy: sim.policy ?? 'replace',
    realFraction: sim.lambda ?? 0,
    training: 'scratch',
    finetuneKeep: 0,
    filter: { kind: 'none' },
    stopWhenCollapsed: sim.stop ?? true,
  };
  for (let s = 0; s < seeds; s++) {
    const seedKey = foldIn(key(root), s);
    const exp = entry.setup(config, undefined, foldIn(seedKey, 0));
    for (const st of loop(exp, opts, seedKey)) visit(s, st.generation, st.model as CategoricalModel, st.collapsed);
  }
}

/** Per seed: collapsedAt (first generation whose model is a point mass) and the surviving outcome. */
function collapses(sim: Sim, seeds: number, root: number): { at: number[]; fixedOn: number[] } {
  const at: number[] = new Array(seeds).fill(NaN);
  const fixedOn: number[] = new Array(seeds).fill(-1);
  simulate(sim, seeds, root, (s, g, m, collapsed) => {
    if (collapsed && Number.isNaN(at[s]!)) {
      at[s] = g;
      fixedOn[s] = m.probs.findIndex((q) => q > 0);
    }
  });
  return { at, fixedOn };
}

function meanSe(xs: readonly number[]): { mean: number; se: number } {
  const mean = xs.reduce((a, x) => a + x, 0) / xs.length;
  const v = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1);
  return { mean, se: Math.sqrt(v / xs.length) };
}

describe('coin loop vs the exact chain', () => {
  const cases = [
    { n: 20, t: 1, p: 0.5, seeds: 3000 },
    { n: 20, t: 0.8, p: 0.5, seeds: 3000 },
    { n: 50, t: 1, p: 0.3, seeds: 1500 },
    { n: 10, t: 1.25, p: 0.5, seeds: 3000 },
    { n: 30, t: 0.5, p: 0.6, seeds: 3000 },
    // p₀·n = 7.4 is not a state: generation 1 is drawn from p₀ itself.
    { n: 20, t: 0.8, p: 0.37, seeds: 3000 },
  ];
  for (const { n, t, p, seeds } of cases) {
    it(`n = ${n}, T = ${t}, p₀ = ${p}: mean collapse time and fixation probability`, () => {
      const chain = coinChain({ samples: n, temperature: t, realFraction: 0, start: p });
      const abs = absorption(chain);
      const { at, fixedOn } = collapses({ probs: [p, 1 - p], n, t, generations: 100_000 }, seeds, 1000 + n);
      expect(at.every(Number.isFinite)).toBe(true);
      const { mean, se } = meanSe(at);
      expect(Math.abs(mean - meanAbsorption(chain, abs))).toBeLessThan(4 * se);
      // Fixation of outcome 0 is a Bernoulli per seed: binomial SE from the exact probability.
      const h = fixationProbability(chain, abs);
      const fixed0 = fixedOn.filter((i) => i === 0).length / seeds;
      expect(Math.abs(fixed0 - h)).toBeLessThan(4 * Math.sqrt((h * (1 - h)) / seeds));
      // The whole law of collapsedAt: by the Dvoretzky–Kiefer–Wolfowitz inequality the
      // empirical CDF stays within √(ln(2/α)/(2N)) of P(collapsed by g) for all g but with
      // probability α = 1e-4.
      const last = Math.max(...at);
      const gs = Array.from({ length: last + 1 }, (_, g) => g);
      const exact = collapsedBy(chain, gs);
      const counts = new Array<number>(last + 1).fill(0);
      for (const g of at) counts[g]!++;
      let cdf = 0;
      const band = Math.sqrt(Math.log(2 / 1e-4) / (2 * seeds));
      gs.forEach((g) => {
        cdf += counts[g]! / seeds;
        expect(Math.abs(cdf - exact[g]!)).toBeLessThan(band);
      });
    });
  }
});

describe('a run of H generations vs the chain censored at H', () => {
  // What `ouro run` prints beside theory: the share of seeds collapsed by H, their mean
  // collapse generation, the restricted mean E[min(τ, H)] over all seeds, and the share whose
  // last model is a point mass. Each is a mean of i.i.d. per-seed values: 4 SE of the sample.
  for (const { n, t, lambda, p, H } of [
    { n: 20, t: 1, lambda: 0, p: 0.5, H: 20 },
    { n: 20, t: 1.25, lambda: 0, p: 0.4, H: 60 },
    { n: 20, t: 1, lambda: 0.1, p: 0.5, H: 150 },
  ]) {
    it(`n = ${n}, T = ${t}, λ = ${lambda}, p₀ = ${p}, H = ${H}`, () => {
      const seeds = 3000;
      const config = settingsFor(entry, { init: { probs: [p, 1 - p] }, loop: { generations: H, samples: n, temperature: t, realFraction: lambda } });
      const th = categoricalTheory(config, [0, H]);
      const at: number[] = new Array(seeds).fill(Infinity);
      const atEnd: number[] = new Array(seeds).fill(0);
      simulate({ probs: [p, 1 - p], n, t, lambda, generations: H, stop: lambda === 0 }, seeds, 6000 + n, (s, g, _m, collapsed) => {
        if (collapsed && at[s] === Infinity) at[s] = g;
        if (g === H || (collapsed && lambda === 0)) atEnd[s] = Number(collapsed);
      });
      const within = at.map((g) => Number(g <= H));
      const share = meanSe(within);
      const cond = meanSe(at.filter((g) => g <= H));
      const restricted = meanSe(at.map((g) => Math.min(g, H)));
      const end = meanSe(atEnd);
      const pWithin = th.collapsedWithinHorizon as number;
      expect(pWithin).toBeGreaterThan(0.2);
      expect(pWithin).toBeLessThan(0.98); // censoring matters in every case
      expect(Math.abs(share.mean - pWithin)).toBeLessThan(4 * Math.sqrt((pWithin * (1 - pWithin)) / seeds));
      expect(Math.abs(cond.mean - (th.collapseTimeIfCollapsed as number))).toBeLessThan(4 * cond.se);
      expect(Math.abs(restricted.mean - (th.collapseTimeRestricted as number))).toBeLessThan(4 * restricted.se);
      const pEnd = th.collapsedAtHorizon as number;
      expect(Math.abs(end.mean - pEnd)).toBeLessThan(4 * Math.sqrt((pEnd * (1 - pEnd)) / seeds));
      if (lambda > 0) expect(pEnd).toBeLessThan(pWithin / 2); // grounded: most seeds leave the point mass again
      // The unconditional mean is not what the run observes: it lies far outside these bands.
      expect(Math.abs(cond.mean - (th.meanAbsorption as number))).toBeGreaterThan(10 * cond.se);
    });
  }
});

/** Mean and variance of xs with their standard errors (Var(s²) ≈ (m₄ − s⁴)/N for large N). */
function momentsSe(xs: readonly number[]): { mean: number; meanSe: number; variance: number; varianceSe: number } {
  const { mean, se } = meanSe(xs);
  const m2 = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length;
  const m4 = xs.reduce((a, x) => a + (x - mean) ** 4, 0) / xs.length;
  return { mean, meanSe: se, variance: (m2 * xs.length) / (xs.length - 1), varianceSe: Math.sqrt((m4 - m2 * m2) / xs.length) };
}

describe("grounded coin vs the chain's stationary law", () => {
  // Independent seeds read at generation G, each one stationary draw: the test first checks
  // that the chain's exact law at G has the stationary moments to 1e-6 (SEs here are ~1e-3).
  for (const { n, t, lambda, p } of [
    { n: 50, t: 1, lambda: 0.2, p: 0.3 },
    { n: 40, t: 0.8, lambda: 0.25, p: 0.6 },
    { n: 30, t: 1.25, lambda: 0.1, p: 0.2 },
  ]) {
    it(`n = ${n}, T = ${t}, λ = ${lambda}, p₀ = ${p}: stationary mean and variance of p`, () => {
      const G = 100;
      const seeds = 1200;
      const chain = coinChain({ samples: n, temperature: t, realFraction: lambda, start: p });
      const law = shareMoments(stationary(chain));
      const [meanG, squareG] = [expectations(chain, (x) => x, [G])[0]!, expectations(chain, (x) => x * x, [G])[0]!];
      expect(Math.abs(meanG - law.mean)).toBeLessThan(1e-6);
      expect(Math.abs(squareG - meanG ** 2 - law.variance)).toBeLessThan(1e-6);
      const last: number[] = new Array(seeds).fill(NaN);
      simulate({ probs: [p, 1 - p], n, t, lambda, generations: G, stop: false }, seeds, 2000 + n, (s, g, m) => g === G && (last[s] = m.probs[0]!));
      const sim = momentsSe(last);
      expect(Math.abs(sim.mean - law.mean)).toBeLessThan(4 * sim.meanSe);
      expect(Math.abs(sim.variance - law.variance)).toBeLessThan(4 * sim.varianceSe);
    });
  }
});

describe('k outcomes at T = 1', () => {
  it("mean time to lose all but one outcome is Littler's, within 4 SE plus its ln n diffusion error", () => {
    const probs = [0.2, 0.3, 0.5];
    const n = 200;
    const { at } = collapses({ probs, n, generations: 100_000 }, 600, 3000);
    const { mean, se } = meanSe(at);
    // The diffusion error: 1 + ln n generations, the bound diffusion.test.ts checks for k = 2.
    expect(Math.abs(mean - littler(probs, n))).toBeLessThan(4 * se + 1 + Math.log(n));
  });

  it('Gini–Simpson decays as H_0 (1 − 1/n)^t under replace', () => {
    const probs = [0.1, 0.2, 0.3, 0.4];
    const n = 20;
    const G = 10;
    const h: number[] = [];
    simulate({ probs, n, generations: G, stop: false }, 3000, 4000, (_s, g, m) => g === G && h.push(giniSimpson(m.probs)));
    const { mean, se } = meanSe(h);
    expect(Math.abs(mean - giniSimpson(probs) * (1 - 1 / n) ** G)).toBeLessThan(4 * se);
  });

  it('Gini–Simpson under accumulate follows H_0 Π (1 − 1/(n s²)) and stays far above replace', () => {
    const probs = [0.5, 0.3, 0.2];
    const n = 10;
    const G = 40;
    const h: number[] = [];
    simulate({ probs, n, policy: 'accumulate', generations: G, stop: false }, 2000, 5000, (_s, g, m) => g === G && h.push(giniSimpson(m.probs)));
    const { mean, se } = meanSe(h);
    const h0 = giniSimpson(probs);
    expect(Math.abs(mean - giniSimpsonAccumulate(h0, n, G))).toBeLessThan(4 * se);
    expect(mean).toBeGreaterThan(h0 * (1 - 1 / n) ** G + 4 * se);
  });
});
