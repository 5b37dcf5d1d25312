// The gaussian family against Shumailov et al. (Nature 2024) and the Wishart laws. Seeds are
// independent, so each expectation is checked within 4 standard errors of the seed mean.
import { describe, expect, it } from 'vitest';
import { PLAIN } from '../../core/family.ts';
import { key } from '../../core/random.ts';
import { expectedLogDetChange, expectedLogVarianceChange, medianVarianceRatio } from '../../theory/gaussian.ts';
import { fitMoments, gaussian, sampleGaussian } from './family.ts';
import { meanSe, prepared, runSeeds } from '../../runner/harness.test-support.ts';

const base = { family: 'gaussian', init: { mean: [0], cov: [[1]] }, seeds: 1, loop: {} };

describe('gaussian family contract', () => {
  const m = { mean: [1, -1], cov: [[2, 0.5], [0.5, 1]] };
  const fam = gaussian({ variance: 'unbiased', finetuneKeep: 0 }, m);
  it('same key, same draw; different key, different draw; JSON round-trip', () => {
    expect(sampleGaussian(m, 5, PLAIN, key(1)).x).toEqual(sampleGaussian(m, 5, PLAIN, key(1)).x);
    expect(sampleGaussian(m, 5, PLAIN, key(1)).x).not.toEqual(sampleGaussian(m, 5, PLAIN, key(2)).x);
    const fitted = fam.fit(sampleGaussian(m, 50, PLAIN, key(3)), { key: key(0) });
    expect(JSON.parse(JSON.stringify(fitted))).toEqual(fitted);
  });
  it('fit(sample(m)) ≈ m for large n (4 standard errors of each moment)', () => {
    const n = 200_000;
    const f = fitMoments(sampleGaussian(m, n, PLAIN, key(4)), 'unbiased');
    // se of a mean: √(Σ_ii/n); of a covariance entry: √((Σ_ii Σ_jj + Σ_ij²)/n)
    f.mean.forEach((x, i) => expect(Math.abs(x - m.mean[i]!)).toBeLessThan(4 * Math.sqrt(m.cov[i]![i]! / n)));
    f.cov.forEach((row, i) => row.forEach((x, j) => expect(Math.abs(x - m.cov[i]![j]!)).toBeLessThan(4 * Math.sqrt((m.cov[i]![i]! * m.cov[j]![j]! + m.cov[i]![j]! ** 2) / n))));
  });
  it('temperature T draws from N(μ, TΣ); T = 0 gives the mean', () => {
    const n = 100_000;
    const f = fitMoments(sampleGaussian({ mean: [0], cov: [[1]] }, n, { ...PLAIN, temperature: 2 }, key(5)), 'unbiased');
    expect(Math.abs(f.cov[0]![0]! - 2)).toBeLessThan(4 * Math.sqrt((2 * 4) / n));
    expect(sampleGaussian(m, 3, { ...PLAIN, temperature: 0 }, key(6)).x).toEqual(Float64Array.of(1, -1, 1, -1, 1, -1));
  });
  it('fine-tuning averages parameters with the previous model: θ′ = m·θ_prev + (1 − m)·θ̂', () => {
    const data = sampleGaussian(m, 50, PLAIN, key(9));
    const fresh = fitMoments(data, 'unbiased');
    const tuned = gaussian({ variance: 'unbiased', finetuneKeep: 0.25 }, m).fit(data, { key: key(0), from: m });
    tuned.mean.forEach((x, i) => expect(x).toBeCloseTo(0.25 * m.mean[i]! + 0.75 * fresh.mean[i]!, 14));
    tuned.cov.forEach((row, i) => row.forEach((x, j) => expect(x).toBeCloseTo(0.25 * m.cov[i]![j]! + 0.75 * fresh.cov[i]![j]!, 14)));
  });
  it('log-likelihood is the normal density', () => {
    const ll = fam.logLikelihood!(m, { dim: 2, x: Float64Array.of(1, -1) });
    const det = 2 * 1 - 0.25;
    expect(ll[0]).toBeCloseTo(-Math.log(2 * Math.PI) - 0.5 * Math.log(det), 12);
  });
});

