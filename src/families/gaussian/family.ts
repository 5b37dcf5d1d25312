// A Gaussian in d dimensions refit on its own samples: the model is a mean and a covariance
// (plain arrays, so it round-trips through JSON), the data are points. The refit is the sample
// mean and the sample covariance with divisor n − 1 (unbiased) or n (maximum likelihood).
import type { Family, Sampling } from '../../core/family.ts';
import { mvNormal } from '../../core/distributions.ts';
import { cholesky, cholLogDet, gaussianW2Squared, symmetricFunction, trace } from '../../core/linalg.ts';
import { Rng, type Key } from '../../core/random.ts';
import { normal, subsampleIndices } from '../../core/samplers.ts';
import { divisor, type VarianceEstimator } from '../../theory/gaussian.ts';
import { checkNoTruncation, concatPoints, count, selectPoints, type Points } from '../points/index.ts';

export interface GaussianModel {
  readonly mean: readonly number[];
  readonly cov: readonly (readonly number[])[];
}

export interface GaussianOptions {
  readonly variance: VarianceEstimator;
  /** fine-tuning averages parameters: θ′ = m·θ_prev + (1 − m)·θ̂ for the mean and the covariance. */
  readonly finetuneKeep: number;
  /** curation: the reward of a point x is −‖x − target‖². */
  readonly target?: readonly number[] | undefined;
}

/**
 * Collapsed = total variance at most 1e-12 of generation 0's (σ shrunk a million-fold). With
 * n = 100 unbiased refits E[ln σ²_t] falls by ≈ 0.0101 per generation: ≈ 2,700 generations.
 */
export const COLLAPSE_RATIO = 1e-12;

const flat = (cov: readonly (readonly number[])[]): Float64Array => Float64Array.from(cov.flat());

/** The Gaussian family; `initial` fixes the dimension, the w2 reference and the collapse scale. */
export function gaussian(opts: GaussianOptions, initial: GaussianModel): Family<GaussianModel, Points> {
  const d = initial.mean.length;
  const trace0 = trace(flat(initial.cov), d);
  const target = opts.target;
  const reward = (p: Points): Float64Array => {
    const out = new Float64Array(count(p));
    for (let i = 0; i < out.length; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (p.x[i * d + j]! - target![j]!) ** 2;
      out[i] = -s;
    }
    return out;
  };
  return {
    name: 'gaussian',
    size: count,
    concat: concatPoints,
    subsample: (p, n, key) => selectPoints(p, subsampleIndices(count(p), n, key)),
    select: selectPoints,
    fit(data, { from }) {
      const fitted = fitMoments(data, opts.variance);
      const m = opts.finetuneKeep;
      if (!from || m === 0) return fitted;
      const mix = (a: number, b: number): number => m * a + (1 - m) * b;
      return { mean: from.mean.map((a, i) => mix(a, fitted.mean[i]!)), cov: from.cov.map((row, i) => row.map((a, j) => mix(a, fitted.cov[i]![j]!))) };
    },
    sample: (model, n, how, key) => sampleGaussian(model, n, how, key),
    logLikelihood(model, data) {
      const out = new Float64Array(count(data));
      const l = cholesky(flat(model.cov), d);
      if (!l) return out; // a degenerate model gives every point the same (undefined) density: ties
      const half = 0.5 * (d * Math.log(2 * Math.PI) + cholLogDet(l, d));
      const z = new Float64Array(d);
      for (let i = 0; i < out.length; i++) {
        // ‖L⁻¹(x − μ)‖² by forward substitution
        let q = 0;
        for (let r = 0; r < d; r++) {
          let s = data.x[i * d + r]! - model.mean[r]!;
          for (let k = 0; k < r; k++) s -= l[r * d + k]! * z[k]!;
          z[r] = s / l[r * d + r]!;
          q += z[r]! * z[r]!;
        }
        out[i] = -half - q / 2;
      }
      return out;
    },
    metrics(model, { initial: init }) {
      const c = flat(model.cov);
      const w2 = Math.sqrt(gaussianW2Squared(model.mean, c, init.mean, flat(init.cov), d));
      const exp = target ? { reward: -(model.mean.reduce((s, m, j) => s + (m - target[j]!) ** 2, 0) + trace(c, d)) } : {};
      if (d === 1) {
        const v = model.cov[0]![0]!;
        return { mean: model.mean[0]!, variance: v, logVariance: Math.log(v), w2, ...exp };
      }
      const l = cholesky(c, d);
      const shift = Math.sqrt(model.mean.reduce((s, m, j) => s + (m - init.mean[j]!) ** 2, 0));
      return { mean: shift, traceCov: trace(c, d), logDetCov: l ? cholLogDet(l, d) : -Infinity, w2, ...exp };
    },
    collapsed: (model) => trace(flat(model.cov), d) <= COLLAPSE_RATIO * trace0,
    absorbing: false, // a threshold: the covariance keeps shrinking (or growing) after it
    ...(target ? { reward } : {}),
  };
}

/** Sample mean and covariance (divisor n − 1 or n) of the points. */
export function fitMoments(data: Points, variance: VarianceEstimator): GaussianModel {
  const d = data.dim;
  const n = count(data);
  const div = divisor(n, variance);
  if (!(div > 0)) throw new RangeError(`gaussian fit: the ${variance} covariance needs at least ${variance === 'unbiased' ? 2 : 1} points, got ${n}`);
  const mean = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += data.x[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j]! /= n;
  const cov = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      const da = data.x[i * d + a]! - mean[a]!;
      for (let b = 0; b <= a; b++) cov[a]![b]! += da * (data.x[i * d + b]! - mean[b]!);
    }
  }
  for (let a = 0; a < d; a++) for (let b = 0; b <= a; b++) cov[b]![a] = cov[a]![b] = cov[a]![b]! / div;
  return { mean, cov };
}

/**
 * n draws from N(μ, TΣ): sampling at temperature T draws from p^{1/T}, which for a Gaussian is
 * the same Gaussian with covariance TΣ (T = 0: every draw is the mean). A semi-definite Σ is
 * fine: the factor is the symmetric square root V·diag(√(Tλ))·Vᵀ. Uses `key` for every draw.
 */
export function sampleGaussian(model: GaussianModel, n: number, how: Sampling, key: Key): Points {
  checkNoTruncation('gaussian', how);
  const d = model.mean.length;
  const rng = new Rng(key);
  const x = new Float64Array(n * d);
  const t = how.temperature;
  if (d === 1) {
    const sd = Math.sqrt(t * model.cov[0]![0]!);
    const m = model.mean[0]!;
    for (let i = 0; i < n; i++) x[i] = m + sd * normal(rng);
    return { dim: 1, x };
  }
  const factor = symmetricFunction(flat(model.cov), d, (lambda) => Math.sqrt(t * lambda));
  for (let i = 0; i < n; i++) mvNormal(rng, model.mean, factor, x.subarray(i * d, (i + 1) * d));
  return { dim: d, x };
}
