import { describe, expect, it } from 'vitest';
import { coinFixedPoints, coinTemperature, coinTemperatureSlope, temperatureMap } from './temperature-map.ts';

describe('temperature map', () => {
  it('is p_i^{1/T} / Σ p_j^{1/T}', () => {
    const p = [0.1, 0.3, 0.6];
    for (const t of [0.25, 0.8, 1, 1.7, 5]) {
      const w = p.map((x) => x ** (1 / t));
      const z = w.reduce((a, x) => a + x, 0);
      Array.from(temperatureMap(p, t)).forEach((q, i) => expect(q).toBeCloseTo(w[i]! / z, 14));
    }
  });

  it('fixes 0, ½, 1 for every T and is the identity at T = 1', () => {
    for (const t of [0, 0.5, 1, 2]) for (const p of [0, 0.5, 1]) expect(coinTemperature(p, t)).toBeCloseTo(p, 15);
    for (const p of [0.01, 0.3, 0.77]) expect(coinTemperature(p, 1)).toBeCloseTo(p, 15);
  });

  it('has slope 1/T at ½ and matches a central difference elsewhere', () => {
    for (const t of [0.5, 0.8, 1.25, 3]) {
      expect(coinTemperatureSlope(0.5, t)).toBeCloseTo(1 / t, 12);
      for (const p of [0.05, 0.3, 0.9]) {
        const h = 1e-6;
        const fd = (coinTemperature(p + h, t) - coinTemperature(p - h, t)) / (2 * h);
        expect(coinTemperatureSlope(p, t)).toBeCloseTo(fd, 6);
      }
    }
  });

  it('T < 1: ½ unstable, 0 and 1 stable; T > 1 the reverse; T = 1 neutral', () => {
    const kinds = (t: number): string[] => coinFixedPoints(t).map((f) => f.stability);
    for (const t of [0, 0.5, 0.8]) expect(kinds(t)).toEqual(['stable', 'unstable', 'stable']);
    for (const t of [1.25, 2]) expect(kinds(t)).toEqual(['unstable', 'stable', 'unstable']);
    expect(kinds(1)).toEqual(['neutral', 'neutral', 'neutral']);
    expect(() => coinFixedPoints(-1)).toThrow(RangeError);
  });

  it('iterates to the stable points: mode-seeking below T = 1, to ½ above', () => {
    const orbit = (p: number, t: number): number => {
      for (let i = 0; i < 500; i++) p = coinTemperature(p, t);
      return p;
    };
    expect(orbit(0.51, 0.8)).toBeCloseTo(1, 12);
    expect(orbit(0.49, 0.8)).toBeCloseTo(0, 12);
    expect(orbit(0.01, 1.25)).toBeCloseTo(0.5, 12);
    expect(orbit(0.99, 1.25)).toBeCloseTo(0.5, 12);
  });
});
