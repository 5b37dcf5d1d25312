// Curation by reward in the large-sample limit (Ferbach et al., "Self-Consuming Generative
// Models with Curated Data Provably Optimize Human Preferences", 2024): keeping the best
// fraction f of a sample by reward maps the model to the top-f part of itself, renormalised.
// Iterated, the expected reward climbs and the diversity falls to the reward's maximisers.
import { normalCdf } from '../core/special.ts';

/**
 * Categorical, keepTop fraction f by a per-outcome reward, n → ∞: outcomes in decreasing
 * reward keep all their mass until f is filled; the boundary outcome (tied outcomes share
 * it in proportion to their mass) keeps the rest; the kept mass is renormalised by f.
 */
export function keepTopCategorical(p: readonly number[], reward: readonly number[], f: number): number[] {
  const levels = [...new Set(reward)].sort((a, b) => b - a);
  const out = new Array<number>(p.length).fill(0);
  let left = f;
  for (const r of levels) {
    const idx = p.map((_, i) => i).filter((i) => reward[i] === r);
    const mass = idx.reduce((s, i) => s + p[i]!, 0);
    const share = mass === 0 ? 0 : Math.min(1, left / mass);
    for (const i of idx) out[i] = (p[i]! * share) / f;
    left -= Math.min(left, mass);
  }
  return out;
}

const phi = (z: number): number => Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);

/**
 * 1-D Gaussian N(μ, σ²), keepTop fraction f by reward −(x − c)², n → ∞: what is kept is the
 * normal truncated to [c − q, c + q] with mass f (q by bisection), whose mean and variance are
 * μ + σ(φ(a) − φ(b))/Z and σ²[1 + (aφ(a) − bφ(b))/Z − ((φ(a) − φ(b))/Z)²] with a, b the
 * standardised ends and Z = Φ(b) − Φ(a) = f (Johnson, Kotz & Balakrishnan, vol. 1, §10.1).
 */
export function keepTopGaussian(mean: number, variance: number, target: number, f: number): { mean: number; variance: number } {
  const sd = Math.sqrt(variance);
  const mass = (q: number): number => normalCdf((target + q - mean) / sd) - normalCdf((target - q - mean) / sd);
  let lo = 0;
  let hi = Math.abs(target - mean) + 40 * sd;
  for (let i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (mass(mid) < f) lo = mid;
    else hi = mid;
  }
  const q = (lo + hi) / 2;
  const a = (target - q - mean) / sd;
  const b = (target + q - mean) / sd;
  const z = normalCdf(b) - normalCdf(a);
  const d = (phi(a) - phi(b)) / z;
  return { mean: mean + sd * d, variance: variance * (1 + (a * phi(a) - b * phi(b)) / z - d * d) };
}
