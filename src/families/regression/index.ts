// Linear regression that labels its own training data (Dohmatob et al. 2024; Gerstgrasser et
// al. 2024). The design X (T rows × d columns of N(0, 1)) and the true weights w* ~ N(0, I) are
// drawn once per seed; generation 0 is the truth w*. Sampling a model labels the rows of X
// with xᵀw plus fresh N(0, σ²) noise, so generation 1 is OLS on real labels and later
// generations relabel X with the current model; `replace` refits on the latest labels,
// `accumulate` on every labelled copy so far (the generic loop's policies).
import { z } from 'zod';
import { PLAIN, type Family, type Sampling } from '../../core/family.ts';
import { cholesky, cholSolve } from '../../core/linalg.ts';
import type { Experiment } from '../../core/loop.ts';
import { Rng, split, type Key } from '../../core/random.ts';
import { normal, subsampleIndices } from '../../core/samplers.ts';
import { expectedTestError } from '../../theory/regression.ts';
import { applies } from '../../theory/applies.ts';
import { defineFamily, type LoopSupport } from '../entry.ts';

export interface RegressionModel {
  readonly weights: readonly number[];
}
/** Labelled rows: item i is row rows[i] of the design X with label y[i]. */
export interface Labels {
  readonly rows: Int32Array;
  readonly y: Float64Array;
}

export interface RegressionOptions {
  /** T×d row-major. */
  readonly design: Float64Array;
  readonly rows: number;
  readonly dims: number;
  readonly noise: number;
  readonly truth: readonly number[];
  /** curation: reward(x, y) = −(y − xᵀv)² for these weights v. */
  readonly rewardWeights?: readonly number[] | undefined;
}

const dot = (x: Float64Array, row: number, w: readonly number[]): number => {
  let s = 0;
  for (let j = 0; j < w.length; j++) s += x[row * w.length + j]! * w[j]!;
  return s;
};

const select = (data: Labels, idx: ArrayLike<number>): Labels => ({ rows: Int32Array.from({ length: idx.length }, (_, i) => data.rows[idx[i]!]!), y: Float64Array.from({ length: idx.length }, (_, i) => data.y[idx[i]!]!) });

/** The regression family on a fixed design. */
export function regression(o: RegressionOptions): Family<RegressionModel, Labels> {
  const { design: X, dims: d, noise } = o;
  const v = o.rewardWeights;
  return {
    name: 'regression',
    size: (data) => data.y.length,
    concat(parts) {
      const n = parts.reduce((s, p) => s + p.y.length, 0);
      const out = { rows: new Int32Array(n), y: new Float64Array(n) };
      let at = 0;
      for (const p of parts) {
        out.rows.set(p.rows, at);
        out.y.set(p.y, at);
        at += p.y.length;
      }
      return out;
    },
    subsample: (data, n, key) => select(data, subsampleIndices(data.y.length, n, key)),
    select,
    fit(data) {
      // Ordinary least squares through the normal equations (XᵀX) w = Xᵀy, by Cholesky.
      const gram = new Float64Array(d * d);
      const xty = new Float64Array(d);
      for (let i = 0; i < data.y.length; i++) {
        const r = data.rows[i]! * d;
        for (let a = 0; a < d; a++) {
          xty[a]! += X[r + a]! * data.y[i]!;
          for (let b = 0; b <= a; b++) gram[a * d + b]! += X[r + a]! * X[r + b]!;
        }
      }
      for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) gram[b * d + a] = gram[a * d + b]!;
      const l = cholesky(gram, d);
      if (!l) throw new Error(`regression fit: the ${data.y.length} training rows do not determine ${d} weights (XᵀX is singular); train on more rows`);
      return { weights: Array.from(cholSolve(l, d, xty)) };
    },
    sample: (model, n, how, key) => label(o, model.weights, n, how, key),
    logLikelihood(model, data) {
      const s2 = noise * noise;
      return Float64Array.from(data.y, (y, i) => -0.5 * Math.log(2 * Math.PI * s2) - (y - dot(X, data.rows[i]!, model.weights)) ** 2 / (2 * s2));
    },
    metrics(model, { initial }) {
      let err = 0;
      for (let j = 0; j < d; j++) err += (model.weights[j]! - initial.weights[j]!) ** 2;
      // For isotropic test inputs E(y − xᵀv)² = ‖w − v‖² + σ².
      const reward = v ? { reward: -(model.weights.reduce((s, w, j) => s + (w - v[j]!) ** 2, 0) + noise * noise) } : {};
      return { testError: err, ...reward };
    },
    collapsed: () => false, // the error grows (replace) or settles (accumulate); there is no point mass to reach
    absorbing: false,
    ...(v ? { reward: (data: Labels) => Float64Array.from(data.y, (y, i) => -((y - dot(X, data.rows[i]!, v)) ** 2)) } : {}),
  };
}

