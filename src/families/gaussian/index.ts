// The gaussian family's config sections, setup and theory hook (the family itself: family.ts).
import { z } from 'zod';
import { PLAIN } from '../../core/family.ts';
import { cholesky } from '../../core/linalg.ts';
import type { Experiment } from '../../core/loop.ts';
import { split } from '../../core/random.ts';
import { expectedLogDetChange, expectedLogVarianceChange, expectedVarianceRatio, medianVarianceRatio } from '../../theory/gaussian.ts';
import { applies } from '../../theory/applies.ts';
import { defineFamily, type LoopSupport, type Settings } from '../entry.ts';
import { COLLAPSE_RATIO, gaussian, sampleGaussian, type GaussianModel } from './family.ts';
import { DENSITY, type Points } from '../points/index.ts';
import { gaussianEcosystemTheory, gaussianHooks, gaussianMismatch } from './ecosystem.ts';

const finite = (what: string) => z.number({ error: `${what} must be a finite number` });

/** A mean vector and a symmetric positive-definite covariance of matching size. */
const gaussianInit = z
  .strictObject({
    mean: z.array(finite('mean entries')).min(1, 'give the mean as a list, e.g. [0] in 1-D or [0, 0] in 2-D'),
    cov: z.array(z.array(finite('covariance entries'))).min(1, 'give the covariance as a list of rows, e.g. [[1]]'),
  })
  .superRefine((init, ctx) => {
    const d = init.mean.length;
    const issue = (message: string): void => void ctx.addIssue({ code: 'custom', path: ['cov'], message });
    if (init.cov.length !== d || init.cov.some((r) => r.length !== d)) return issue(`expected a ${d}×${d} matrix to match the mean's ${d} entries`);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < i; j++) {
        const a = init.cov[i]![j]!;
        const b = init.cov[j]![i]!;
        if (Math.abs(a - b) > 1e-12 * Math.max(1, Math.abs(a), Math.abs(b))) return issue(`expected a symmetric matrix, but entry [${i}][${j}] = ${a} differs from [${j}][${i}] = ${b}; make it symmetric`);
      }
    }
    if (!cholesky(init.cov.flat(), d)) return issue('expected a positive-definite covariance (every variance > 0, correlations strictly inside ±1); e.g. [[1, 0.5], [0.5, 1]] is valid, [[1, 2], [2, 1]] is not');
    return undefined;
  });

const sections = {
  init: gaussianInit.describe('generation 0: the true Gaussian'),
  model: z.strictObject({ variance: z.enum(['unbiased', 'ml']).default('unbiased').describe('refit divisor: n − 1 (unbiased) or n (ml)') }).default({ variance: 'unbiased' }),
  reward: z
    .strictObject({ target: z.array(finite('reward.target entries')).min(1).describe('a point; reward(x) = −‖x − target‖²') })
    .optional()
    .describe('for filter by: reward'),
};

export type GaussianSettings = Settings<typeof sections>;

const supports: LoopSupport = {
  unit: 'point',
  samples: true,
  temperature: true,
  truncation: DENSITY,
  finetune: true,
  finetuneKeep: true,
  policies: ['replace', 'augment', 'accumulate'],
  likelihood: true,
  reward: true,
  reject: 'it has no reject predicate',
};

export const entry = defineFamily({
  name: 'gaussian',
  description: 'a Gaussian in d dimensions refit on its own samples (mean and covariance); data are points',
  collapse: `the covariance trace has fallen to ${COLLAPSE_RATIO} of generation 0’s (σ shrunk a million-fold)`,
  sections,
  supports,
  check(settings, issue) {
    const d = settings.init.mean.length;
    if (settings.reward && settings.reward.target.length !== d) issue(['reward', 'target'], `expected ${d} coordinates (the dimension of init.mean)`);
    if (settings.model.variance === 'unbiased' && settings.loop.samples(1) < 2) issue(['loop', 'samples'], 'an unbiased variance refit needs at least 2 samples per generation; use samples ≥ 2');
  },
  setup(settings, _resources, key): Experiment<GaussianModel, Points> {
    const { init, model, loop } = settings;
    const initial: GaussianModel = { mean: [...init.mean], cov: init.cov.map((r) => [...r]) };
    const family = gaussian({ variance: model.variance, finetuneKeep: loop.finetuneKeep, target: settings.reward?.target }, initial);
    const [kReal] = split(key, 1);
    return {
      family,
      initial,
      realData: sampleGaussian(initial, loop.samples(1), PLAIN, kReal!),
      drawReal: (n, k) => sampleGaussian(initial, n, PLAIN, k),
    };
  },
  theory(settings, generations) {
    const { init, model, loop } = settings;
    const d = init.mean.length;
    const v = model.variance;
    const t = loop.sampling.temperature;
    const ns = (g: number): number[] => Array.from({ length: g }, (_, i) => loop.samples(i + 1));
    if (!applies({ policies: ['replace'], tempered: true }, loop) || t === 0) return d === 1 ? { variance: null, logVariance: null, varianceMedian: null } : { traceCov: null, logDetCov: null };
    if (d === 1) {
      const s0 = init.cov[0]![0]!;
      return {
        variance: generations.map((g) => s0 * expectedVarianceRatio(ns(g), v, t)),
        logVariance: generations.map((g) => Math.log(s0) + expectedLogVarianceChange(ns(g), v, t)),
        varianceMedian: generations.map((g) => s0 * medianVarianceRatio(ns(g), v, t)),
      };
    }
    const tr0 = init.cov.reduce((s, r, i) => s + r[i]!, 0);
    const l0 = cholesky(init.cov.flat(), d)!;
    let ld0 = 0;
    for (let i = 0; i < d; i++) ld0 += 2 * Math.log(l0[i * d + i]!);
    const finiteLogDet = loop.samples(1) > d && ns(Math.max(0, ...generations)).every((n) => n > d);
    return {
      traceCov: generations.map((g) => tr0 * expectedVarianceRatio(ns(g), v, t)),
      logDetCov: finiteLogDet ? generations.map((g) => ld0 + expectedLogDetChange(ns(g), d, v, t)) : null,
    };
  },
  ecosystem: { drift: true, hooks: () => gaussianHooks, mismatch: gaussianMismatch, theory: gaussianEcosystemTheory },
});
