// Ecosystem metrics on a small categorical ecosystem: provenance shares are the exact counts,
// distances are the pairwise means, people's metrics appear only when they drift.
import { describe, expect, it } from 'vitest';
import { ecosystem, type Agent, type Ecosystem } from '../core/ecosystem.ts';
import { PLAIN } from '../core/family.ts';
import { key } from '../core/random.ts';
import { categorical, type CategoricalModel, type Counts } from '../families/categorical/index.ts';
import { categoricalHooks as hooks } from '../families/categorical/ecosystem.ts';
import { tv } from './divergence.ts';
import { entropy } from './entropy.ts';
import { ecosystemMetrics } from './ecosystem.ts';

const fam = categorical({ smoothing: 0, finetuneKeep: 0 });
const truth: CategoricalModel = { probs: [0.5, 0.3, 0.2] };
const agent = (name: string, posts: number, samples: number, reads: number[]): Agent<CategoricalModel, Counts> => ({
  name, family: fam, initial: truth, samples: () => samples, posts: () => posts, sampling: PLAIN, filter: { kind: 'none' }, training: 'scratch', reads,
});

function eco(drift: boolean): Ecosystem<CategoricalModel, Counts> {
  return {
    agents: [agent('a', 40, 30, [2, 1, 0, 1]), agent('b', 20, 20, [1, 1, 0, 2]), agent('c', 10, 8, [0, 0, 1, 0])],
    people: { name: 'people', family: fam, initial: truth, posts: () => 25, drawReal: (n, k) => fam.sample(truth, n, PLAIN, k), drift: drift ? { reads: [1, 1, 1, 1], stubbornness: 0.5, opinion: hooks.opinion! } : undefined },
    generations: 5, policy: 'replace', stopWhenCollapsed: false,
  };
}

describe('ecosystemMetrics', () => {
  it('prefixes each agent’s metrics, and the pool shares are exact counts', () => {
    const e = eco(false);
    const states = [...ecosystem(e, key(1))];
    const m0 = ecosystemMetrics(e, states[0]!, { initial: truth }, hooks);
    expect(m0['a.entropy']).toBeCloseTo(entropy(truth.probs), 14);
    expect(m0.syntheticShare).toBeUndefined(); // no pool before generation 1
    expect(Object.keys(m0).some((k) => k.startsWith('people.'))).toBe(false);
    const st = states[3]!;
    const m = ecosystemMetrics(e, st, { initial: truth }, hooks);
    expect(m.syntheticShare).toBe(70 / 95);
    // a reads round(30·2/4) = 15 + round(7.5) = 8 from agents and round(7.5) = 8 from people
    expect(m['a.synthetic']).toBe(23 / 31);
    expect(m['b.synthetic']).toBe(10 / 20);
    expect(m['c.synthetic']).toBe(1);
    const pooled = fam.concat(st.pool.map((p) => p.data));
    expect(m.poolEntropy).toBeCloseTo(entropy(pooled.map((c) => c / 95)), 14);
    const [a, b, c] = st.models.map((x) => x.probs);
    expect(m.disagreement).toBeCloseTo((tv(a!, b!) + tv(a!, c!) + tv(b!, c!)) / 3, 14);
    const sq = (x: readonly number[], y: readonly number[]) => 0.5 * x.reduce((s, p, i) => s + (p - y[i]!) ** 2, 0);
    expect(m.disagreementSq).toBeCloseTo((sq(a!, b!) + sq(a!, c!) + sq(b!, c!)) / 3, 14);
    expect(m.collapsedAgents).toBe(st.collapsed.filter(Boolean).length);
    expect(m.humanDrift).toBeUndefined();
  });

  it('people who drift get their own metrics and humanDrift, the TV of their view from the truth', () => {
    const e = eco(true);
    const st = [...ecosystem(e, key(2))][4]!;
    const m = ecosystemMetrics(e, st, { initial: truth }, hooks);
    expect(m['people.tv']).toBe(tv(st.people!.probs, truth.probs));
    expect(m.humanDrift).toBe(m['people.tv']);
    expect(m.humanDrift).toBeGreaterThan(0);
  });
});
