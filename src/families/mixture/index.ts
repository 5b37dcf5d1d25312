// A 1-D Gaussian mixture refit by EM on its own samples (the setting of Shumailov et al.,
// Nature 2024, §"Gaussian mixture"): the tails go first. EM starts from a seeded k-means++
// choice of means (Arthur & Vassilvitskii 2007) drawn with the fit's key, so every refit is
// deterministic given the key; components are sorted by mean so weight0..weight{k−1} are
// comparable across generations.
import { z } from 'zod';
import type { Family } from '../../core/family.ts';
import type { Experiment } from '../../core/loop.ts';
import { Rng, split, type Key } from '../../core/random.ts';
import { categorical, normal, subsampleIndices } from '../../core/samplers.ts';
import { normalCdf } from '../../core/special.ts';
import { defineFamily, type LoopSupport } from '../entry.ts';
import { concatPoints, count, DENSITY, selectPoints, type Points } from '../points/index.ts';
import { em } from './em.ts';

export interface MixtureModel {
  readonly weights: readonly number[];
  readonly means: readonly number[];
  readonly variances: readonly number[];
}

/** Collapsed = mixture variance at most 1e-12 of generation 0's (as for the gaussian family). */
const COLLAPSE_RATIO = 1e-12;

/** P(X ≤ x) under the mixture (upper: P(X > x), summed per component so a tiny tail keeps its digits). */
export function mixtureCdf(m: MixtureModel, x: number, upper = false): number {
  const sign = upper ? -1 : 1;
  const below = (i: number): number => (m.variances[i]! > 0 ? normalCdf((sign * (x - m.means[i]!)) / Math.sqrt(m.variances[i]!)) : (upper ? x < m.means[i]! : x >= m.means[i]!) ? 1 : 0);
  return m.weights.reduce((s, w, i) => s + (w > 0 ? w * below(i) : 0), 0);
}