/**
 * Labels for n rows from weights w: xᵀw + √T·σ·ε (temperature T draws from p(y|x)^{1/T} ∝
 * N(xᵀw, Tσ²)). n = T labels every row of the design once, in order (the relabelling the theory
 * describes); other n take every row ⌊n/T⌋ times plus a uniform subset of the rest, so a
 * generation split between real and synthetic labels covers the design without bias.
 * Uses `key` for the rows and the noise.
 */
function label(o: RegressionOptions, w: readonly number[], n: number, how: Sampling, key: Key): Labels {
  const [kRows, kNoise] = split(key, 2);
  const full = Math.floor(n / o.rows);
  const rest = subsampleIndices(o.rows, n - full * o.rows, kRows!);
  const rows = Int32Array.from({ length: n }, (_, i) => (i < full * o.rows ? i % o.rows : rest[i - full * o.rows]!));
  const rng = new Rng(kNoise!);
  const sd = Math.sqrt(how.temperature) * o.noise;
  const y = Float64Array.from(rows, (r) => dot(o.design, r, w) + sd * normal(rng));
  return { rows, y };
}

const sections = {
  model: z
    .strictObject({
      rows: z.number().int().positive().describe('T, rows of the fixed design'),
      dims: z.number().int().positive().describe('d, columns (weights)'),
      noise: z.number().positive('noise σ must be > 0').finite().default(1).describe('σ, label noise standard deviation'),
    })
    .superRefine((m, ctx) => {
      if (m.rows <= m.dims + 1) ctx.addIssue({ code: 'custom', path: ['rows'], message: `a design with T = ${m.rows} ≤ d + 1 = ${m.dims + 1} rows is degenerate (E tr (XᵀX)⁻¹ = d/(T − d − 1) is infinite); use rows ≥ ${m.dims + 2}` });
    }),
  reward: z
    .strictObject({ weights: z.array(z.number({ error: 'reward.weights entries must be finite numbers' })).min(1).describe('v; reward(x, y) = −(y − xᵀv)²') })
    .optional()
    .describe('for filter by: reward'),
};

const supports: LoopSupport = {
  unit: 'labelled row',
  samples: 'each generation relabels the model.rows rows of its fixed design',
  temperature: true,
  truncation: 'a label is a real number, with no finite set of outcomes to truncate',
  finetune: 'regression refits by least squares from scratch',
  finetuneKeep: 'regression refits by least squares from scratch',
  policies: ['replace', 'augment', 'accumulate'],
  likelihood: true,
  reward: true,
  reject: 'it has no reject predicate',
};

export const entry = defineFamily({
  name: 'regression',
  description: 'linear regression on a fixed Gaussian design, relabelled by its own fit each generation',
  collapse: 'never: the test error grows (replace) or settles (accumulate); there is no point mass to reach',
  sections,
  supports,
  samples: (config) => config.model.rows,
  check(settings, issue) {
    const d = settings.model.dims;
    if (settings.reward && settings.reward.weights.length !== d) issue(['reward', 'weights'], `expected ${d} weights (model.dims)`);
  },
  setup(settings, _resources, key): Experiment<RegressionModel, Labels> {
    const { rows, dims, noise } = settings.model;
    const [kX, kW, kReal] = split(key, 3);
    const rx = new Rng(kX!);
    const design = Float64Array.from({ length: rows * dims }, () => normal(rx));
    const rw = new Rng(kW!);
    const truth = Array.from({ length: dims }, () => normal(rw));
    const opts: RegressionOptions = { design, rows, dims, noise, truth, rewardWeights: settings.reward?.weights };
    const family = regression(opts);
    return {
      family,
      initial: { weights: truth },
      realData: label(opts, truth, rows, PLAIN, kReal!),
      drawReal: (n, k) => label(opts, truth, n, PLAIN, k),
    };
  },
  theory(settings, generations) {
    const { loop } = settings;
    if (!applies({ policies: ['replace', 'accumulate'], tempered: true }, loop)) return { testError: null };
    const { rows, dims, noise } = settings.model;
    // Temperature T scales every label's noise variance by T, hence the error by T.
    const t = loop.sampling.temperature;
    return { testError: generations.map((g) => t * expectedTestError(g, rows, dims, noise, loop.policy === 'replace' ? 'replace' : 'accumulate')) };
  },
});
