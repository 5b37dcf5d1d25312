// Curation by reward: one curated generation matches the large-sample map of
// src/theory/curation.ts, and iterated curation climbs the reward while diversity falls
// (Ferbach et al. 2024), for a categorical with a reward per outcome and a Gaussian with a
// target point.
import { describe, expect, it } from 'vitest';
import { PLAIN } from '../../core/family.ts';
import { drawFiltered } from '../../core/filters.ts';
import { key } from '../../core/random.ts';
import { keepTopCategorical, keepTopGaussian } from '../../theory/curation.ts';
import { categorical } from '../categorical/index.ts';
import { gaussian, fitMoments } from './family.ts';
import { meanSe, runSeeds } from '../../runner/harness.test-support.ts';

describe('one curated generation against the large-sample map', () => {
  it('categorical keepTop by reward: p′ = the top-f mass, renormalised', () => {
    const p = [0.2, 0.3, 0.5];
    const reward = [2, 1, 0];
    const want = keepTopCategorical(p, reward, 0.4); // [0.5, 0.5, 0]
    expect(want).toEqual([0.5, 0.5, 0]);
    const n = 100_000;
    const fam = categorical({ smoothing: 0, finetuneKeep: 0, reward });
    const kept = drawFiltered(fam, { probs: p }, n, PLAIN, { kind: 'keepTop', fraction: 0.4, by: 'reward' }, key(1));
    // The boundary outcome's kept count is n minus a Binomial draw: se √(p(1−p)/(n/f))/f per share.
    const se = Math.sqrt((0.2 * 0.8) / (n / 0.4)) / 0.4;
    kept.forEach((c, i) => expect(Math.abs(c / n - want[i]!)).toBeLessThan(4 * se + 1e-12));
  });
  it('gaussian keepTop by −(x − c)²: the moments of the normal truncated to [c − q, c + q]', () => {
    const n = 100_000;
    const want = keepTopGaussian(0, 1, 1.5, 0.5);
    const fam = gaussian({ variance: 'unbiased', finetuneKeep: 0, target: [1.5] }, { mean: [0], cov: [[1]] });
    const got = fitMoments(drawFiltered(fam, { mean: [0], cov: [[1]] }, n, PLAIN, { kind: 'keepTop', fraction: 0.5, by: 'reward' }, key(2)), 'unbiased');
    // se of a mean √(v′/n); of a variance ≈ v′√(2/n) (the truncated law has light tails)
    expect(Math.abs(got.mean[0]! - want.mean)).toBeLessThan(4 * Math.sqrt(want.variance / n));
    expect(Math.abs(got.cov[0]![0]! - want.variance)).toBeLessThan(4 * want.variance * Math.sqrt(2 / n));
    expect(want.variance).toBeLessThan(1);
    expect(want.mean).toBeGreaterThan(0);
  });
});

describe('iterated curation climbs the reward and loses diversity', () => {
  it('categorical, reward per outcome, keepTop 0.5: expected reward rises, entropy falls', async () => {
    const at: Record<number, { reward: number[]; entropy: number[] }> = { 0: { reward: [], entropy: [] }, 5: { reward: [], entropy: [] } };
    const raw = { family: 'categorical', init: { probs: [0.25, 0.25, 0.25, 0.25] }, reward: [0, 1, 2, 3], loop: { generations: 5, samples: 200, filter: { kind: 'keepTop', fraction: 0.5, by: 'reward' }, stopWhenCollapsed: false }, seeds: 1 };
    await runSeeds(raw, 50, (_, st, prep) => {
      const slot = at[st.generation];
      if (!slot) return;
      const m = prep.entry.setup(prep.settings, undefined, key(0)).family.metrics(st.model, { initial: st.model });
      slot.reward.push(m.reward!);
      slot.entropy.push(m.entropy!);
    });
    // The n → ∞ map takes [¼, ¼, ¼, ¼] to [0, 0, ½, ½] then to [0, 0, 0, 1]: reward 1.5 → 3, entropy ln 4 → 0.
    const r = meanSe(at[5]!.reward);
    const h = meanSe(at[5]!.entropy);
    expect(r.mean).toBeGreaterThan(1.5 + 4 * r.se);
    expect(h.mean).toBeLessThan(Math.log(4) - 4 * h.se);
    expect(at[0]!.reward[0]).toBe(1.5);
  });
  for (const filter of [{ kind: 'keepTop', fraction: 0.5, by: 'reward' }, { kind: 'choice', by: 'reward', beta: 0.5 }]) {
    it(`gaussian with a target point, ${filter.kind}: the mean moves to the target and the variance falls`, async () => {
      const G = 10;
      const m: Record<number, { reward: number[]; variance: number[]; mean: number[] }> = { [G]: { reward: [], variance: [], mean: [] } };
      const raw = { family: 'gaussian', init: { mean: [0], cov: [[1]] }, reward: { target: [2] }, loop: { generations: G, samples: 200, filter }, seeds: 1 };
      await runSeeds(raw, 50, (_, st, prep) => {
        if (st.generation !== G) return;
        const x = prep.entry.setup(prep.settings, undefined, key(0)).family.metrics(st.model, { initial: { mean: [0], cov: [[1]] } });
        m[G]!.reward.push(x.reward!);
        m[G]!.variance.push(x.variance!);
        m[G]!.mean.push(x.mean!);
      });
      // At generation 0 the expected reward is −((0 − 2)² + 1) = −5 and the variance is 1.
      const r = meanSe(m[G]!.reward);
      const v = meanSe(m[G]!.variance);
      expect(r.mean).toBeGreaterThan(-5 + 4 * r.se);
      expect(v.mean).toBeLessThan(1 - 4 * v.se);
      const mu = meanSe(m[G]!.mean);
      expect(mu.mean).toBeGreaterThan(4 * mu.se);
    });
  }
});

describe('every family curates by its reward', () => {
  const keepTop = { kind: 'keepTop', fraction: 0.5, by: 'reward' };
  const cases: [string, Record<string, unknown>][] = [
    ['mixture', { init: { weights: [0.5, 0.5], means: [-2, 2], sds: [1, 1] }, reward: { target: 2 }, loop: { generations: 4, samples: 100, filter: keepTop } }],
    ['regression', { model: { rows: 30, dims: 3, noise: 1 }, reward: { weights: [1, 1, 1] }, loop: { generations: 4, filter: keepTop } }],
    ['classifier', { init: { weights: [1, 0] }, reward: { weights: [0, 1] }, loop: { generations: 4, samples: 100, filter: keepTop } }],
    ['urn', { init: { counts: [1, 1, 1] }, model: { rates: [0.5, 0.5, 0.5] }, reward: [0, 0, 1], loop: { generations: 4, samples: 20, filter: keepTop } }],
  ];
  for (const [family, raw] of cases) {
    it(`${family}: the expected reward rises over 4 curated generations (4 standard errors over 30 seeds)`, async () => {
      const gain: number[] = [];
      let r0 = 0;
      await runSeeds({ family, seeds: 1, ...raw }, 30, (_, st, prep) => {
        if (st.generation !== 0 && st.generation !== 4) return;
        const exp = prep.entry.setup(prep.settings, undefined, key(0));
        // every family's reward metric depends on the model alone, so any setup key serves
        const r = exp.family.metrics(st.model, { initial: st.model }).reward!;
        if (st.generation === 0) r0 = r;
        else gain.push(r - r0);
      });
      const g = meanSe(gain);
      expect(g.mean).toBeGreaterThan(4 * g.se);
    });
  }
});
