// Claim 7's rules on curves whose answer is known: a rise and a fall, a flat curve, an earlier
// collapse, a higher end; and the noise across seeds that makes a small difference inconclusive.
import { describe, expect, it } from 'vitest';
import { at, collapseTime, endsHigher, peakWindow, riseAndFall, sooner, windowMean, type Curve } from './trajectory.ts';

const G = 40;
/** A seed's curve f(g) for g = 0 … horizon (or fewer: a seed that stopped). */
const curve = (f: (g: number) => number, horizon = G): Curve => ({ generations: Array.from({ length: horizon + 1 }, (_, g) => g), values: Array.from({ length: horizon + 1 }, (_, g) => f(g)) });
/** Three seeds, each offset by a small amount (the variation across seeds). */
const seeds = (f: (g: number) => number, spread = 0.1) => [-1, 0, 1].map((d) => curve((g) => f(g) + d * spread));

describe('windows over a seed', () => {
  it('average the last value of a stopped seed forward', () => {
    const c = curve((g) => g, 5); // stopped at generation 5
    expect(at(c, 3)).toBe(3);
    expect(at(c, 9)).toBe(5);
    expect(windowMean(c, 4, 4)).toBe((4 + 5 + 5 + 5) / 4);
  });
  it('peak where the mean over seeds is largest', () => {
    expect(peakWindow(seeds((g) => -((g - 12.5) ** 2)), G, 4)).toBe(11); // the window 11–14 is centred on 12.5
  });
});

describe('7a: rise, fall, repetition', () => {
  const rep = seeds((g) => g / G, 0.01);
  it('holds for a curve that rises for 12 generations and then falls, with repetition growing', () => {
    const r = riseAndFall(seeds((g) => 100 + 20 * Math.sin((Math.PI * g) / 24) - (g > 24 ? (g - 24) * 3 : 0)), rep, G, 4);
    expect(r.test.verdict).toBe('holds');
    expect(r.peak).toBeGreaterThan(8);
    expect(r.peak).toBeLessThan(16);
  });
  it('does not hold for a curve that only falls (the peak is generation 1, below generation 0)', () => {
    expect(riseAndFall(seeds((g) => 100 - g), rep, G, 4).test.verdict).toBe('does not hold');
  });
  it('is inconclusive when the rise is small beside the variation across seeds', () => {
    // Seeds differ by ±5 after generation 0 (a shared base starts them equal): a rise of 1 is within that.
    const noisy = [-1, 0, 1].map((d) => curve((g) => 100 + (g > 0 ? 5 * d : 0) + (g > 0 && g < 20 ? 1 : g >= 20 ? -20 : 0)));
    const r = riseAndFall(noisy, rep, G, 4);
    expect(r.test.verdict).toBe('inconclusive');
  });
});

describe('7b and 7c', () => {
  it('collapse time: the first generation at half the entropy, or the horizon + 1', () => {
    expect(collapseTime(curve((g) => 100 - 10 * g), G)).toBe(5);
    expect(collapseTime(curve(() => 100), G)).toBe(G + 1);
  });
  it('T < 1 collapses sooner when it halves earlier in every seed', () => {
    const cold = [4, 5, 6].map((t) => curve((g) => (g < t ? 100 : 10)));
    expect(sooner(cold, seeds(() => 100), G).test.verdict).toBe('holds');
    expect(sooner(seeds(() => 100), cold, G).test.verdict).toBe('does not hold');
  });
  it('T > 1 ends higher than T = 1 and than its own start', () => {
    expect(endsHigher(seeds((g) => 150 + g), seeds((g) => 100 - g), G, 4).test.verdict).toBe('holds');
    expect(endsHigher(seeds((g) => 150 - g), seeds((g) => 100 - 2 * g), G, 4).test.verdict).toBe('does not hold'); // higher than T = 1, but below its own start
  });
});
