// Pólya urns and predictive policing (Ensign, Friedler, Neville, Scheidegger &
// Venkatasubramanian, "Runaway Feedback Loops in Predictive Policing", FAT* 2018). A belief
// over regions is an urn of balls; each round attention goes to a region drawn in proportion to
// its balls, and what is found there adds balls. Results used here:
// - the standard urn (draw a colour, return it with c more of it), started from a and b balls,
//   has a share of colour 0 that converges almost surely to a Beta(a/c, b/c) random variable
//   (Eggenberger & Pólya 1923; Mahmoud, "Pólya Urn Models", 2008, Thm 3.2);
// - a 2-colour urn with mean replacement matrix R (R[i][j] = expected balls of colour j added
//   when colour i is drawn) follows the mean-field flow dx/dt = h(x) with
//   h(x) = x·R00 + (1 − x)·R10 − x·[x·s0 + (1 − x)·s1], s_i = R[i][0] + R[i][1]; the share
//   converges to a stable zero of h (stochastic approximation; Pemantle, "A survey of random
//   processes with reinforcement", 2007, §2.4);
// - policing with discovered incidents only is R = diag(λ0, λ1): h(x) = (λ0 − λ1)·x(1 − x), so
//   the region with the higher rate takes all attention (runaway), whatever the rates' ratio.

/** The Beta law of the standard urn's limiting share of colour 0: Beta(a/c, b/c). */
export function polyaLimit(a: number, b: number, c = 1): { alpha: number; beta: number } {
  if (!(a > 0 && b > 0 && c > 0)) throw new RangeError(`polyaLimit: a, b, c must be > 0, got ${a}, ${b}, ${c}`);
  return { alpha: a / c, beta: b / c };
}

export type UrnStability = 'stable' | 'unstable' | 'neutral';

/** A zero x* of the mean-field flow in [0, 1] with its slope h′(x*) and stability. */
export interface UrnFixedPoint {
  readonly share: number;
  readonly slope: number;
  readonly stability: UrnStability;
}

/** h(x) = A x² + B x + C for the mean replacement matrix R (2×2, rows = colour drawn). */
function flowCoefficients(r: readonly (readonly number[])[]): [number, number, number] {
  const s0 = r[0]![0]! + r[0]![1]!;
  const s1 = r[1]![0]! + r[1]![1]!;
  return [s1 - s0, r[0]![0]! - r[1]![0]! - s1, r[1]![0]!];
}

/**
 * The fixed points in [0, 1] of the share of colour 0 under mean replacement matrix R, with
 * their stability (h′ < 0 stable). When h ≡ 0 (a balanced urn that adds only the drawn colour,
 * equally for both: the Pólya urn) every share is a fixed point; this returns [] and the limit is
 * random (polyaLimit).
 */
export function replacementFixedPoints(r: readonly (readonly number[])[]): UrnFixedPoint[] {
  const [A, B, C] = flowCoefficients(r);
  const scale = Math.max(Math.abs(A), Math.abs(B), Math.abs(C));
  if (scale === 0) return [];
  const eps = 1e-12 * scale;
  let roots: number[];
  if (Math.abs(A) <= eps) roots = Math.abs(B) <= eps ? [] : [-C / B];
  else {
    const disc = B * B - 4 * A * C;
    if (disc < 0) roots = [];
    else {
      // the stable form of the quadratic formula (no cancellation)
      const q = -0.5 * (B + Math.sign(B || 1) * Math.sqrt(disc));
      roots = q === 0 ? [0] : [q / A, C / q];
    }
  }
  const inRange = roots.map((x) => (Math.abs(x) < 1e-12 ? 0 : Math.abs(x - 1) < 1e-12 ? 1 : x)).filter((x) => x >= 0 && x <= 1);
  return [...new Set(inRange)]
    .sort((a, b) => a - b)
    .map((share) => {
      const slope = 2 * A * share + B;
      return { share, slope, stability: Math.abs(slope) <= eps ? 'neutral' : slope < 0 ? 'stable' : 'unstable' };
    });
}

/**
 * The policing urn's mean replacement matrix: a visit to region i discovers an incident with
 * probability λ_i; each round, region j also reports an incident with probability r·λ_j,
 * wherever attention went. R[i][j] = δ_ij·λ_i + r·λ_j.
 */
export function policingMatrix(rates: readonly number[], reported: number): number[][] {
  return rates.map((_, i) => rates.map((lj, j) => (i === j ? rates[i]! : 0) + reported * lj));
}

/** Each region's true share of incidents, λ_i / Σλ: where the corrected update converges. */
export function trueShares(rates: readonly number[]): number[] {
  const s = rates.reduce((a, b) => a + b, 0);
  return rates.map((l) => l / s);
}

/**
 * Where attention goes in the long run for 2 regions: the stable fixed point of the flow, the
 * true share when discoveries are weighted by 1/P(looked) (every region then gains λ_i per round
 * in expectation, whatever the belief), or null when the limit is random (the Pólya case).
 */
export function limitingShare(rates: readonly [number, number], reported: number, corrected: boolean): number | null {
  if (corrected) return trueShares(rates)[0]!;
  const stable = replacementFixedPoints(policingMatrix(rates, reported)).filter((f) => f.stability === 'stable');
  return stable.length === 1 ? stable[0]!.share : null;
}
