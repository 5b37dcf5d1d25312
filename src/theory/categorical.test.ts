// The categorical entry's theory hook: which results apply to which configs, and that the
// values are the chain's and the closed forms' (themselves tested in their own files).
import { describe, expect, it } from 'vitest';
import { settingsFor } from '../config/schema.ts';
import { entry } from '../families/categorical/index.ts';
import { categoricalTheory, type CategoricalTheoryConfig } from './categorical.ts';
import { coinChain, meanAbsorption } from './coin-chain.ts';
import { groundedVariance, kimuraOhta, littler, weakTemperatureDiffusion } from './diffusion.ts';
import { giniSimpsonAccumulate, giniSimpsonReplace } from './heterozygosity.ts';

// Settings through the real schema and mapping, so each case is a config a user could write.
const config = (probs: number[], over: Record<string, unknown> = {}, smoothing = 0): CategoricalTheoryConfig =>
  settingsFor(entry, { init: { probs }, model: { smoothing }, loop: { samples: 20, ...over } });
const gens = [0, 1, 10, 100];

describe('categoricalTheory', () => {
  it('coin at T = 1: exact chain, Kimura–Ohta beside it, fixation p₀, H_0 (1 − 1/n)^t', () => {
    const th = categoricalTheory(config([0.3, 0.7]), gens);
    expect(th['meanAbsorption']).toBeCloseTo(meanAbsorption(coinChain({ samples: 20, temperature: 1, realFraction: 0, start: 0.3 })), 12);
    expect(th['meanAbsorptionDiffusion']).toBeCloseTo(kimuraOhta(0.3, 20), 12);
    expect(th['fixationProbability']).toBeCloseTo(0.3, 10);
    (th['giniSimpson'] as number[]).forEach((h, i) => expect(h).toBeCloseTo(giniSimpsonReplace(0.42, 20, gens[i]!), 12));
    const c = th['collapsedBy'] as number[];
    expect(c[0]).toBe(0);
    expect(c[3]).toBeGreaterThan(c[2]!);
    expect((th['p0'] as number[]).every((p) => Math.abs(p - 0.3) < 1e-12)).toBe(true);
    expect(th['stationaryVariance']).toBeNull();
  });

  it('coin at T = 0.8: chain values beside the weak-temperature diffusion', () => {
    const th = categoricalTheory(config([0.5, 0.5], { temperature: 0.8 }), gens);
    expect(th['meanAbsorption']).toBeCloseTo(10.1118641, 6);
    expect(th['meanAbsorptionDiffusion']).toBeCloseTo(weakTemperatureDiffusion(0.5, 20, 0.8).meanAbsorption, 12);
    expect(th['fixationProbability']).toBeCloseTo(0.5, 12);
  });

  it('grounded coin: stationary mean and variance with the closed form at T = 1', () => {
    const th = categoricalTheory(config([0.3, 0.7], { samples: 50, realFraction: 0.2 }), gens);
    expect(th['stationaryMean']).toBeCloseTo(0.3, 10);
    expect(th['stationaryVariance']).toBeCloseTo(groundedVariance(0.3, 50, 0.2), 12);
    expect(th['stationaryVarianceClosedForm']).toBeCloseTo(groundedVariance(0.3, 50, 0.2), 14);
    expect(th['fixationProbability']).toBeNull();
  });

  it("k outcomes at T = 1: Littler's time, fixation p₀, the Gini–Simpson curve; no chain", () => {
    const probs = [0.1, 0.2, 0.3, 0.4];
    const th = categoricalTheory(config(probs), gens);
    expect(th['meanAbsorptionDiffusion']).toBeCloseTo(littler(probs, 20), 12);
    expect(th['fixationProbability']).toBe(0.1);
    expect(th['meanAbsorption']).toBeNull();
    expect((th['giniSimpson'] as number[])[2]).toBeCloseTo(giniSimpsonReplace(0.7, 20, 10), 12);
  });

  it('accumulate at T = 1 gives the accumulate curve only', () => {
    const th = categoricalTheory(config([0.5, 0.5], { policy: 'accumulate' }), gens);
    expect((th['giniSimpson'] as number[])[3]).toBeCloseTo(giniSimpsonAccumulate(0.5, 20, 100), 12);
    expect(th['meanAbsorption']).toBeNull();
  });

  it('is all null where no result applies', () => {
    for (const c of [
      config([0.5, 0.5], {}, 0.5),
      config([0.5, 0.5], { filter: { kind: 'keepTop', fraction: 0.5, by: 'likelihood' } }),
      config([0.5, 0.5], { training: 'finetune', finetuneKeep: 0.5 }),
      config([0.5, 0.5], { topP: 0.9 }),
      config([0.5, 0.5], { samples: [{ from: 0, n: 10 }] }),
      config([0.5, 0.5], { policy: 'augment' }),
    ]) {
      expect(Object.values(categoricalTheory(c, gens)).every((v) => v === null)).toBe(true);
    }
  });
});
