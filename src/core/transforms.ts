// Sampling transforms on one probability vector (or logits), in the order language-model
// samplers apply them: temperature, then top-k, top-p (nucleus) and min-p truncation.
import type { Sampling } from './family.ts';

/**
 * τ_T(p)_i = p_i^{1/T} / Σ_j p_j^{1/T}, computed in log space. T = 0 is the limit T → 0:
 * argmax, with the mass split evenly among tied maxima. Zeros stay zero for every T.
 */
export function temperature(probs: ArrayLike<number>, t: number, out = new Float64Array(probs.length)): Float64Array {
  const logits = new Float64Array(probs.length);
  for (let i = 0; i < probs.length; i++) logits[i] = probs[i]! > 0 ? Math.log(probs[i]!) : -Infinity;
  return softmax(logits, t, out);
}

/** softmax(logits / T) (T = 0: argmax with ties split evenly); −∞ logits get probability 0. */
export function softmax(logits: ArrayLike<number>, t = 1, out = new Float64Array(logits.length)): Float64Array {
  if (!(t >= 0)) throw new RangeError(`temperature must be ≥ 0, got ${t}`);
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i]! > max) max = logits[i]!;
  if (max === -Infinity) throw new RangeError('softmax: every outcome has probability 0');
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    const l = logits[i]!;
    const w = t === 0 ? (l === max ? 1 : 0) : l === -Infinity ? 0 : Math.exp((l - max) / t);
    out[i] = w;
    sum += w;
  }
  for (let i = 0; i < logits.length; i++) out[i] = out[i]! / sum;
  return out;
}

/** Keep the k most probable outcomes (ties at the boundary all kept) and renormalise; k = 0 is off. */
export function topK(probs: Float64Array, k: number): Float64Array {
  if (k <= 0 || k >= probs.length) return probs;
  const sorted = Float64Array.from(probs).sort().reverse();
  const cut = sorted[k - 1]!;
  return keepWhere(probs, (p) => p >= cut && p > 0);
}

/**
 * Nucleus sampling (Holtzman et al. 2020): keep the smallest set of most probable outcomes
 * whose mass reaches p (ties at the boundary all kept); p = 1 is off.
 */
export function topP(probs: Float64Array, p: number): Float64Array {
  if (p >= 1) return probs;
  const sorted = Float64Array.from(probs).sort().reverse();
  let acc = 0;
  let cut = sorted[0]!;
  for (const q of sorted) {
    cut = q;
    acc += q;
    if (acc >= p) break;
  }
  return keepWhere(probs, (q) => q >= cut && q > 0);
}

/** Min-p (Nguyen et al. 2024): keep outcomes with probability ≥ m · max; m = 0 is off. */
export function minP(probs: Float64Array, m: number): Float64Array {
  if (m <= 0) return probs;
  let max = 0;
  for (const q of probs) if (q > max) max = q;
  return keepWhere(probs, (q) => q >= m * max && q > 0);
}

function keepWhere(probs: Float64Array, keep: (p: number) => boolean): Float64Array {
  const out = new Float64Array(probs.length);
  let sum = 0;
  for (let i = 0; i < probs.length; i++) if (keep(probs[i]!)) sum += out[i] = probs[i]!;
  for (let i = 0; i < probs.length; i++) out[i] = out[i]! / sum;
  return out;
}

/** All four transforms in order; returns `probs` itself when the sampling is plain. */
export function transform(probs: Float64Array, how: Sampling): Float64Array {
  let p = how.temperature === 1 ? probs : temperature(probs, how.temperature);
  p = topK(p, how.topK);
  p = topP(p, how.topP);
  return minP(p, how.minP);
}

/** Whether `how` leaves every distribution unchanged. */
export function isPlain(how: Sampling): boolean {
  return how.temperature === 1 && how.topK <= 0 && how.topP >= 1 && how.minP <= 0;
}
