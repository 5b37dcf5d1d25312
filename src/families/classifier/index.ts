// A linear classifier (through the origin) that labels its own training data. Each generation
// draws fresh inputs x ~ N(0, I_d) and labels them sign(xᵀw) with the current weights; a share
// loop.realFraction = r of them is labelled by the original classifier instead (grounding:
// drawReal). The refit is least squares, or ridge with model.ridge > 0, without intercept.
import { z } from 'zod';
import type { Family } from '../../core/family.ts';
import { cholesky, cholSolve } from '../../core/linalg.ts';
import type { Experiment } from '../../core/loop.ts';
import { Rng, split, type Key } from '../../core/random.ts';
import { normal, subsampleIndices } from '../../core/samplers.ts';
import { expectedAngle2d, expectedAngleSquared, expectedCosAngle } from '../../theory/classifier.ts';
import { applies } from '../../theory/applies.ts';
import { defineFamily, type LoopSupport } from '../entry.ts';
import { concatPoints, selectPoints, type Points } from '../points/index.ts';

export interface ClassifierModel {
  readonly weights: readonly number[];
}
/** Labelled points: y[i] ∈ {−1, +1} is the label of point i of `points`. */
export interface Labelled {
  readonly points: Points;
  readonly y: Float64Array;
}

export interface ClassifierOptions {
  readonly dims: number;
  readonly ridge: number;
  /** curation: reward(x, y) = y·xᵀv, the margin a preferred classifier v gives the label. */
  readonly rewardWeights?: readonly number[] | undefined;
}

const dotRow = (x: Float64Array, i: number, w: readonly number[]): number => {
  let s = 0;
  for (let j = 0; j < w.length; j++) s += x[i * w.length + j]! * w[j]!;
  return s;
};
const norm = (w: readonly number[]): number => Math.sqrt(w.reduce((s, x) => s + x * x, 0));

/** The angle in [0, π] between two weight vectors (acos of the clamped cosine). */
function angleBetween(a: readonly number[], b: readonly number[]): number {
  const c = a.reduce((s, x, j) => s + x * b[j]!, 0) / (norm(a) * norm(b));
  return Math.acos(Math.max(-1, Math.min(1, c)));
}

/** The classifier family. */
export function classifier(o: ClassifierOptions): Family<ClassifierModel, Labelled> {
  const d = o.dims;
  const v = o.rewardWeights;
  const select = (data: Labelled, idx: ArrayLike<number>): Labelled => ({ points: selectPoints(data.points, idx), y: Float64Array.from({ length: idx.length }, (_, i) => data.y[idx[i]!]!) });
  return {
    name: 'classifier',
    size: (data) => data.y.length,
    concat: (parts) => {
      const y = new Float64Array(parts.reduce((s, p) => s + p.y.length, 0));
      let at = 0;
      for (const p of parts) (y.set(p.y, at), (at += p.y.length));
      return { points: concatPoints(parts.map((p) => p.points)), y };
    },
    subsample: (data, n, key) => select(data, subsampleIndices(data.y.length, n, key)),
    select,
    fit(data) {
      // (XᵀX + λI) w = Xᵀy by Cholesky
      const { x } = data.points;
      const gram = new Float64Array(d * d);
      const xty = new Float64Array(d);
      for (let i = 0; i < data.y.length; i++) {
        for (let a = 0; a < d; a++) {
          xty[a]! += x[i * d + a]! * data.y[i]!;
          for (let b = 0; b <= a; b++) gram[a * d + b]! += x[i * d + a]! * x[i * d + b]!;
        }
      }
      for (let a = 0; a < d; a++) {
        gram[a * d + a]! += o.ridge;
        for (let b = 0; b < a; b++) gram[b * d + a] = gram[a * d + b]!;
      }
      const l = cholesky(gram, d);
      if (!l) throw new Error(`classifier fit: ${data.y.length} points cannot determine ${d} weights; use more samples or model.ridge > 0`);
      return { weights: Array.from(cholSolve(l, d, xty)) };
    },
    sample: (model, n, _how, key) => labelled(model.weights, n, key),
    metrics(model, { initial }) {
      const angle = angleBetween(model.weights, initial.weights);
      // E[y·xᵀv] for y = sign(xᵀw), x ~ N(0, I): √(2/π)·wᵀv/‖w‖
      const reward = v ? { reward: (Math.sqrt(2 / Math.PI) * model.weights.reduce((s, w, j) => s + w * v[j]!, 0)) / norm(model.weights) } : {};
      return { angle, cosAngle: Math.cos(angle), angleSquared: angle * angle, disagreement: angle / Math.PI, norm: norm(model.weights), ...reward };
    },
    collapsed: (model) => norm(model.weights) === 0, // all-zero weights label nothing; the direction is lost
    absorbing: false, // all-zero weights label every point +1, whose refit is not zero
    ...(v ? { reward: (data: Labelled) => Float64Array.from(data.y, (y, i) => y * dotRow(data.points.x, i, v)) } : {}),
  };
}

