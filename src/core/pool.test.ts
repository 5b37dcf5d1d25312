// The pool's reading rule (docs/ecosystems.md, "One generation"): k_ij = round(n·w_j / Σw), and
// k distinct posts of an author as a uniformly random subset without replacement, so the count
// of one outcome among them is hypergeometric; all of an author's posts come as posted; more
// than were posted is refused. Means and variances within 5 standard errors.
import { describe, expect, it } from 'vitest';
import { categorical, type Counts } from '../families/categorical/index.ts';
import { readCounts, readPosts, windowStart, type Post } from './pool.ts';
import { foldIn, key } from './random.ts';

const fam = categorical({ smoothing: 0, finetuneKeep: 0 });
const post = (author: number, generation: number, data: Counts): Post<Counts> => ({ author, generation, count: fam.size(data), data });

/** Mean and variance over `draws` of f(key) and the standard errors of both (the variance's by its fourth moment). */
function moments(draws: number, f: (k: ReturnType<typeof key>) => number) {
  const xs = Array.from({ length: draws }, (_, i) => f(foldIn(key(5), i)));
  const m = xs.reduce((s, x) => s + x, 0) / draws;
  const v = xs.reduce((s, x) => s + (x - m) ** 2, 0) / (draws - 1);
  const m4 = xs.reduce((s, x) => s + (x - m) ** 4, 0) / draws;
  return { m, v, seM: Math.sqrt(v / draws), seV: Math.sqrt((m4 - v * v) / draws) };
}

describe('reading from the pool', () => {
  it('takes round(n·w_j / Σw) posts of each author, none of an author weighted 0', () => {
    expect(readCounts(31, [5, 2, 1])).toEqual([19, 8, 4]);
    expect(readCounts(20, [9, 1])).toEqual([18, 2]);
    expect(readCounts(10, [1, 0, 1])).toEqual([5, 0, 5]);
  });

  it('keeps replace to this generation and accumulate to its window', () => {
    expect(windowStart(7, 'replace', undefined)).toBe(7);
    expect(windowStart(7, 'accumulate', undefined)).toBe(1);
    expect(windowStart(7, 'accumulate', 3)).toBe(5);
    expect(windowStart(2, 'accumulate', 3)).toBe(1);
  });

  it('reads a hypergeometric count of an outcome: k = 5 of 10 posts, 6 of them outcome 0', () => {
    // Hypergeometric(N = 10, K = 6, k = 5): mean kK/N = 3, variance k(K/N)(1 − K/N)(N − k)/(N − 1) = 2/3
    // (a binomial read, with replacement, would have variance 1.2).
    const parts = [post(1, 4, [6, 4])];
    const s = moments(20_000, (k) => {
      const { data, reads } = readPosts(fam, parts, 5, k);
      expect(reads).toEqual([{ author: 1, generation: 4, items: 5 }]);
      return data[0]![0]!;
    });
    expect(Math.abs(s.m - 3)).toBeLessThanOrEqual(5 * s.seM);
    expect(Math.abs(s.v - 2 / 3)).toBeLessThanOrEqual(5 * s.seV);
  });

  it('splits a read across an accumulated window as a uniform subset of all the posts', () => {
    // Posts of generations 1, 2, 3 of sizes 4, 8, 12 (24 in all); k = 6: generation 2's share is
    // Hypergeometric(24, 8, 6): mean 2, variance 6·(1/3)(2/3)(18/23) = 24/23.
    const parts = [post(0, 1, [4, 0]), post(0, 2, [0, 8]), post(0, 3, [6, 6])];
    const s = moments(20_000, (k) => {
      const { reads } = readPosts(fam, parts, 6, k);
      expect(reads.reduce((t, r) => t + r.items, 0)).toBe(6);
      return reads.find((r) => r.generation === 2)?.items ?? 0;
    });
    expect(Math.abs(s.m - 2)).toBeLessThanOrEqual(5 * s.seM);
    expect(Math.abs(s.v - 24 / 23)).toBeLessThanOrEqual(5 * s.seV);
  });

  it('gives all of an author’s posts as posted, and refuses more than were posted', () => {
    const parts = [post(2, 1, [3, 1]), post(2, 2, [0, 5])];
    const all = readPosts(fam, parts, 9, key(1));
    expect(all.data).toEqual([[3, 1], [0, 5]]);
    expect(all.reads).toEqual([{ author: 2, generation: 1, items: 4 }, { author: 2, generation: 2, items: 5 }]);
    expect(() => readPosts(fam, parts, 10, key(1))).toThrow(RangeError);
  });
});
