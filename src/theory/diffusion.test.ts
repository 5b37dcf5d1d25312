// Each diffusion approximation against the exact chain, with the size of error the
// approximation is known to make; the exact closed forms are tested in coin-chain.test.ts.
import { describe, expect, it } from 'vitest';
import { coinChain, fixationProbability, meanAbsorption, shareMoments, stationary } from './coin-chain.ts';
import { groundedVariance, kimuraOhta, littler, weakTemperatureDiffusion } from './diffusion.ts';

describe('Kimura–Ohta mean absorption time', () => {
  it('is 2n ln 2 at p = ½ and symmetric in p', () => {
    expect(kimuraOhta(0.5, 100)).toBeCloseTo(200 * Math.LN2, 12);
    expect(kimuraOhta(0.2, 50)).toBeCloseTo(kimuraOhta(0.8, 50), 12);
    expect(kimuraOhta(0, 50)).toBeCloseTo(0, 15);
  });

  it('is within 1 + ln n generations of the exact chain, a relative error that shrinks with n', () => {
    // The diffusion overestimates by an absolute amount growing like ln n (measured: 1.6–3.0
    // generations for n = 100–1600), so the relative error falls roughly like ln n / n.
    let previous = Infinity;
    for (const n of [100, 400, 1600]) {
      for (const p of [0.5, 0.1]) {
        const exact = meanAbsorption(coinChain({ samples: n, temperature: 1, realFraction: 0, start: p }));
        const approx = kimuraOhta(p, n);
        expect(approx).toBeGreaterThan(exact);
        expect(approx - exact).toBeLessThan(1 + Math.log(n));
        if (p === 0.5) {
          const rel = (approx - exact) / exact;
          expect(rel).toBeLessThan(previous / 2);
          previous = rel;
        }
      }
    }
  });
});

describe('Littler', () => {
  it('reduces to Kimura–Ohta for two outcomes and grows with the number of outcomes', () => {
    expect(littler([0.3, 0.7], 40)).toBeCloseTo(kimuraOhta(0.3, 40), 12);
    expect(littler([0.25, 0.25, 0.25, 0.25], 40)).toBeGreaterThan(littler([0.5, 0.5], 40));
    // Uniform over k: −2n(k − 1) ln(1 − 1/k) = 2n(1 − 1/(2k) + O(1/k²)) → 2n as k → ∞.
    expect(littler(new Array(1000).fill(0.001), 10) / 20).toBeCloseTo(1 - 1 / 2000, 6);
  });
});

describe('grounded stationary variance', () => {
  it('equals the exact chain at T = 1 when λn is whole, and is close when the loop rounds it', () => {
    const c = coinChain({ samples: 100, temperature: 1, realFraction: 0.1, start: 0.3 });
    expect(shareMoments(stationary(c)).variance / groundedVariance(0.3, 100, 0.1)).toBeCloseTo(1, 10);
    // λn = 10.4 → 10 real flips: the formula at the nominal λ is off by about the rounding.
    const r = coinChain({ samples: 104, temperature: 1, realFraction: 0.1, start: 0.3 });
    const exact = shareMoments(stationary(r)).variance;
    expect(exact / groundedVariance(0.3, 104, r.nReal / 104)).toBeCloseTo(1, 10);
    expect(Math.abs(exact / groundedVariance(0.3, 104, 0.1) - 1)).toBeLessThan(0.05);
  });
});

describe('weak-temperature diffusion', () => {
  it('is Kimura–Ohta and p₀ at T = 1', () => {
    for (const [n, p] of [[20, 0.5], [100, 0.3], [1000, 0.05]] as const) {
      const d = weakTemperatureDiffusion(p, n, 1);
      expect(d.meanAbsorption / kimuraOhta(p, n)).toBeCloseTo(1, 4);
      expect(d.fixationProbability).toBeCloseTo(p, 4);
    }
  });

  it('approaches the exact chain as T → 1 with n(1/T − 1) held near 5', () => {
    // Its error is first order in ε = 1/T − 1 (the drift is linearised), so a tenfold smaller
    // ε at the same nε must shrink the relative error of the time at least fivefold.
    const err = (n: number, t: number, p: number): { time: number; fix: number } => {
      const c = coinChain({ samples: n, temperature: t, realFraction: 0, start: p });
      const d = weakTemperatureDiffusion(p, n, t);
      return { time: Math.abs(d.meanAbsorption / meanAbsorption(c) - 1), fix: Math.abs(d.fixationProbability - fixationProbability(c)) };
    };
    const coarse = err(100, 0.95, 0.55);
    const fine = err(1000, 0.995, 0.505);
    expect(fine.time).toBeLessThan(coarse.time / 5);
    expect(fine.time).toBeLessThan(0.01);
    expect(fine.fix).toBeLessThan(0.002);
    expect(coarse.fix).toBeLessThan(0.01);
  });

  it('pushes fixation toward the majority for T < 1 and toward ½ for T > 1', () => {
    expect(weakTemperatureDiffusion(0.6, 50, 0.9).fixationProbability).toBeGreaterThan(0.6);
    const hot = weakTemperatureDiffusion(0.6, 50, 1.1).fixationProbability;
    expect(hot).toBeLessThan(0.6);
    expect(hot).toBeGreaterThan(0.5);
  });
});
