// Exact binomial probabilities as a dense vector, for building transition matrices.
import { logFactorial } from '../core/samplers.ts';

/** Entries smaller than this share of the largest are dropped (set to 0): far below rounding of any sum we form. */
const TAIL = 1e-30;

/** A pmf stored from index `lo` on: pmf(lo + j) = vals[j]. */
export interface Pmf {
  readonly lo: number;
  readonly vals: Float64Array;
}

/**
 * Binomial(n, q) probabilities, computed in log space and renormalised to sum to 1 so rows
 * of a transition matrix are stochastic to rounding; tails below 1e-30 of the mode dropped.
 */
export function binomialPmf(n: number, q: number): Pmf {
  if (q <= 0) return { lo: 0, vals: Float64Array.of(1) };
  if (q >= 1) return { lo: n, vals: Float64Array.of(1) };
  const lq = Math.log(q);
  const l1q = Math.log1p(-q);
  const logPmf = (k: number): number => logFactorial(n) - logFactorial(k) - logFactorial(n - k) + k * lq + (n - k) * l1q;
  const mode = Math.min(n, Math.floor((n + 1) * q));
  const cut = logPmf(mode) + Math.log(TAIL);
  let lo = mode;
  let hi = mode;
  while (lo > 0 && logPmf(lo - 1) >= cut) lo--;
  while (hi < n && logPmf(hi + 1) >= cut) hi++;
  const vals = new Float64Array(hi - lo + 1);
  let sum = 0;
  for (let k = lo; k <= hi; k++) sum += vals[k - lo] = Math.exp(logPmf(k));
  for (let j = 0; j < vals.length; j++) vals[j] = vals[j]! / sum;
  return { lo, vals };
}

/** The pmf of X + Y for independent X ~ a, Y ~ b. */
export function convolve(a: Pmf, b: Pmf): Pmf {
  const vals = new Float64Array(a.vals.length + b.vals.length - 1);
  for (let i = 0; i < a.vals.length; i++) {
    const ai = a.vals[i]!;
    for (let j = 0; j < b.vals.length; j++) vals[i + j]! += ai * b.vals[j]!;
  }
  return { lo: a.lo + b.lo, vals };
}
