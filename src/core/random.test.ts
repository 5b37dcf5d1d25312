import { describe, expect, it } from 'vitest';
import { chiSquareTest } from './goodness-of-fit.test-support.ts';
import { foldIn, key, Rng, split, splitAt, threefry, uniform, type Key } from './random.ts';

// Stochastic checks use fixed keys (so they are deterministic) and a rejection level of
// p < 1e-6, the false-failure rate a correct generator would have for a fresh key.
const ALPHA = 1e-6;

describe('threefry', () => {
  // Known-answer vectors of Threefry-2x32-20 from Random123's kat_vectors (Salmon et al. 2011).
  it.each([
    [[0, 0], [0, 0], [0x6b200159, 0x99ba4efe]],
    [[0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x1cb996fc, 0xbb002be7]],
    [[0x13198a2e, 0x03707344], [0x243f6a88, 0x85a308d3], [0xc4923a9c, 0x483df7a0]], // digits of π
  ])('key %j counter %j → %j', (k, c, want) => {
    expect(threefry(k as unknown as Key, c[0]!, c[1]!)).toEqual(want);
  });

  it('returns unsigned 32-bit words', () => {
    let bad = 0;
    for (let i = 0; i < 1000; i++) for (const w of threefry([i, 0xdeadbeef], i, 7)) if (w >>> 0 !== w) bad++;
    expect(bad).toBe(0);
  });
});

describe('key derivation', () => {
  const root = key(42);

  it('is deterministic', () => {
    expect(key(42)).toEqual(root);
    expect(foldIn(root, 7)).toEqual(foldIn(key(42), 7));
    expect(split(root, 4)).toEqual(split(key(42), 4));
  });

  it('split(k, n) is a prefix of split(k, n + m), and splitAt(k, i) is its i-th key', () => {
    expect(split(root, 5).slice(0, 3)).toEqual(split(root, 3));
    split(root, 5).forEach((k, i) => expect(splitAt(root, i)).toEqual(k));
  });

  it('gives distinct keys across seeds, folds and splits, even large ones', () => {
    const seen = new Set<string>();
    const add = (k: Key): void => void seen.add(`${k[0]},${k[1]}`);
    for (let s = 0; s < 200; s++) add(key(s));
    for (const big of [2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1]) add(key(big));
    for (let i = 0; i < 200; i++) add(foldIn(root, i));
    for (const k of split(root, 200)) add(k);
    expect(seen.size).toBe(200 + 3 + 200 + 200);
  });

  it('keeps seed s, generation t apart from seed s + t (the `seed + i` trap)', () => {
    const a = foldIn(foldIn(root, 1), 2);
    const b = foldIn(foldIn(root, 2), 1);
    const c = foldIn(foldIn(root, 3), 0);
    expect(new Set([a, b, c].map(String)).size).toBe(3);
  });

  it('rejects indices that are not integers in [0, 2^53)', () => {
    for (const bad of [-1, 0.5, NaN, 2 ** 53]) {
      expect(() => key(bad)).toThrow(RangeError);
      expect(() => foldIn(root, bad)).toThrow(RangeError);
    }
  });

  it('gives streams that are uncorrelated: sibling folds, split children and the parent', () => {
    // Pearson r of N paired uniforms has SE 1/√N under independence; 5 SE ≈ p < 1e-6.
    const N = 50_000;
    const streams = [root, foldIn(root, 0), foldIn(root, 1), ...split(root, 2), ...split(foldIn(root, 0), 1)].map((k) => new Rng(k));
    const xs = streams.map((r) => Float64Array.from({ length: N }, () => r.float()));
    for (let i = 0; i < xs.length; i++) {
      for (let j = i + 1; j < xs.length; j++) expect(Math.abs(correlation(xs[i]!, xs[j]!))).toBeLessThan(5 / Math.sqrt(N));
    }
  });
});

describe('stream independence', () => {
  it('pairs (u_A, u_B) from sibling streams fill the unit square uniformly (chi-square, 16 × 16 cells)', () => {
    // Correlation misses nonlinear dependence; a joint histogram does not.
    const root = key(11);
    const pairs: [Key, Key][] = [
      [foldIn(root, 0), foldIn(root, 1)],
      [foldIn(root, 2 ** 32), foldIn(root, 0)], // differ only in the high word of the index
      [split(root, 2)[0]!, split(root, 2)[1]!],
      [root, split(root, 1)[0]!],
    ];
    for (const [ka, kb] of pairs) {
      const a = new Rng(ka);
      const b = new Rng(kb);
      const cells = new Float64Array(256);
      for (let i = 0; i < 100_000; i++) cells[Math.floor(a.float() * 16) * 16 + Math.floor(b.float() * 16)]!++;
      expect(chiSquareTest(cells, new Float64Array(256).fill(1 / 256)).p).toBeGreaterThan(ALPHA);
    }
  });
});

