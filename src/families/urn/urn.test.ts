// The policing urn against Pólya-urn theory and the mean-field flow of Ensign et al. 2018.
import { describe, expect, it } from 'vitest';
import { PLAIN } from '../../core/family.ts';
import { key } from '../../core/random.ts';
import { chiSquareTest, ksTest } from '../../core/goodness-of-fit.test-support.ts';
import { betaI, lnGamma } from '../../core/special.ts';
import { limitingShare, policingMatrix, replacementFixedPoints } from '../../theory/urn.ts';
import { meanSe, prepared, runSeeds } from '../../runner/harness.test-support.ts';
import { flat, urn } from './index.ts';

const finalShares = async (raw: object, seeds: number): Promise<number[]> => {
  const out: number[] = [];
  const G = (raw as { loop: { generations: number } }).loop.generations;
  await runSeeds(raw, seeds, (_, st) => st.generation === G && out.push(st.model.counts[0] / (st.model.counts[0] + st.model.counts[1])));
  return out;
};

describe('urn theory (pure)', () => {
  it('discovered incidents only: 0 unstable, 1 stable for the higher rate (runaway)', () => {
    const fp = replacementFixedPoints(policingMatrix([0.3, 0.2], 0));
    expect(fp.map((f) => [f.share, f.stability])).toEqual([[0, 'unstable'], [1, 'stable']]);
    expect(limitingShare([0.2, 0.3], 0, false)).toBe(0);
  });
  it('reports give an interior stable point, between the truth and runaway; correction gives the truth', () => {
    // R = [[0.45, 0.1], [0.15, 0.3]]: h(x) = −0.1x² − 0.15x + 0.15, root (−1.5 + √8.25)/2
    const x = limitingShare([0.3, 0.2], 0.5, false)!;
    expect(x).toBeCloseTo((-1.5 + Math.sqrt(8.25)) / 2, 12);
    expect(x).toBeGreaterThan(0.6);
    expect(limitingShare([0.3, 0.2], 0.5, true)).toBeCloseTo(0.6, 14);
  });
  it('equal rates, no reports: the Pólya case has no isolated fixed point', () => {
    expect(replacementFixedPoints([[1, 0], [0, 1]])).toEqual([]);
    expect(limitingShare([0.5, 0.5], 0, false)).toBeNull();
  });
  it('a general matrix: fixed point from the quadratic, stability from the slope', () => {
    // Friedman-type urn R = [[2, 1], [1, 2]]: balanced, h(x) = x·2 + (1 − x) − 3x = 1 − 2x, fixed point ½ stable
    expect(replacementFixedPoints([[2, 1], [1, 2]])).toEqual([{ share: 0.5, slope: -2, stability: 'stable' }]);
  });
});

