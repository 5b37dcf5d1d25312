// The two-coin joint chain: against the simulated ecosystem (absorption time, same outcome,
// P(absorbed by g)) and against the exact moment recursion, which must agree with it to
// rounding wherever both apply. Simulated checks are within 4 standard errors.
import { describe, expect, it } from 'vitest';
import { ecosystem, type Agent, type Ecosystem } from '../core/ecosystem.ts';
import { PLAIN } from '../core/family.ts';
import { foldIn, key } from '../core/random.ts';
import { categorical, type CategoricalModel, type Counts } from '../families/categorical/index.ts';
import { pairAbsorption, pairCensored, pairChain, type CoinPair } from './coin-pair-chain.ts';
import { coinEcosystemMoments } from './ecosystem-coin.ts';
import { poolPlan } from './pool-moments.ts';

const fam = categorical({ smoothing: 0, finetuneKeep: 0 });

function ecoOf(pair: CoinPair, generations = 100_000): Ecosystem<CategoricalModel, Counts> {
  const agent = (i: 0 | 1): Agent<CategoricalModel, Counts> => ({
    name: 'ab'[i]!, family: fam, initial: { probs: [pair.start[i], 1 - pair.start[i]] }, samples: () => pair.reads[i][0] + pair.reads[i][1],
    posts: () => pair.posts[i], sampling: PLAIN, filter: { kind: 'none' }, training: 'scratch', reads: [...pair.reads[i]],
  });
  return { agents: [agent(0), agent(1)], generations, policy: 'replace', stopWhenCollapsed: true };
}

const PAIRS: Record<string, CoinPair> = {
  coupled: { start: [0.5, 0.3], posts: [10, 8], reads: [[6, 4], [3, 5]] },
  alone: { start: [0.5, 0.3], posts: [10, 8], reads: [[10, 0], [0, 8]] },
  'one-way': { start: [0.4, 0.6], posts: [12, 6], reads: [[5, 3], [0, 6]] },
};

describe('two coins: the exact joint chain', () => {
  it.each(Object.entries(PAIRS))('%s: absorption time, same outcome and P(absorbed by g) match the loop', (_name, pair) => {
    const chain = pairChain(pair);
    const { meanAbsorption, sameOutcome } = pairAbsorption(chain);
    const checkAt = [1, 3, 10, 30];
    const horizon = 12;
    const { collapsedBy: byG, censored } = pairCensored(chain, checkAt, horizon)!;
    const seeds = 4000;
    const times: number[] = [];
    let same = 0;
    for (let s = 0; s < seeds; s++) {
      let last;
      for (last of ecosystem(ecoOf(pair), foldIn(key(21), s)));
      expect(last!.absorbed).toBe(true);
      times.push(last!.generation);
      if (last!.models[0]!.probs[0] === last!.models[1]!.probs[0]) same++;
    }
    const mean = times.reduce((a, b) => a + b, 0) / seeds;
    const sd = Math.sqrt(times.reduce((a, b) => a + (b - mean) ** 2, 0) / (seeds - 1));
    expect(Math.abs(mean - meanAbsorption)).toBeLessThan(4 * (sd / Math.sqrt(seeds)));
    expect(Math.abs(same / seeds - sameOutcome)).toBeLessThan(4 * Math.sqrt(Math.max(sameOutcome * (1 - sameOutcome), 1 / seeds) / seeds));
    // Censored at H: P(τ ≤ H), E[τ | τ ≤ H] and E[min(τ, H)], as a run of H generations sees them.
    const within = times.filter((t) => t <= horizon);
    expect(Math.abs(within.length / seeds - censored.probability)).toBeLessThan(4 * Math.sqrt((censored.probability * (1 - censored.probability)) / seeds));
    const cond = within.reduce((a, b) => a + b, 0) / within.length;
    const condSd = Math.sqrt(within.reduce((a, b) => a + (b - cond) ** 2, 0) / (within.length - 1));
    expect(Math.abs(cond - censored.meanIfCollapsed!)).toBeLessThan(4 * (condSd / Math.sqrt(within.length)));
    const capped = times.map((t) => Math.min(t, horizon));
    const rm = capped.reduce((a, b) => a + b, 0) / seeds;
    const rmSd = Math.sqrt(capped.reduce((a, b) => a + (b - rm) ** 2, 0) / (seeds - 1));
    expect(Math.abs(rm - censored.restrictedMean)).toBeLessThan(4 * (rmSd / Math.sqrt(seeds)));
    checkAt.forEach((g, i) => {
      const frac = times.filter((t) => t <= g).length / seeds;
      expect(Math.abs(frac - byG[i]!)).toBeLessThan(4 * Math.sqrt(Math.max(byG[i]! * (1 - byG[i]!), 1 / seeds) / seeds));
    });
  });

  it('coupled coins always end on one outcome; alone they agree with probability Σ_c P(a on c)·P(b on c)', () => {
    expect(pairAbsorption(pairChain(PAIRS.coupled!)).sameOutcome).toBeCloseTo(1, 12);
    // Alone each coin is a martingale fixing on outcome 0 with probability its start.
    const alone = pairAbsorption(pairChain(PAIRS.alone!)).sameOutcome;
    expect(alone).toBeCloseTo(0.5 * 0.3 + 0.5 * 0.7, 12);
  });

  it('coins that read only each other from opposite fixed outcomes swap for ever: infinite time', () => {
    const swap = pairAbsorption(pairChain({ start: [0.5, 0.5], posts: [5, 5], reads: [[0, 5], [5, 0]] }));
    expect(swap.meanAbsorption).toBe(Infinity);
  });

  it.each(Object.entries(PAIRS))('%s: the moment recursion equals the chain’s moments to rounding', (_name, pair) => {
    const chain = pairChain(pair);
    const gens = [0, 1, 2, 5, 20];
    const th = coinEcosystemMoments(
      { agents: [0, 1].map((i) => ({ start: [pair.start[i]!, 1 - pair.start[i]!], keep: 0, smoothing: 0 })), plan: poolPlan(ecoOf(pair)) },
      gens,
    );
    const [na, nb] = chain.n;
    let dist = Float64Array.from(chain.first);
    const moments = (d: Float64Array) => {
      const e = { a: 0, b: 0, aa: 0, bb: 0, ab: 0 };
      d.forEach((p, s) => {
        const x = Math.floor(s / (nb + 1)) / na;
        const y = (s % (nb + 1)) / nb;
        e.a += p * x; e.b += p * y; e.aa += p * x * x; e.bb += p * y * y; e.ab += p * x * y;
      });
      return e;
    };
    for (let g = 1; g <= 20; g++) {
      const gi = gens.indexOf(g);
      if (gi >= 0) {
        const e = moments(dist);
        const t = th[gi]!;
        expect(t.mean[0]![0]).toBeCloseTo(e.a, 12);
        expect(t.mean[1]![0]).toBeCloseTo(e.b, 12);
        expect(t.second[0]![0]![0]).toBeCloseTo(e.aa, 12);
        expect(t.second[1]![1]![0]).toBeCloseTo(e.bb, 12);
        expect(t.second[0]![1]![0]).toBeCloseTo(e.ab, 12);
      }
      const next = new Float64Array(dist.length);
      dist.forEach((p, s) => chain.rows[s]!.forEach((q, to) => (next[to]! += p * q)));
      dist = next;
    }
  });
});
