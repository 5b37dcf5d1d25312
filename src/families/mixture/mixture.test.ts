// The mixture family: EM recovers a known mixture, and refits on its own samples lose the
// tails first (Shumailov et al., Nature 2024).
import { describe, expect, it } from 'vitest';
import { key } from '../../core/random.ts';
import { prepared, runSeeds } from '../../runner/harness.test-support.ts';
import { em } from './em.ts';
import { mixtureCdf, mixtureQuantile, sampleMixture } from './index.ts';

const truth = { weights: [0.3, 0.7], means: [-4, 4], variances: [1, 2.25] };

describe('mixture EM', () => {
  it('recovers a well-separated mixture within 4 standard errors (n = 20,000)', () => {
    const n = 20_000;
    const data = sampleMixture(truth, n, key(1));
    const fit = em(data.x, 2, 500, 1e-12, key(2));
    // With the components this far apart, EM is the per-component ML fit: se(w) = √(w(1−w)/n),
    // se(mean) = σ/√(nw), se(variance) = σ²√(2/(nw)).
    truth.weights.forEach((w, i) => {
      expect(Math.abs(fit.weights[i]! - w)).toBeLessThan(4 * Math.sqrt((w * (1 - w)) / n));
      expect(Math.abs(fit.means[i]! - truth.means[i]!)).toBeLessThan(4 * Math.sqrt(truth.variances[i]! / (n * w)));
      expect(Math.abs(fit.variances[i]! - truth.variances[i]!)).toBeLessThan(4 * truth.variances[i]! * Math.sqrt(2 / (n * w)));
    });
    expect(em(data.x, 2, 500, 1e-12, key(2))).toEqual(fit); // same key, same fit
    expect(JSON.parse(JSON.stringify(fit))).toEqual(fit);
  });
  it('quantiles invert the CDF', () => {
    for (const q of [0.01, 0.5, 0.99]) expect(mixtureCdf(truth, mixtureQuantile(truth, q))).toBeCloseTo(q, 10);
  });
});

describe('mixture refit on its own samples', () => {
  it('the tails beyond the original 1% and 99% quantiles vanish faster than the variance', async () => {
    const G = 60;
    const tails: number[] = [];
    const variance: number[] = [];
    let v0 = 0;
    await runSeeds({ family: 'mixture', init: { weights: [0.5, 0.5], means: [-2, 2], sds: [1, 1] }, model: { tolerance: 1e-8 }, loop: { generations: G, samples: 100 }, seeds: 1 }, 100, (_, st, prep) => {
      if (st.generation !== G && st.generation !== 0) return;
      const m = prep.entry.setup(prep.settings, undefined, key(0)).family.metrics(st.model, { initial: st.model });
      if (st.generation === 0) {
        expect(m.tails).toBeCloseTo(0.02, 9);
        v0 = m.variance!;
        return;
      }
      tails.push(m.tails!);
      variance.push(m.variance!);
    });
    // Sign tests (the mean is ruled by the few seeds whose components wander apart; the claim
    // is about the typical run): under "no effect" each fraction below is Binomial(100, ½)/100,
    // se 0.05, so 4 standard errors above ½ is 0.7.
    const fewer = tails.filter((x) => x < 0.02).length / tails.length;
    const tailsFirst = tails.filter((x, i) => x / 0.02 < variance[i]! / v0).length / tails.length;
    expect(fewer).toBeGreaterThan(0.7);
    expect(tailsFirst).toBeGreaterThan(0.7);
  });
  it('bad input names the field and the fix', async () => {
    const bad = async (raw: object): Promise<string> => prepared(raw).then(() => 'accepted', (e: Error) => e.message);
    const init = { weights: [0.5, 0.5], means: [-2, 2], sds: [1, 1] };
    expect(await bad({ family: 'mixture', init: { ...init, weights: [0.5, 0.6] }, loop: {} })).toMatch(/init\.weights.*sum to 1/);
    expect(await bad({ family: 'mixture', init: { ...init, sds: [1, 0] }, loop: {} })).toMatch(/init\.sds\.1.*> 0/);
    expect(await bad({ family: 'mixture', init: { ...init, means: [1] }, loop: {} })).toMatch(/init\.means.*one entry per component/);
    expect(await bad({ family: 'mixture', init, loop: { temperature: 2 } })).toMatch(/loop\.temperature/);
  });
});
