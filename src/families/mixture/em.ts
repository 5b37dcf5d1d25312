// Expectation–maximisation for a 1-D Gaussian mixture (Dempster, Laird & Rubin 1977), started
// from k-means++ seeds (Arthur & Vassilvitskii 2007) drawn with the caller's key.
import { Rng, type Key } from '../../core/random.ts';
import type { MixtureModel } from './index.ts';

/**
 * Component variances are floored at 1e-10 of the data's variance: without a floor, a component
 * sitting on one point has unbounded likelihood (the known degeneracy of mixture ML).
 */
const FLOOR = 1e-10;

/** A k-component mixture fitted to `x` by EM from seeded starts; components sorted by mean. Uses `key` for the seeds. */
export function em(x: Float64Array, k: number, iterations: number, tolerance: number, key: Key): MixtureModel {
  const n = x.length;
  let mean = 0;
  for (const v of x) mean += v;
  mean /= n;
  let total = 0;
  for (const v of x) total += (v - mean) ** 2;
  total /= n;
  if (!(total > 0)) return sorted({ weights: [1, ...new Array<number>(k - 1).fill(0)], means: new Array<number>(k).fill(x[0]!), variances: new Array<number>(k).fill(0) });
  const floor = FLOOR * total;
  const w = new Float64Array(k).fill(1 / k);
  const mu = seeds(x, k, new Rng(key));
  const v = new Float64Array(k).fill(total);
  const resp = new Float64Array(n * k);
  let prev = -Infinity;
  for (let it = 0; it < iterations; it++) {
    // E step, in log space: r_ij ∝ w_j N(x_i; μ_j, v_j)
    let ll = 0;
    for (let i = 0; i < n; i++) {
      let max = -Infinity;
      for (let j = 0; j < k; j++) {
        const l = w[j]! > 0 ? Math.log(w[j]!) - 0.5 * Math.log(2 * Math.PI * v[j]!) - (x[i]! - mu[j]!) ** 2 / (2 * v[j]!) : -Infinity;
        resp[i * k + j] = l;
        if (l > max) max = l;
      }
      let s = 0;
      for (let j = 0; j < k; j++) s += resp[i * k + j] = Math.exp(resp[i * k + j]! - max);
      for (let j = 0; j < k; j++) resp[i * k + j] = resp[i * k + j]! / s;
      ll += max + Math.log(s);
    }
    // M step; a component with no responsibility keeps its mean and variance at weight 0
    for (let j = 0; j < k; j++) {
      let r = 0;
      let m = 0;
      for (let i = 0; i < n; i++) (r += resp[i * k + j]!), (m += resp[i * k + j]! * x[i]!);
      if (r === 0) {
        w[j] = 0;
        continue;
      }
      m /= r;
      let s = 0;
      for (let i = 0; i < n; i++) s += resp[i * k + j]! * (x[i]! - m) ** 2;
      w[j] = r / n;
      mu[j] = m;
      v[j] = Math.max(floor, s / r);
    }
    if (ll / n - prev < tolerance) break;
    prev = ll / n;
  }
  return sorted({ weights: Array.from(w), means: Array.from(mu), variances: Array.from(v) });
}

// k-means++: the first seed uniformly, each next with probability ∝ squared distance to the nearest seed.
function seeds(x: Float64Array, k: number, rng: Rng): Float64Array {
  const out = new Float64Array(k);
  out[0] = x[rng.int(x.length)]!;
  const d2 = Float64Array.from(x, (v) => (v - out[0]!) ** 2);
  for (let j = 1; j < k; j++) {
    let sum = 0;
    for (const d of d2) sum += d;
    let pick = 0;
    if (sum > 0) {
      let u = rng.float() * sum;
      while (pick < x.length - 1 && u >= d2[pick]!) u -= d2[pick++]!;
    } else pick = rng.int(x.length);
    out[j] = x[pick]!;
    for (let i = 0; i < x.length; i++) d2[i] = Math.min(d2[i]!, (x[i]! - out[j]!) ** 2);
  }
  return out;
}

function sorted(m: MixtureModel): MixtureModel {
  const order = m.means.map((_, i) => i).sort((a, b) => m.means[a]! - m.means[b]!);
  return { weights: order.map((i) => m.weights[i]!), means: order.map((i) => m.means[i]!), variances: order.map((i) => m.variances[i]!) };
}