describe('urn family against theory', () => {
  it('the standard urn (rates 1, prior a = 0.7, b = 1.3): the share after 300 draws is Beta(0.7, 1.3) by KS', async () => {
    // After N draws the share is (a + K)/(a + b + N) with K beta-binomial; its CDF is within
    // ~0.015 of the Beta limit at N = 300, far below the KS critical distance 1.95/√600 ≈ 0.08.
    const xs = await finalShares({ family: 'urn', init: { counts: [0.7, 1.3] }, model: { rates: [1, 1] }, loop: { generations: 300 }, seeds: 1 }, 600);
    expect(ksTest(xs, (x) => betaI(0.7, 1.3, x)).p).toBeGreaterThan(1e-3);
    expect(ksTest(xs, (x) => betaI(1, 1, x)).p).toBeLessThan(1e-3); // the test can tell laws apart
    // Exactly, after N = 300 draws the number K of colour-0 draws is beta-binomial:
    // P(K = k) = C(N, k) B(k + a, N − k + b)/B(a, b); chi-square against it (p > 1e-3).
    const N = 300;
    const lnB = (x: number, y: number): number => lnGamma(x) + lnGamma(y) - lnGamma(x + y);
    const pmf = Array.from({ length: N + 1 }, (_, k) => Math.exp(lnGamma(N + 1) - lnGamma(k + 1) - lnGamma(N - k + 1) + lnB(k + 0.7, N - k + 1.3) - lnB(0.7, 1.3)));
    const observed = new Array<number>(N + 1).fill(0);
    for (const x of xs) observed[Math.round(x * (2 + N) - 0.7)]!++;
    expect(chiSquareTest(observed, pmf).p).toBeGreaterThan(1e-3);
    const prep = await prepared({ family: 'urn', init: { counts: [0.7, 1.3] }, model: { rates: [1, 1] }, loop: {} });
    expect(prep.entry.theory!(prep.settings, [0])).toMatchObject({ share0BetaAlpha: 0.7, share0BetaBeta: 1.3, share0Limit: null, trueShare0: 0.5 });
  });
  it('c = 2 balls per incident from a = b = 1: the limit is Beta(a/c, b/c) = Beta(½, ½) (KS after 300 draws)', async () => {
    const raw = { family: 'urn', init: { counts: [1, 1] }, model: { rates: [1, 1], balls: 2 }, loop: { generations: 300 }, seeds: 1 };
    const xs = await finalShares(raw, 400);
    expect(ksTest(xs, (x) => betaI(0.5, 0.5, x)).p).toBeGreaterThan(1e-3);
    expect(ksTest(xs, (x) => betaI(1, 1, x)).p).toBeLessThan(1e-3);
    const prep = await prepared(raw);
    expect(prep.entry.theory!(prep.settings, [0])).toMatchObject({ share0BetaAlpha: 0.5, share0BetaBeta: 0.5 });
  });
  it('one round in expectation: E[add_j] = p_j λ_j + r λ_j, and λ_j(1 + r) when corrected (4 standard errors)', () => {
    const rates = [0.3, 0.2, 0.5];
    const n = 200_000;
    const model = { counts: [1, 2, 7] };
    for (const corrected of [false, true]) {
      const fam = urn({ prior: [0, 0, 0], rates, reported: 0.4, corrected, balls: 1 });
      const data = flat(fam.sample(model, n, PLAIN, key(corrected ? 1 : 2)));
      const p = [0.1, 0.2, 0.7];
      for (let j = 0; j < 3; j++) {
        const xs = Array.from({ length: n }, (_, i) => data.add[i * 3 + j]!);
        const { mean, se } = meanSe(xs);
        expect(Math.abs(mean - ((corrected ? 1 : p[j]!) * rates[j]! + 0.4 * rates[j]!))).toBeLessThan(4 * se);
      }
    }
  });
  it('attention is drawn from the belief through the sampling temperature: p^{1/T} renormalised', () => {
    const n = 100_000;
    const fam = urn({ prior: [0, 0], rates: [1, 1], reported: 0, corrected: false, balls: 1 });
    const data = flat(fam.sample({ counts: [1, 3] }, n, { ...PLAIN, temperature: 0.5 }, key(3)));
    const want = 1 / (1 + 9); // (¼)² / ((¼)² + (¾)²)
    const got = data.visit.reduce((s, v) => s + (v === 0 ? 1 : 0), 0) / n;
    expect(Math.abs(got - want)).toBeLessThan(4 * Math.sqrt((want * (1 - want)) / n));
  });
  it('runaway: with discovered incidents only, attention runs to the higher-rate region; corrected, it tracks the truth', async () => {
    const cfg = (corrected: boolean) => ({ family: 'urn', init: { counts: [1, 1] }, model: { rates: [0.3, 0.2], corrected }, loop: { generations: 100, samples: 10 }, seeds: 1 });
    const run = (await finalShares(cfg(false), 200)).sort((a, b) => a - b);
    // The true share is 0.6; after 1000 rounds runaway has pushed the median share to about
    // 0.85 (the median of 200 seeds has a standard error near 0.02, so 0.75 is 5 of them away).
    expect(run[100]!).toBeGreaterThan(0.75);
    // Corrected, every region gains λ_j per round in expectation whatever the belief, so
    // E[counts] = prior + 1000·λ exactly: 301 and 201.
    const counts: number[][] = [[], []];
    await runSeeds(cfg(true), 200, (_, st) => st.generation === 100 && st.model.counts.forEach((c: number, j: number) => counts[j]!.push(c)));
    [301, 201].forEach((want, j) => {
      const { mean, se } = meanSe(counts[j]!);
      expect(Math.abs(mean - want)).toBeLessThan(4 * se);
    });
  });
  it('bad input names the field and the fix', async () => {
    const bad = async (raw: object): Promise<string> => prepared(raw).then(() => 'accepted', (e: Error) => e.message);
    const ok = { family: 'urn', init: { counts: [1, 1] }, model: { rates: [0.3, 0.2] }, loop: {} };
    expect(await bad({ ...ok, model: { rates: [-0.1, 0.2] } })).toMatch(/model\.rates\.0.*\[0, 1\]/);
    expect(await bad({ ...ok, init: { counts: [1, 1, 1] } })).toMatch(/init\.counts.*2 regions/);
    expect(await bad({ ...ok, init: { counts: [0, 0] } })).toMatch(/init\.counts.*prior balls/);
    expect(await bad({ ...ok, reward: [1, 'x'] })).toMatch(/reward\.1/);
    expect(await bad(ok)).toBe('accepted');
  });
});
