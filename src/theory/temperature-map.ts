// The temperature map τ_T(p)_i = p_i^{1/T} / Σ_j p_j^{1/T} as a dynamical system on the
// coin's share p of outcome 0: its fixed points and their stability. This is the
// deterministic skeleton of the loop (the n → ∞ limit): T < 1 is mode-seeking (p > ½ pushed
// up, p < ½ down; Ensign 2021), T > 1 pulls every interior share to ½.
import { temperature } from '../core/transforms.ts';

/** τ_T(p) for a probability vector (T = 0: argmax with ties split evenly); reuses core's transform. */
export function temperatureMap(probs: ArrayLike<number>, t: number): Float64Array {
  return temperature(probs, t);
}

/** τ_T applied to the coin: the share of outcome 0 after temperature T, given share p. */
export function coinTemperature(p: number, t: number): number {
  return temperature([p, 1 - p], t)[0]!;
}

/**
 * dτ_T/dp for the coin with a = 1/T: a·p^{a−1}(1−p)^{a−1} / (p^a + (1−p)^a)², so 1/T at
 * p = ½; at p = 0 (and 1, by symmetry) it is 0 for T < 1, 1 for T = 1 and +∞ for T > 1.
 */
export function coinTemperatureSlope(p: number, t: number): number {
  if (!(t > 0)) throw new RangeError(`coinTemperatureSlope: T must be > 0, got ${t}`);
  const a = 1 / t;
  if (p === 0 || p === 1) return a > 1 ? 0 : a === 1 ? 1 : Infinity;
  const x = Math.pow(p, a);
  const y = Math.pow(1 - p, a);
  return (a * (x / p) * (y / (1 - p))) / ((x + y) * (x + y));
}

export type Stability = 'stable' | 'unstable' | 'neutral';

/** A fixed point p* = τ_T(p*) of the coin map with its slope there and what the slope implies. */
export interface FixedPoint {
  readonly p: number;
  readonly slope: number;
  readonly stability: Stability;
}

/**
 * The fixed points 0, ½, 1 of the coin map under temperature T ≥ 0, with their stability:
 * T < 1 (and T = 0, a step map of slope 0 off ½): 0 and 1 stable, ½ unstable; T > 1 the
 * reverse. At T = 1 every share is fixed (the map is the identity): all are neutral, and
 * drift alone decides, as a martingale.
 */
export function coinFixedPoints(t: number): FixedPoint[] {
  if (!(t >= 0)) throw new RangeError(`coinFixedPoints: T must be ≥ 0, got ${t}`);
  const slope = (p: number): number => (t === 0 ? (p === 0.5 ? Infinity : 0) : coinTemperatureSlope(p, t));
  return [0, 0.5, 1].map((p) => {
    const s = slope(p);
    const stability: Stability = s === 1 ? 'neutral' : s < 1 ? 'stable' : 'unstable';
    return { p, slope: s, stability };
  });
}
