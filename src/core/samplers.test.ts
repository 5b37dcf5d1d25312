import { describe, expect, it } from 'vitest';
import { binomialPmf, chiSquareTest, ksTest, logGamma, normalCdf } from './goodness-of-fit.test-support.ts';
import { foldIn, key, Rng } from './random.ts';
import { binomial, categorical, logFactorial, multinomial, normal, subsampleCounts, subsampleIndices } from './samplers.ts';

// Every test draws with a fixed key and rejects at p < 1e-6: a correct sampler fails with
// probability 1e-6 per test for a fresh key, and never for these keys (they are fixed).
const ALPHA = 1e-6;
const root = key(2024);

/** Chi-square of `draws` Binomial(n, p) variates against the exact pmf on mean ± 15 sd. */
function binomialFit(n: number, p: number, draws: number, k: number): { p: number; df: number; mean: number } {
  const rng = new Rng(foldIn(root, k));
  const sd = Math.sqrt(n * p * (1 - p));
  const lo = Math.max(0, Math.floor(n * p - 15 * sd - 10));
  const hi = Math.min(n, Math.ceil(n * p + 15 * sd + 10));
  const counts = new Float64Array(hi - lo + 1);
  let sum = 0;
  for (let i = 0; i < draws; i++) {
    const x = binomial(rng, n, p);
    if (!(Number.isInteger(x) && x >= lo && x <= hi)) throw new Error(`Binomial(${n}, ${p}) drew ${x}, outside [${lo}, ${hi}]`);
    counts[x - lo]!++;
    sum += x;
  }
  const r = chiSquareTest(counts, binomialPmf(n, p, lo, hi));
  return { p: r.p, df: r.df, mean: sum / draws };
}

describe('binomial', () => {
  // Cases: small n; both sides of the switch from inversion (n·min(p, 1−p) < 10) to BTRS;
  // huge n; p down to 1e-9 with n·p ≈ 1 and ≈ 100; p near 1 (drawn as n − Binomial(n, 1 − p)).
  const cases: [string, number, number][] = [
    ['n = 1', 1, 0.3],
    ['n = 5', 5, 0.5],
    ['n = 30, p = 0.2', 30, 0.2],
    ['n = 30, p = 0.9', 30, 0.9],
    ['n·p = 9.99 (inversion)', 1000, 0.00999],
    ['n·p = 10 (BTRS)', 1000, 0.01],
    ['n·p = 10, n = 20', 20, 0.5],
    ['n·(1−p) = 9.9 (inversion, flipped)', 100, 0.901],
    ['n·(1−p) = 10.1 (BTRS, flipped)', 100, 0.899],
    ['n = 1000, p = 0.5 (the coin benchmark)', 1000, 0.5],
    ['n = 10^6', 1e6, 0.5],
    ['n = 10^9', 1e9, 0.3],
    ['n = 2^31', 2 ** 31, 0.5],
    ['p = 1e-9, n·p = 1', 1e9, 1e-9],
    ['p = 1e-9, n·p = 100', 1e11, 1e-9],
    ['p = 1 − 1e-6', 1000, 1 - 1e-6],
    ['p = 0.999, n = 10^5', 1e5, 0.999],
  ];
  it.each(cases)('%s: chi-square against the exact pmf', (_, n, p) => {
    const draws = 200_000;
    const r = binomialFit(n, p, draws, Math.round(n * 1000 + p * 1e6) % 1e9);
    expect(r.p).toBeGreaterThan(ALPHA);
    // The mean within 5 standard errors (SE = sqrt(n p (1 − p) / draws)): a second, cruder check.
    expect(Math.abs(r.mean - n * p)).toBeLessThanOrEqual(5 * Math.sqrt((n * p * (1 - p)) / draws) + 1e-12);
  });

  it('the chi-square check has power: Binomial(1000, 0.5) fails against p = 0.503', () => {
    const rng = new Rng(foldIn(root, 1));
    const counts = new Float64Array(1001);
    for (let i = 0; i < 200_000; i++) counts[binomial(rng, 1000, 0.5)]!++;
    expect(chiSquareTest(counts, binomialPmf(1000, 0.503, 0, 1000)).p).toBeLessThan(ALPHA);
  });

  it('is exact at the edges: p = 0, p = 1, n = 0', () => {
    const rng = new Rng(root);
    for (let i = 0; i < 100; i++) {
      expect(binomial(rng, 50, 0)).toBe(0);
      expect(binomial(rng, 50, 1)).toBe(50);
      expect(binomial(rng, 0, 0.5)).toBe(0);
    }
  });

  it('rejects a NaN p and a non-integer or negative n', () => {
    const rng = new Rng(root);
    for (const [n, p] of [[10, NaN], [2.5, 0.5], [-1, 0.5], [NaN, 0.5]] as const) expect(() => binomial(rng, n, p)).toThrow(RangeError);
  });

  it('is deterministic for a key', () => {
    const a = new Rng(root);
    const b = new Rng(root);
    for (const [n, p] of [[10, 0.3], [1e6, 0.4], [1e9, 1e-9]] as const) expect(binomial(a, n, p)).toBe(binomial(b, n, p));
  });
});

