// The shared family contract (src/core/family-contract.test-support.ts) for the continuous and supervised
// families and the urn. Tolerances for fit(sample(m, N)) ≈ m are 6 standard errors of the
// largest parameter's estimate at that N (a max over several parameters, so a little above 4).
import { describeFamilyContract } from '../core/family-contract.test-support.ts';
import type { Experiment } from '../core/loop.ts';
import { key } from '../core/random.ts';
import { settingsFor } from '../config/schema.ts';
import { FAMILIES } from './index.ts';

const experiment = <M>(raw: { family: string; [section: string]: unknown }): (() => Experiment<M, unknown>) => {
  const entry = FAMILIES[raw.family]!;
  return () => entry.setup(settingsFor(entry, raw), undefined, key(7)) as Experiment<M, unknown>;
};
const maxAbs = (a: readonly number[], b: readonly number[]): number => Math.max(...a.map((x, i) => Math.abs(x - b[i]!)));

type G = { mean: number[]; cov: number[][] };
describeFamilyContract<G, unknown>('gaussian', experiment({ family: 'gaussian', init: { mean: [1, -1], cov: [[2, 0.5], [0.5, 1]] } }), {
  distance: (a, b) => Math.max(maxAbs(a.mean, b.mean), maxAbs(a.cov.flat(), b.cov.flat())),
  largeN: 100_000,
  tolerance: 6 * Math.sqrt((2 * 2 * 2) / 100_000), // se of the largest covariance entry, √(2Σ₁₁²/N)
});

type W = { weights: number[] };
describeFamilyContract<W, unknown>('regression', experiment({ family: 'regression', model: { rows: 50, dims: 3, noise: 1 } }), {
  distance: (a, b) => maxAbs(a.weights, b.weights),
  // N labels on 50 rows repeated: se of a weight ≈ σ/√N (rows of unit variance)
  largeN: 100_000,
  tolerance: 6 * Math.sqrt(1 / 100_000) * 1.5, // × 1.5 for the spread of a 50-row design's diag (XᵀX/50)⁻¹
});

describeFamilyContract<W, unknown>('classifier', experiment({ family: 'classifier', init: { weights: [1, 0.5, 0] } }), {
  // Least squares on ±1 labels recovers the direction (length √(2/π)): compare angles.
  distance: (a, b) => {
    const n = (w: number[]): number => Math.hypot(...w);
    return Math.acos(Math.min(1, a.weights.reduce((s, x, j) => s + x * b.weights[j]!, 0) / (n(a.weights) * n(b.weights))));
  },
  largeN: 100_000,
  tolerance: 6 * Math.sqrt((Math.PI / 2 - 1) / 100_000) * Math.SQRT2, // two tangent coordinates
});

type U = { counts: number[] };
describeFamilyContract<U, unknown>('urn', experiment({ family: 'urn', init: { counts: [0.2, 0.3, 0.5] }, model: { rates: [1, 1, 1] } }), {
  // With every rate 1, each round adds one ball to the attended region: shares ≈ the belief.
  distance: (a, b) => {
    const s = (c: number[]): number[] => c.map((x) => x / c.reduce((p, q) => p + q, 0));
    return maxAbs(s(a.counts), s(b.counts));
  },
  largeN: 100_000,
  tolerance: 6 * Math.sqrt(0.25 / 100_000),
});

type X = { weights: number[]; means: number[]; variances: number[] };
describeFamilyContract<X, unknown>('mixture', experiment({ family: 'mixture', init: { weights: [0.4, 0.6], means: [-3, 3], sds: [1, 1] } }), {
  distance: (a, b) => Math.max(maxAbs(a.weights, b.weights), maxAbs(a.means, b.means), maxAbs(a.variances, b.variances)),
  largeN: 50_000,
  tolerance: 6 * Math.sqrt(2 / (50_000 * 0.4)), // se of the smaller component's variance
  fitUsesKey: false,
});
