// A Gaussian refit on n of its own samples (Shumailov et al., "AI models collapse when trained
// on recursively generated data", Nature 2024). With unbiased refits (n − 1)σ²_{t+1}/σ²_t ~
// χ²_{n−1}, independently each generation, so ln σ²_t is a random walk with negative drift:
// σ²_t → 0 almost surely although E[σ²_t] = σ²_0 stays constant. The ML estimator divides by n
// and also shrinks the mean: E[σ²_t] = σ²_0 ((n − 1)/n)^t. In d dimensions the sample
// covariance is Wishart and Bartlett's decomposition gives det ratios as products of
// independent χ²_{n−i}, i = 1..d. Sampling at temperature T draws from p^{1/T} ∝ N(μ, TΣ),
// which multiplies every step by T.
import { polygamma } from '../core/special.ts';

export type VarianceEstimator = 'unbiased' | 'ml';

/** The divisor of the sum of squares: n − 1 (unbiased) or n (maximum likelihood). */
export function divisor(n: number, variance: VarianceEstimator): number {
  return variance === 'unbiased' ? n - 1 : n;
}

/**
 * Cumulants κ1, κ2, κ3 of one step's ln(σ²_{t+1}/σ²_t) = ln(T·χ²_{n−1}/divisor): for
 * ln χ²_k, κ1 = ψ(k/2) + ln 2, κ2 = ψ′(k/2), κ3 = ψ″(k/2).
 */
export function logStepCumulants(n: number, variance: VarianceEstimator, temperature = 1): [number, number, number] {
  if (!(n >= 2)) throw new RangeError(`a variance refit needs n ≥ 2 samples, got ${n}`);
  const k = (n - 1) / 2;
  return [polygamma(0, k) + Math.LN2 - Math.log(divisor(n, variance)) + Math.log(temperature), polygamma(1, k), polygamma(2, k)];
}

/** E[ln σ²_t] − ln σ²_0 = t·[ψ((n−1)/2) − ln((n−1)/2)] for unbiased refits (ml: − ln(n/2)); n may vary per generation. */
export function expectedLogVarianceChange(ns: readonly number[], variance: VarianceEstimator, temperature = 1): number {
  let s = 0;
  for (const n of ns) s += logStepCumulants(n, variance, temperature)[0];
  return s;
}

/** E[σ²_t]/σ²_0 = Π_s T·(n_s − 1)/divisor(n_s): 1 for unbiased refits at T = 1, ((n−1)/n)^t for ml. */
export function expectedVarianceRatio(ns: readonly number[], variance: VarianceEstimator, temperature = 1): number {
  let r = 1;
  for (const n of ns) r *= (temperature * (n - 1)) / divisor(n, variance);
  return r;
}

/**
 * The median of σ²_t/σ²_0. ln σ²_t is a sum of t independent steps, so by the Cornish–Fisher
 * expansion at z = 0 its median is Σκ1 − Σκ3/(6 Σκ2) + O(1/t): the skew correction does not
 * grow with t, while the mean drifts linearly. Exact at t = 0 (the ratio is 1).
 */
export function medianVarianceRatio(ns: readonly number[], variance: VarianceEstimator, temperature = 1): number {
  if (ns.length === 0) return 1;
  let k1 = 0;
  let k2 = 0;
  let k3 = 0;
  for (const n of ns) {
    const [a, b, c] = logStepCumulants(n, variance, temperature);
    k1 += a;
    k2 += b;
    k3 += c;
  }
  return Math.exp(k1 - k3 / (6 * k2));
}

/**
 * E[ln det Σ_t] − ln det Σ_0 in d dimensions: per step Σ_{i=1}^{d} [ψ((n−i)/2) + ln 2] −
 * d·ln divisor(n) + d·ln T (Bartlett: (n−1)·det Σ̂/det Σ = Π χ²_{n−i}). Needs n > d.
 */
export function expectedLogDetChange(ns: readonly number[], d: number, variance: VarianceEstimator, temperature = 1): number {
  let s = 0;
  for (const n of ns) {
    if (!(n > d)) throw new RangeError(`a d = ${d} covariance refit needs n > d samples for a finite log-determinant, got ${n}`);
    for (let i = 1; i <= d; i++) s += polygamma(0, (n - i) / 2) + Math.LN2;
    s += d * (Math.log(temperature) - Math.log(divisor(n, variance)));
  }
  return s;
}