describe('Rng', () => {
  it('is deterministic per key and differs across keys', () => {
    const a = new Rng(key(1));
    const b = new Rng(key(1));
    const c = new Rng(key(2));
    const da = Array.from({ length: 16 }, () => a.u32());
    expect(Array.from({ length: 16 }, () => b.u32())).toEqual(da);
    expect(Array.from({ length: 16 }, () => c.u32())).not.toEqual(da);
    expect(uniform(key(1))).toBe(new Rng(key(1)).float());
  });

  it('float() is uniform on [0, 1): chi-square over 1000 cells, and its mean', () => {
    const rng = new Rng(key(3));
    const N = 1_000_000;
    const cells = new Float64Array(1000);
    let sum = 0;
    let outside = 0;
    for (let i = 0; i < N; i++) {
      const u = rng.float();
      if (!(u >= 0 && u < 1)) outside++;
      cells[Math.floor(u * 1000)]!++;
      sum += u;
    }
    expect(outside).toBe(0);
    expect(chiSquareTest(cells, new Float64Array(1000).fill(1e-3)).p).toBeGreaterThan(ALPHA);
    expect(Math.abs(sum / N - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / N)); // 5 SE
  });

  it('float() fills the low bits too (53 random bits, not 32)', () => {
    const rng = new Rng(key(4));
    let lowBitsSet = 0;
    for (let i = 0; i < 1000; i++) if ((rng.float() * 2 ** 53) % 2 ** 21 !== 0) lowBitsSet++;
    expect(lowBitsSet).toBeGreaterThan(990);
  });

  it('u32() bits are each fair and successive words are pairwise uniform', () => {
    const rng = new Rng(key(5));
    const N = 200_000;
    const ones = new Float64Array(32);
    const pairs = new Float64Array(256); // (top nibble of x_i, top nibble of x_{i+1})
    let prev = rng.u32();
    for (let i = 0; i < N; i++) {
      const x = rng.u32();
      for (let b = 0; b < 32; b++) ones[b]! += (x >>> b) & 1;
      pairs[(prev >>> 28) * 16 + (x >>> 28)]!++;
      prev = x;
    }
    for (const c of ones) expect(Math.abs(c - N / 2)).toBeLessThan(5.5 * Math.sqrt(N / 4)); // 5.5 SE over 32 bits ≈ 1e-6
    expect(chiSquareTest(pairs, new Float64Array(256).fill(1 / 256)).p).toBeGreaterThan(ALPHA);
  });

  it.each([3, 7, 10, 1000, 2 ** 31 + 1, 3 * 2 ** 30])('int(%i) is unbiased (chi-square on residues mod 10 and on the top range)', (n) => {
    const rng = new Rng(key(n));
    const N = 300_000;
    const cells = 10;
    const hist = new Float64Array(cells);
    let bad = 0;
    for (let i = 0; i < N; i++) {
      const x = rng.int(n);
      if (!(Number.isInteger(x) && x >= 0 && x < n)) bad++;
      hist[Math.floor((x * cells) / n)]!++;
    }
    expect(bad).toBe(0);
    // Exact cell probabilities: cell c holds the x with floor(x·cells/n) = c.
    const probs = Array.from({ length: cells }, (_, c) => (Math.ceil(((c + 1) * n) / cells) - Math.ceil((c * n) / cells)) / n);
    expect(chiSquareTest(hist, probs).p).toBeGreaterThan(ALPHA);
  });

  it('int(n) for n = 3 · 2^30 has no modulo bias (plain u32 % n would give [0, 2^30) probability 1/2, not 1/3)', () => {
    const rng = new Rng(key(9));
    const N = 200_000;
    let low = 0;
    for (let i = 0; i < N; i++) if (rng.int(3 * 2 ** 30) < 2 ** 30) low++;
    expect(Math.abs(low / N - 1 / 3)).toBeLessThan(5 * Math.sqrt((1 / 3) * (2 / 3) / N));
  });

  it('int handles powers of two up to 2^32 and rejects bad n', () => {
    const rng = new Rng(key(6));
    for (const n of [1, 2, 2 ** 16, 2 ** 31, 2 ** 32]) {
      const xs = Array.from({ length: 100 }, () => rng.int(n));
      expect(xs.every((x) => Number.isInteger(x) && x >= 0 && x < n)).toBe(true);
    }
    for (const bad of [0, -1, 2.5, 2 ** 32 + 1, NaN]) expect(() => rng.int(bad)).toThrow(RangeError);
  });
});

function correlation(x: Float64Array, y: Float64Array): number {
  let mx = 0;
  let my = 0;
  for (let i = 0; i < x.length; i++) (mx += x[i]!), (my += y[i]!);
  mx /= x.length;
  my /= y.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}
