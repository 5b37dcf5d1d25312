// The verdict rules of claim 7, over the per-seed curves of a model fed its own samples. Each
// rule compares a per-seed quantity across seeds (mean ± sd/√seeds, the 3-se rule of
// verdict.ts), so the verdict carries the variation from model to model and not only the Monte
// Carlo error of one probe. Stated in docs/reproduce.md before the full run:
//
//   Window means W_s(g) average a seed's metric over generations g … g + w − 1 (a seed that
//   stopped keeps its last value: its collapse is absorbing), which damps the probe's noise
//   before the peak is picked. The peak g* is the window start, g ≥ 1, with the largest mean
//   over seeds of W_s(g).
//   7a rise:       W_s(g*) − H_s(0) > 0         (entropy rises above generation 0)
//      fall:       W_s(g*) − W_s(last) > 0      (and then falls below its peak)
//      repetition: R_s(last) − R_s(0) > 0       (repetition appears)
//   7b sooner:     τ_s = first generation whose entropy is at most half of generation 0's
//                  (the horizon + 1 if none); mean τ at T < 1 below mean τ at T = 1
//   7c higher:     W_s(last) at T > 1 above W_s(last) at T = 1, and above its own H_s(0)
import { combine, greater, meanOf, type Measure, type Test } from './verdict.ts';

/** One seed's recorded metric values by generation (generation 0 first, increasing). */
export interface Curve {
  readonly generations: readonly number[];
  readonly values: readonly number[];
}

/** The value at generation g: the last recorded at or before it (a stopped seed keeps its last state). */
export function at(c: Curve, g: number): number {
  let v = NaN;
  for (let i = 0; i < c.generations.length && c.generations[i]! <= g; i++) v = c.values[i]!;
  return v;
}

/** The mean of c over generations g … g + w − 1. */
export function windowMean(c: Curve, g: number, w: number): number {
  let s = 0;
  for (let k = 0; k < w; k++) s += at(c, g + k);
  return s / w;
}

/** Start of the last window of a horizon of `horizon` generations. */
export const lastWindow = (horizon: number, w: number): number => Math.max(1, horizon - w + 1);

/** The window start g ≥ 1 whose mean over seeds is largest (the first such, in a tie). */
export function peakWindow(curves: readonly Curve[], horizon: number, w: number): number {
  let best = 1;
  let bestValue = -Infinity;
  for (let g = 1; g <= lastWindow(horizon, w); g++) {
    const v = curves.reduce((s, c) => s + windowMean(c, g, w), 0) / curves.length;
    if (v > bestValue) [best, bestValue] = [g, v];
  }
  return best;
}

/** Mean ± se over seeds of f(seed). */
const across = (curves: readonly Curve[], f: (c: Curve, i: number) => number): Measure => meanOf(curves.map(f));

const ZERO: Measure = { value: 0, se: 0 };

export interface RiseAndFall {
  readonly peak: number;
  readonly start: Measure;
  readonly atPeak: Measure;
  readonly atEnd: Measure;
  readonly repetitionStart: Measure;
  readonly repetitionEnd: Measure;
  readonly test: Test;
}

/** 7a: entropy rises above generation 0, falls below its peak, and repetition appears (per-seed differences, 3 se across seeds). */
export function riseAndFall(entropy: readonly Curve[], repetition: readonly Curve[], horizon: number, w: number): RiseAndFall {
  const peak = peakWindow(entropy, horizon, w);
  const end = lastWindow(horizon, w);
  const rise = across(entropy, (c) => windowMean(c, peak, w) - at(c, 0));
  const fall = across(entropy, (c) => windowMean(c, peak, w) - windowMean(c, end, w));
  const rep = across(repetition, (c) => windowMean(c, end, w) - at(c, 0));
  return {
    peak,
    start: across(entropy, (c) => at(c, 0)),
    atPeak: across(entropy, (c) => windowMean(c, peak, w)),
    atEnd: across(entropy, (c) => windowMean(c, end, w)),
    repetitionStart: across(repetition, (c) => at(c, 0)),
    repetitionEnd: across(repetition, (c) => windowMean(c, end, w)),
    test: combine([greater(rise, ZERO, `rise (peak window at generation ${peak} − generation 0)`), greater(fall, ZERO, 'fall (peak window − last window)'), greater(rep, ZERO, 'repetition (last window − generation 0)')]),
  };
}

/** The first generation ≥ 1 whose value is at most `fraction` of generation 0's; horizon + 1 when none is. */
export function collapseTime(c: Curve, horizon: number, fraction = 0.5): number {
  const limit = fraction * at(c, 0);
  for (let g = 1; g <= horizon; g++) if (at(c, g) <= limit) return g;
  return horizon + 1;
}

/** 7b: the mean collapse time at T < 1 is below that at T = 1 (3 se of the difference). */
export function sooner(cold: readonly Curve[], plain: readonly Curve[], horizon: number): { cold: Measure; plain: Measure; test: Test } {
  const tc = across(cold, (c) => collapseTime(c, horizon));
  const tp = across(plain, (c) => collapseTime(c, horizon));
  return { cold: tc, plain: tp, test: greater(tp, tc, 'generations to half the entropy, T = 1 − T < 1') };
}

/** 7c: the last window at T > 1 is above T = 1's, and above its own generation 0. */
export function endsHigher(hot: readonly Curve[], plain: readonly Curve[], horizon: number, w: number): { hot: Measure; plain: Measure; hotStart: Measure; test: Test } {
  const end = lastWindow(horizon, w);
  const hot2 = across(hot, (c) => windowMean(c, end, w));
  const plain2 = across(plain, (c) => windowMean(c, end, w));
  const drift = across(hot, (c) => windowMean(c, end, w) - at(c, 0));
  return {
    hot: hot2,
    plain: plain2,
    hotStart: across(hot, (c) => at(c, 0)),
    test: combine([greater(hot2, plain2, 'last window, T > 1 − T = 1'), greater(drift, ZERO, 'T > 1: last window − generation 0')]),
  };
}