describe('logFactorial', () => {
  it('matches ln Γ(k + 1) from an independent Lanczos series, in the table and past it', () => {
    for (const k of [0, 1, 2, 10, 100, 1023, 1024, 1025, 5000, 1e6, 1e9]) {
      expect(Math.abs(logFactorial(k) - logGamma(k + 1))).toBeLessThanOrEqual(1e-13 * Math.max(1, logGamma(k + 1)));
    }
  });
});

describe('multinomial', () => {
  it('marginals are Binomial(n, p_i) and the counts always sum to n', () => {
    const probs = [0.5, 0.25, 0, 0.125, 0.1, 0.025];
    const n = 40;
    const draws = 100_000;
    const rng = new Rng(foldIn(root, 2));
    const hist = probs.map(() => new Float64Array(n + 1));
    const out = new Int32Array(probs.length);
    let badSums = 0;
    for (let i = 0; i < draws; i++) {
      multinomial(rng, n, probs, out);
      let s = 0;
      out.forEach((c, j) => ((s += c), hist[j]![c]!++));
      if (s !== n) badSums++;
    }
    expect(badSums).toBe(0);
    expect(hist[2]![0]).toBe(draws); // a zero-probability outcome never gets a draw
    probs.forEach((p, j) => {
      if (p > 0) expect(chiSquareTest(hist[j]!, binomialPmf(n, p, 0, n)).p).toBeGreaterThan(ALPHA);
    });
  });

  it('the joint law of Multinomial(4, [0.2, 0.3, 0.5]) matches the exact pmf', () => {
    const probs = [0.2, 0.3, 0.5];
    const n = 4;
    const cells: number[][] = [];
    for (let a = 0; a <= n; a++) for (let b = 0; a + b <= n; b++) cells.push([a, b, n - a - b]);
    const pmf = cells.map(([a, b, c]) => (fact(n) / (fact(a!) * fact(b!) * fact(c!))) * probs[0]! ** a! * probs[1]! ** b! * probs[2]! ** c!);
    const index = new Map(cells.map((c, i) => [c.join(), i]));
    const counts = new Float64Array(cells.length);
    const rng = new Rng(foldIn(root, 3));
    for (let i = 0; i < 100_000; i++) counts[index.get(Array.from(multinomial(rng, n, probs)).join())!]!++;
    expect(chiSquareTest(counts, pmf).p).toBeGreaterThan(ALPHA);
  });

  it('gives the same draw for a key whatever was drawn before (its scratch space holds no state)', () => {
    const wide = Array.from({ length: 40 }, () => 1 / 40);
    const k = foldIn(root, 7);
    const first = Array.from(multinomial(new Rng(k), 100, [0.2, 0.3, 0.5]));
    multinomial(new Rng(root), 1000, wide); // grows the scratch
    expect(Array.from(multinomial(new Rng(k), 100, [0.2, 0.3, 0.5]))).toEqual(first);
    expect(Array.from(multinomial(new Rng(k), 1000, wide))).toEqual(Array.from(multinomial(new Rng(k), 1000, wide)));
  });

  it('fills plain arrays and Float64Arrays too, with huge n and tiny shares', () => {
    const rng = new Rng(foldIn(root, 4));
    const out = multinomial(rng, 2 ** 31, [1e-9, 0.5 - 1e-9, 0.5], [0, 0, 0]);
    expect(out[0]! + out[1]! + out[2]!).toBe(2 ** 31);
    expect(Array.isArray(out)).toBe(true);
    expect(multinomial(rng, 7, [0, 1], new Float64Array(2))).toEqual(Float64Array.from([0, 7]));
  });
});