/** n fresh points x ~ N(0, I_d) labelled sign(xᵀw) (+1 on the boundary); uses `key`. */
function labelled(w: readonly number[], n: number, key: Key): Labelled {
  const d = w.length;
  const rng = new Rng(key);
  const x = Float64Array.from({ length: n * d }, () => normal(rng));
  const y = Float64Array.from({ length: n }, (_, i) => (dotRow(x, i, w) >= 0 ? 1 : -1));
  return { points: { dim: d, x }, y };
}

const sections = {
  init: z
    .strictObject({ weights: z.array(z.number({ error: 'init.weights entries must be finite' })).min(1).default([1, 0]).describe('the original classifier w₀ (its length sets d)') })
    .refine((i) => norm(i.weights) > 0, { message: 'the original classifier needs a nonzero weight vector, e.g. [1, 0]', path: ['weights'] })
    .default({ weights: [1, 0] }),
  model: z.strictObject({ ridge: z.number().nonnegative('ridge must be ≥ 0 (0 = ordinary least squares)').finite().default(0) }).default({ ridge: 0 }),
  reward: z
    .strictObject({ weights: z.array(z.number({ error: 'reward.weights entries must be finite numbers' })).min(1).describe('v; reward(x, y) = y·xᵀv') })
    .optional()
    .describe('for filter by: reward'),
};

const supports: LoopSupport = {
  unit: 'labelled point',
  samples: true,
  temperature: 'it labels by the sign of xᵀw, which has no probabilities to temper',
  truncation: 'it labels by the sign of xᵀw, which has no probabilities to truncate',
  finetune: 'the classifier refits by least squares',
  finetuneKeep: 'the classifier refits by least squares',
  policies: ['replace', 'augment', 'accumulate'],
  likelihood: 'a sign label has no likelihood under the model',
  reward: true,
  reject: 'it has no reject predicate',
};

export const entry = defineFamily({
  name: 'classifier',
  description: 'a linear classifier labelling fresh Gaussian inputs with its own predictions (a share r by the original)',
  collapse: 'every weight is 0: the classifier labels nothing and its direction is lost',
  sections,
  supports,
  check(settings, issue) {
    const d = settings.init.weights.length;
    if (settings.reward && settings.reward.weights.length !== d) issue(['reward', 'weights'], `expected ${d} weights (the length of init.weights)`);
  },
  setup(settings, _resources, key): Experiment<ClassifierModel, Labelled> {
    const w0 = settings.init.weights;
    const fam = classifier({ dims: w0.length, ridge: settings.model.ridge, rewardWeights: settings.reward?.weights });
    const [kReal] = split(key, 1);
    return { family: fam, initial: { weights: [...w0] }, realData: labelled(w0, settings.loop.samples(1), kReal!), drawReal: (n, k) => labelled(w0, n, k) };
  },
  theory(settings, generations) {
    const { loop } = settings;
    const d = settings.init.weights.length;
    const n = loop.constantSamples;
    const r = loop.realFraction;
    if (!applies({ policies: ['replace'], grounded: true, constantSamples: true }, loop) || n === undefined || d < 2) return { angle: null, cosAngle: null, angleSquared: null };
    return {
      angle: d === 2 && r === 0 ? generations.map((t) => expectedAngle2d(t, n)) : null,
      cosAngle: r === 0 ? generations.map((t) => expectedCosAngle(t, d, n)) : null,
      angleSquared: generations.map((t) => expectedAngleSquared(t, d, n, r)),
      angleRmsStationary: r > 0 ? Math.sqrt(expectedAngleSquared(Infinity, d, n, r)) : null,
    };
  },
});
