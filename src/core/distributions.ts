// Exact samplers of continuous laws beyond the normal: gamma, chi-square, beta and the
// multivariate normal. Exact as in samplers.ts: the output law is the named one to double
// precision (rejection methods, no approximations).
import type { Rng } from './random.ts';
import { normal } from './samplers.ts';

/**
 * A Gamma(shape a, scale 1) draw. Marsaglia & Tsang, "A simple method for generating gamma
 * variables", ACM TOMS 2000 (squeeze, then the exact log test); for a < 1 the boost
 * Gamma(a) = Gamma(a + 1)·U^{1/a} (same paper, §6).
 */
export function gamma(rng: Rng, a: number): number {
  if (!(a > 0) || !Number.isFinite(a)) throw new RangeError(`gamma: shape must be a finite number > 0, got ${a}`);
  if (a < 1) {
    let u = rng.float();
    while (u === 0) u = rng.float();
    return gamma(rng, a + 1) * Math.pow(u, 1 / a);
  }
  const d = a - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.float();
    const x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) return d * v;
    if (u > 0 && Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** A χ²_k draw (k > 0 degrees of freedom, not necessarily whole): 2·Gamma(k/2). */
export function chiSquare(rng: Rng, k: number): number {
  return 2 * gamma(rng, k / 2);
}

/** A Beta(a, b) draw as X/(X + Y) with independent X ~ Gamma(a), Y ~ Gamma(b). */
export function beta(rng: Rng, a: number, b: number): number {
  const x = gamma(rng, a);
  const y = gamma(rng, b);
  return x / (x + y);
}

/**
 * One N(mean, F Fᵀ) draw into `out`, for any d×d factor F (row-major): a Cholesky factor, or
 * V·diag(√λ) from an eigendecomposition when the covariance is only semi-definite.
 */
export function mvNormal(rng: Rng, mean: ArrayLike<number>, factor: ArrayLike<number>, out = new Float64Array(mean.length)): Float64Array {
  const d = mean.length;
  const z = new Float64Array(d);
  for (let j = 0; j < d; j++) z[j] = normal(rng);
  for (let i = 0; i < d; i++) {
    let s = mean[i]!;
    for (let j = 0; j < d; j++) s += factor[i * d + j]! * z[j]!;
    out[i] = s;
  }
  return out;
}