describe('categorical', () => {
  it('draws each outcome with its probability; zeros never', () => {
    const probs = [0.1, 0, 0.2, 0.3, 0.4, 0];
    const rng = new Rng(foldIn(root, 5));
    const counts = new Float64Array(probs.length);
    for (let i = 0; i < 200_000; i++) counts[categorical(rng, probs)]!++;
    expect(counts[1]).toBe(0);
    expect(counts[5]).toBe(0);
    expect(chiSquareTest(counts, probs).p).toBeGreaterThan(ALPHA);
  });

  it('throws when no outcome has positive probability', () => {
    expect(() => categorical(new Rng(root), [0, 0])).toThrow(RangeError);
  });
});

describe('normal', () => {
  it('passes a KS test against Φ, with mean 0 and variance 1 within 5 SE', () => {
    const rng = new Rng(foldIn(root, 6));
    const N = 200_000;
    const xs = Float64Array.from({ length: N }, () => normal(rng));
    expect(ksTest(xs, normalCdf).p).toBeGreaterThan(ALPHA);
    let m = 0;
    let v = 0;
    for (const x of xs) m += x / N;
    for (const x of xs) v += (x - m) ** 2 / (N - 1);
    expect(Math.abs(m)).toBeLessThan(5 / Math.sqrt(N));
    expect(Math.abs(v - 1)).toBeLessThan(5 * Math.sqrt(2 / N)); // SE of s² is σ²√(2/N)
    // Tails: P(|Z| > 3) = 0.0026998; binomial SE over N draws, 5 SE.
    const tail = xs.filter((x) => Math.abs(x) > 3).length / N;
    expect(Math.abs(tail - 0.0026998)).toBeLessThan(5 * Math.sqrt((0.0027 * 0.9973) / N));
  });
});

function fact(k: number): number {
  return k <= 1 ? 1 : k * fact(k - 1);
}

describe('subsampleIndices and subsampleCounts: the one subsample without replacement', () => {
  it('n distinct indices, ascending; all of them when n ≥ size; the same key, the same draw', () => {
    const a = subsampleIndices(50, 20, foldIn(root, 60));
    expect(a.length).toBe(20);
    expect(new Set(a).size).toBe(20);
    expect(Array.from(a)).toEqual([...a].sort((x, y) => x - y));
    expect(Array.from(subsampleIndices(7, 9, foldIn(root, 61)))).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(subsampleIndices(50, 20, foldIn(root, 60))).toEqual(a);
    expect(subsampleIndices(0, 3, foldIn(root, 62)).length).toBe(0);
  });

  it('every subset of 2 of 5 is equally likely (chi-square over the 10 pairs)', () => {
    const pairs = new Map<string, number>();
    for (let r = 0; r < 20_000; r++) {
      const s = Array.from(subsampleIndices(5, 2, foldIn(root, 10_000 + r))).join();
      pairs.set(s, (pairs.get(s) ?? 0) + 1);
    }
    expect(pairs.size).toBe(10);
    expect(chiSquareTest([...pairs.values()], new Array(10).fill(0.1)).p).toBeGreaterThan(ALPHA);
  });

  it('counts per group are the chosen indices bucketed by group (the slow way), hypergeometric in mean', () => {
    const sizes = [3, 0, 5, 1, 7];
    const mean = new Array<number>(sizes.length).fill(0);
    const reps = 4000;
    for (let r = 0; r < reps; r++) {
      const k = foldIn(root, 30_000 + r);
      const slow = new Array<number>(sizes.length).fill(0);
      for (const i of subsampleIndices(16, 6, k)) {
        let g = 0;
        for (let end = sizes[0]!; i >= end; end += sizes[++g]!);
        slow[g]!++;
      }
      const got = subsampleCounts(sizes, 6, k);
      expect(got).toEqual(slow);
      got.forEach((c, g) => (mean[g]! += c / reps));
    }
    // E[count_g] = 6·size_g/16; Var = 6·(s/16)(1 − s/16)(10/15): 5 standard errors.
    sizes.forEach((s, g) => expect(Math.abs(mean[g]! - (6 * s) / 16)).toBeLessThanOrEqual(5 * Math.sqrt((6 * (s / 16) * (1 - s / 16) * (10 / 15)) / reps) + 1e-12));
  });
});
