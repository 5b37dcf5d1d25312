// Divergences between two distributions: probability vectors over the same outcomes, and 1-D Gaussians.
import { normalCdf } from '../core/special.ts';

/** KL(p ‖ q) in nats; Infinity when p puts mass where q has none. */
export function kl(p: ArrayLike<number>, q: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < p.length; i++) {
    if (p[i]! <= 0) continue;
    if (q[i]! <= 0) return Infinity;
    d += p[i]! * Math.log(p[i]! / q[i]!);
  }
  return Math.max(0, d);
}

/** Total variation distance ½ Σ |p_i − q_i|. */
export function tv(p: ArrayLike<number>, q: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < p.length; i++) d += Math.abs(p[i]! - q[i]!);
  return d / 2;
}

/**
 * Total variation between two 1-D Gaussians N(μ₁, v₁) and N(μ₂, v₂): the densities cross where
 * (v₁ − v₂)x² + 2(v₂μ₁ − v₁μ₂)x + v₁μ₂² − v₂μ₁² − v₁v₂·ln(v₁/v₂) = 0, and ½∫|f₁ − f₂| is the
 * mass difference between the crossings (one crossing, (μ₁ + μ₂)/2, when v₁ = v₂). A point mass
 * (v = 0) is at distance 1 from anything but itself.
 */
export function gaussianTv(m1: number, v1: number, m2: number, v2: number): number {
  if (v1 === 0 || v2 === 0) return v1 === v2 && m1 === m2 ? 0 : 1;
  const cdf = (x: number, m: number, v: number) => (x === Infinity ? 1 : x === -Infinity ? 0 : normalCdf((x - m) / Math.sqrt(v)));
  let lo: number;
  let hi: number;
  if (v1 === v2) {
    if (m1 === m2) return 0;
    [lo, hi] = m1 < m2 ? [-Infinity, (m1 + m2) / 2] : [(m1 + m2) / 2, Infinity];
  } else {
    const a = v1 - v2;
    const b = 2 * (v2 * m1 - v1 * m2);
    const c = v1 * m2 * m2 - v2 * m1 * m1 - v1 * v2 * Math.log(v1 / v2);
    const root = Math.sqrt(b * b - 4 * a * c);
    // The numerically stable pair of roots (no cancellation between −b and the root).
    const q = -0.5 * (b + Math.sign(b || 1) * root);
    [lo, hi] = [q / a, c / q].sort((x, y) => x - y) as [number, number];
  }
  return Math.abs(cdf(hi, m1, v1) - cdf(lo, m1, v1) - (cdf(hi, m2, v2) - cdf(lo, m2, v2)));
}