/** The q-quantile of the mixture by bisection on its CDF (to 1e-12 of the spread). */
export function mixtureQuantile(m: MixtureModel, q: number): number {
  const sd = Math.sqrt(moments(m).variance);
  let lo = Math.min(...m.means) - 50 * sd;
  let hi = Math.max(...m.means) + 50 * sd;
  while (hi - lo > 1e-12 * sd) {
    const mid = (lo + hi) / 2;
    if (mixtureCdf(m, mid) < q) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

function moments(m: MixtureModel): { mean: number; variance: number } {
  const mean = m.weights.reduce((s, w, i) => s + w * m.means[i]!, 0);
  const second = m.weights.reduce((s, w, i) => s + w * (m.variances[i]! + m.means[i]! ** 2), 0);
  return { mean, variance: Math.max(0, second - mean * mean) };
}

export interface MixtureOptions {
  readonly iterations: number;
  readonly tolerance: number;
  /** curation: reward(x) = −(x − target)². */
  readonly target?: number | undefined;
}

/** The mixture family; `initial` fixes the 1% and 99% quantiles the tail metrics use. */
export function mixture(o: MixtureOptions, initial: MixtureModel): Family<MixtureModel, Points> {
  const k = initial.weights.length;
  const q01 = mixtureQuantile(initial, 0.01);
  const q99 = mixtureQuantile(initial, 0.99);
  const var0 = moments(initial).variance;
  const target = o.target;
  return {
    name: 'mixture',
    size: count,
    concat: concatPoints,
    subsample: (p, n, key) => selectPoints(p, subsampleIndices(count(p), n, key)),
    select: selectPoints,
    fit: (data, { key }) => em(data.x, k, o.iterations, o.tolerance, key),
    sample: (model, n, _how, key) => sampleMixture(model, n, key),
    logLikelihood(model, data) {
      return Float64Array.from(data.x, (x) => {
        let p = 0;
        for (let i = 0; i < k; i++) if (model.weights[i]! > 0) p += (model.weights[i]! * Math.exp(-((x - model.means[i]!) ** 2) / (2 * model.variances[i]!))) / Math.sqrt(2 * Math.PI * model.variances[i]!);
        return Math.log(p);
      });
    },
    metrics(model) {
      const { mean, variance } = moments(model);
      const tailLow = mixtureCdf(model, q01);
      const tailHigh = mixtureCdf(model, q99, true);
      const named = Object.fromEntries(model.weights.map((w, i) => [`weight${i}`, w]));
      const reward = target === undefined ? {} : { reward: -(variance + (mean - target) ** 2) };
      return { ...named, tailLow, tailHigh, tails: tailLow + tailHigh, mean, variance, ...reward };
    },
    collapsed: (model) => moments(model).variance <= COLLAPSE_RATIO * var0,
    absorbing: false, // a threshold: the variance keeps moving after it
    ...(target === undefined ? {} : { reward: (p: Points) => Float64Array.from(p.x, (x) => -((x - target) ** 2)) }),
  };
}

/** n draws: a component by its weight, then its normal; uses `key`. */
export function sampleMixture(m: MixtureModel, n: number, key: Key): Points {
  const rng = new Rng(key);
  const sds = m.variances.map(Math.sqrt);
  const x = Float64Array.from({ length: n }, () => {
    const i = categorical(rng, m.weights);
    return m.means[i]! + sds[i]! * normal(rng);
  });
  return { dim: 1, x };
}

const positive = (what: string) => z.number().positive(`${what} must be > 0`).finite();
const sections = {
  init: z
    .strictObject({
      weights: z.array(z.number().nonnegative('weights must be ≥ 0')).min(1),
      means: z.array(z.number({ error: 'means must be finite numbers' })).min(1),
      sds: z.array(positive('standard deviations (sds)')).min(1),
    })
    .superRefine((m, ctx) => {
      const k = m.weights.length;
      if (m.means.length !== k || m.sds.length !== k) ctx.addIssue({ code: 'custom', path: ['means'], message: `weights, means and sds need one entry per component: got ${k}, ${m.means.length}, ${m.sds.length}` });
      if (Math.abs(m.weights.reduce((a, b) => a + b, 0) - 1) > 1e-9) ctx.addIssue({ code: 'custom', path: ['weights'], message: 'component weights must sum to 1 (within 1e-9)' });
    })
    .describe('generation 0: the true mixture'),
  model: z
    .strictObject({
      iterations: z.number().int().positive().default(500).describe('EM iterations at most'),
      tolerance: positive('tolerance').default(1e-10).describe('stop when the mean log-likelihood gains less than this'),
    })
    .default({ iterations: 500, tolerance: 1e-10 }),
  reward: z.strictObject({ target: z.number({ error: 'reward.target must be a finite number' }) }).optional().describe('for filter by: reward; reward(x) = −(x − target)²'),
};

const supports: LoopSupport = {
  unit: 'point',
  samples: true,
  temperature: 'a tempered mixture p^{1/T} is no longer a mixture the EM refit can represent',
  truncation: DENSITY,
  finetune: 'the mixture refits by EM from a seeded start',
  finetuneKeep: 'the mixture refits by EM from a seeded start',
  policies: ['replace', 'augment', 'accumulate'],
  likelihood: true,
  reward: true,
  reject: 'it has no reject predicate',
};

export const entry = defineFamily({
  name: 'mixture',
  description: 'a 1-D Gaussian mixture refit by EM on its own samples; the tails vanish first',
  collapse: `the mixture variance has fallen to ${COLLAPSE_RATIO} of generation 0’s`,
  sections,
  supports,
  check(settings, issue) {
    const k = settings.init.weights.length;
    if (settings.loop.samples(1) < k) issue(['loop', 'samples'], `EM needs at least one sample per component (${k}); use more samples`);
  },
  setup(settings, _resources, key): Experiment<MixtureModel, Points> {
    const { init } = settings;
    const initial: MixtureModel = { weights: [...init.weights], means: [...init.means], variances: init.sds.map((s) => s * s) };
    const family = mixture({ ...settings.model, target: settings.reward?.target }, initial);
    const [kReal] = split(key, 1);
    return { family, initial, realData: sampleMixture(initial, settings.loop.samples(1), kReal!), drawReal: (n, k) => sampleMixture(initial, n, k) };
  },
});