describe('gaussian refits against theory', () => {
  it('unbiased: E[ln σ²_t] = t[ψ((n−1)/2) − ln((n−1)/2)], E[σ²_t] = σ²_0, median σ²_t (Cornish–Fisher)', async () => {
    const n = 10;
    const G = 30;
    const seeds = 2000;
    const logV: number[][] = Array.from({ length: G + 1 }, () => []);
    const v: number[][] = Array.from({ length: G + 1 }, () => []);
    await runSeeds({ ...base, loop: { generations: G, samples: n } }, seeds, (_, st) => {
      logV[st.generation]!.push(Math.log(st.model.cov[0][0]));
      v[st.generation]!.push(st.model.cov[0][0]);
    });
    for (const t of [1, 5, 30]) {
      const { mean, se } = meanSe(logV[t]!);
      expect(Math.abs(mean - expectedLogVarianceChange(Array(t).fill(n), 'unbiased'))).toBeLessThan(4 * se);
    }
    // E[σ²_t] = 1 at t = 5 (at t = 30 the mean is dominated by rare large values; its se is unreliable)
    const v5 = meanSe(v[5]!);
    expect(Math.abs(v5.mean - 1)).toBeLessThan(4 * v5.se);
    // median: the sample median of 2000 draws has se ≈ 1/(2 f(m)√N); for ln σ² (nearly normal, sd s) that is s·√(π/2)/√N
    const sorted = [...logV[30]!].sort((a, b) => a - b);
    const med = (sorted[999]! + sorted[1000]!) / 2;
    const sd = Math.sqrt(logV[30]!.reduce((a, b) => a + (b - meanSe(logV[30]!).mean) ** 2, 0) / seeds);
    expect(Math.abs(med - Math.log(medianVarianceRatio(Array(30).fill(n), 'unbiased')))).toBeLessThan((4 * sd * Math.sqrt(Math.PI / 2)) / Math.sqrt(seeds));
    // the collapse is real: the typical variance has fallen far below the constant mean
    expect(medianVarianceRatio(Array(30).fill(n), 'unbiased')).toBeLessThan(0.05);
  });
  it('ml: E[σ²_t] = σ²_0 ((n−1)/n)^t', async () => {
    const n = 20;
    const v: number[] = [];
    await runSeeds({ ...base, model: { variance: 'ml' }, loop: { generations: 10, samples: n } }, 2000, (_, st) => st.generation === 10 && v.push(st.model.cov[0][0]));
    const { mean, se } = meanSe(v);
    expect(Math.abs(mean - ((n - 1) / n) ** 10)).toBeLessThan(4 * se);
  });
  it('d = 3: E[ln det Σ_t] by Bartlett, E[tr Σ_t] constant', async () => {
    const cov = [[2, 0.3, 0], [0.3, 1, 0.2], [0, 0.2, 0.5]];
    const n = 12;
    const ld: number[] = [];
    const tr: number[] = [];
    await runSeeds({ family: 'gaussian', init: { mean: [0, 1, 2], cov }, seeds: 1, loop: { generations: 8, samples: n } }, 1500, (_, st, prep) => {
      if (st.generation !== 8) return;
      const m = prep.entry.setup(prep.settings, undefined, key(0)).family.metrics(st.model, { initial: { mean: [0, 1, 2], cov } });
      ld.push(m.logDetCov!);
      tr.push(m.traceCov!);
    });
    const ld0 = Math.log(2 * (1 * 0.5 - 0.04) - 0.3 * (0.3 * 0.5) + 0);
    const a = meanSe(ld);
    expect(Math.abs(a.mean - (ld0 + expectedLogDetChange(Array(8).fill(n), 3, 'unbiased')))).toBeLessThan(4 * a.se);
    const b = meanSe(tr);
    expect(Math.abs(b.mean - 3.5)).toBeLessThan(4 * b.se);
  });
  it('summary theory: the hook gives curves for replace and null where no closed form applies', async () => {
    const prep = await prepared({ ...base, loop: { generations: 3, samples: 10 } });
    const th = prep.entry.theory!(prep.settings, [0, 1, 3]);
    expect(th.variance).toEqual([1, 1, 1]);
    expect((th.logVariance as number[])[3 - 2]).toBeCloseTo(expectedLogVarianceChange([10], 'unbiased'), 14);
    const acc = await prepared({ ...base, loop: { generations: 3, policy: 'accumulate' } });
    expect(acc.entry.theory!(acc.settings, [0, 1]).variance).toBeNull();
  });
});

describe('gaussian bad input', () => {
  const bad = async (raw: object): Promise<string> => prepared(raw).then(() => 'accepted', (e: Error) => e.message);
  it('names the field and the fix', async () => {
    expect(await bad({ ...base, init: { mean: [0, 0], cov: [[1, 2], [2, 1]] } })).toMatch(/init\.cov.*positive-definite/);
    expect(await bad({ ...base, init: { mean: [0, 0], cov: [[1, 0.5], [0.4, 1]] } })).toMatch(/init\.cov.*symmetric/);
    expect(await bad({ ...base, init: { mean: [0, 0], cov: [[1]] } })).toMatch(/init\.cov.*2×2/);
    expect(await bad({ ...base, reward: { target: [1, 2] } })).toMatch(/reward\.target.*1 coordinates/);
    expect(await bad({ ...base, reward: { target: ['x'] } })).toMatch(/reward\.target/);
    expect(await bad({ ...base, loop: { topK: 3 } })).toMatch(/topK/);
    expect(await bad({ ...base, loop: { samples: 1 } })).toMatch(/loop\.samples/);
  });
});

describe('non-finite input', () => {
  it('a reward target of .inf in YAML names the field', async () => {
    const { parseConfig } = await import('../../config/load.ts');
    expect(() => parseConfig('family: gaussian\ninit: { mean: [0], cov: [[1]] }\nreward: { target: [.inf] }\n', 'x.yaml')).toThrow(/x\.yaml:3:\d+ reward\.target\.0: reward\.target entries must be a finite number/);
  });
});
