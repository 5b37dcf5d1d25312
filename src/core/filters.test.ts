import { describe, expect, it } from 'vitest';
import type { Family } from './family.ts';
import { PLAIN } from './family.ts';
import { drawFiltered, topIndices, type Filter } from './filters.ts';
import { foldIn, key, Rng, split } from './random.ts';
import { categorical } from './samplers.ts';

// A minimal family whose data are the drawn outcomes in draw order, so that each filter's
// choice of items can be checked item by item. Reward and rejection are per outcome.
type Items = readonly number[];
interface Model {
  readonly probs: readonly number[];
}
function items(reward: readonly number[], rejected: readonly number[] = []): Family<Model, Items> {
  return {
    name: 'items',
    size: (d) => d.length,
    concat: (parts) => parts.flat(),
    subsample: (d, n) => d.slice(0, n),
    fit: (d) => ({ probs: reward.map((_, i) => d.filter((x) => x === i).length / d.length) }),
    sample: (m, n, _how, k) => {
      const rng = new Rng(k);
      return Array.from({ length: n }, () => categorical(rng, m.probs));
    },
    logLikelihood: (m, d) => Float64Array.from(d, (x) => Math.log(m.probs[x]!)),
    metrics: () => ({}),
    collapsed: () => false,
    absorbing: false,
    reward: (d) => Float64Array.from(d, (x) => reward[x]!),
    accept: (d) => Uint8Array.from(d, (x) => (rejected.includes(x) ? 0 : 1)),
    select: (d, idx) => Array.from(idx, (i) => d[i]!),
  };
}

const root = key(77);
const uniform3: Model = { probs: [1 / 3, 1 / 3, 1 / 3] };
const count = (d: Items, x: number): number => d.filter((y) => y === x).length;

describe('none', () => {
  it('returns n items of the plain sample', () => {
    const fam = items([0, 1, 2]);
    expect(drawFiltered(fam, uniform3, 50, PLAIN, { kind: 'none' }, root)).toHaveLength(50);
  });
});

describe('keepTop', () => {
  it('keeps n items, and they are the n best of the candidate pool by reward', () => {
    const fam = items([0, 1, 2]);
    const n = 300;
    const kept = drawFiltered(fam, uniform3, n, PLAIN, { kind: 'keepTop', fraction: 0.5, by: 'reward' }, root);
    expect(kept).toHaveLength(n);
    // The pool is the 600 candidates drawn with the filter's draw key (split(key, 2)[0]).
    const pool = fam.sample(uniform3, 600, PLAIN, split(root, 2)[0]!);
    const best = [...pool].sort((a, b) => b - a).slice(0, n);
    expect([...kept].sort((a, b) => b - a)).toEqual(best);
  });

  it('by likelihood prefers the most probable outcome', () => {
    const fam = items([0, 0, 0]);
    const model: Model = { probs: [0.6, 0.3, 0.1] };
    const kept = drawFiltered(fam, model, 200, PLAIN, { kind: 'keepTop', fraction: 0.25, by: 'likelihood' }, root);
    // 800 candidates hold ≈ 480 of outcome 0 (sd ≈ 14), so the best 200 are all outcome 0.
    expect(count(kept, 0)).toBe(200);
  });

  it('breaks ties uniformly at random: each of 10 tied indices is kept with probability 3/10', () => {
    const trials = 20_000;
    const hits = new Float64Array(10);
    const rng = new Rng(foldIn(root, 1));
    for (let t = 0; t < trials; t++) for (const i of topIndices(new Float64Array(10), 3, rng)) hits[i]!++;
    const se = Math.sqrt((0.3 * 0.7) / trials); // binomial SE of each index's keep rate
    for (const h of hits) expect(Math.abs(h / trials - 0.3)).toBeLessThan(5 * se);
  });

  it('topIndices returns ascending indices of the highest scores', () => {
    expect(Array.from(topIndices(Float64Array.from([1, 5, 3, 4]), 2, new Rng(root)))).toEqual([1, 3]);
  });
});

describe('choice (Bradley–Terry)', () => {
  it('keeps the better of a pair with probability σ(Δr / β)', () => {
    // Outcomes 0 and 1 with equal probability, rewards 0 and 1. A kept item is outcome 1 if
    // the pair was (1, 1) (prob ¼) or mixed (prob ½) and 1 won (prob σ(1/β)).
    const beta = 0.5;
    const fam = items([0, 1]);
    const n = 20_000;
    const kept = drawFiltered(fam, { probs: [0.5, 0.5] }, n, PLAIN, { kind: 'choice', by: 'reward', beta }, root);
    expect(kept).toHaveLength(n);
    const want = 0.25 + 0.5 / (1 + Math.exp(-1 / beta));
    const se = Math.sqrt((want * (1 - want)) / n); // pairs are independent: Binomial(n, want)
    expect(Math.abs(count(kept, 1) / n - want)).toBeLessThan(5 * se);
  });
});

describe('reject', () => {
  it('drops every rejected item and still returns n', () => {
    const fam = items([0, 0, 0], [1]);
    const kept = drawFiltered(fam, uniform3, 500, PLAIN, { kind: 'reject' }, root);
    expect(kept).toHaveLength(500);
    expect(count(kept, 1)).toBe(0);
    // Survivors keep their relative odds: outcomes 0 and 2 equally likely (5 SE).
    expect(Math.abs(count(kept, 0) / 500 - 0.5)).toBeLessThan(5 * Math.sqrt(0.25 / 500));
  });

  it('fails clearly when nothing passes, and when the family has no predicate', () => {
    const fam = items([0, 0], [0, 1]);
    expect(() => drawFiltered(fam, { probs: [0.5, 0.5] }, 5, PLAIN, { kind: 'reject' }, root)).toThrow(/loosen the predicate/);
    const { accept: _dropped, ...noAccept } = items([0, 0]);
    expect(() => drawFiltered(noAccept, { probs: [0.5, 0.5] }, 5, PLAIN, { kind: 'reject' }, root)).toThrow(/offers none/);
  });
});

describe('errors', () => {
  it('names the missing capability', () => {
    const { reward: _r, ...noReward } = items([0, 1]);
    const byReward: Filter = { kind: 'keepTop', fraction: 0.5, by: 'reward' };
    expect(() => drawFiltered(noReward, { probs: [0.5, 0.5] }, 4, PLAIN, byReward, root)).toThrow(/has no reward/);
  });
});
