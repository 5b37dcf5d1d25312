// The ecosystem loop: one agent reading only itself is the plain loop, bit for bit, on several
// families and settings; provenance counts are exact; runs resume bit-identically from any state.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.ts';
import { nodeIo } from '../runner/io.ts';
import { experimentOf, prepare } from '../runner/prepare.ts';
import { seedKey } from './seeds.ts';
import { PLAIN } from './family.ts';
import { ecosystem, readPlan, type Agent, type Ecosystem, type EcosystemState } from './ecosystem.ts';
import { loop, type Experiment, type LoopOptions } from './loop.ts';
import { categorical, type CategoricalModel, type Counts } from '../families/categorical/index.ts';
import { foldIn, key } from './random.ts';

/** The ecosystem of one agent that posts what the plain loop samples and reads only itself. */
function lone<M, D>(exp: Experiment<M, D>, o: LoopOptions): Ecosystem<M, D> {
  if (o.policy === 'augment' || o.realFraction !== 0) throw new Error('an ecosystem of one maps only policy replace/accumulate without real data');
  const agent: Agent<M, D> = { name: 'a', family: exp.family, initial: exp.initial, samples: o.samples, posts: o.samples, sampling: o.sampling, filter: o.filter, training: o.training, reads: [1] };
  return { agents: [agent], generations: o.generations, policy: o.policy, window: o.accumulateWindow, stopWhenCollapsed: o.stopWhenCollapsed };
}

const CASES: Record<string, string> = {
  'coin, stops at collapse': 'family: categorical\ninit: { probs: [0.4, 0.6] }\nloop: { generations: 400, samples: 10 }',
  'categorical k = 4, T = 0.8, top-k, keepTop by likelihood, fine-tune, a sample schedule':
    'family: categorical\ninit: { probs: [0.1, 0.2, 0.3, 0.4] }\nloop: { generations: 40, samples: [{ from: 1, n: 30 }, { from: 10, n: 50 }], temperature: 0.8, topK: 3, filter: { kind: keepTop, fraction: 0.5 }, training: finetune, finetuneKeep: 0.3 }',
  'categorical, choice by reward, smoothing': 'family: categorical\ninit: { probs: [0.3, 0.3, 0.4] }\nreward: [0, 1, 2]\nmodel: { smoothing: 0.5 }\nloop: { generations: 30, samples: 40, filter: { kind: choice, by: reward, beta: 0.5 } }',
  'coin, accumulate with a window': 'family: categorical\ninit: { probs: [0.5, 0.5] }\nloop: { generations: 30, samples: 15, policy: accumulate, accumulateWindow: 3, stopWhenCollapsed: false }',
  'coin, accumulate everything': 'family: categorical\ninit: { probs: [0.5, 0.5] }\nloop: { generations: 25, samples: 8, policy: accumulate }',
  'gaussian 1-D, T = 0.9, fine-tune': 'family: gaussian\ninit: { mean: [0], cov: [[1]] }\nloop: { generations: 30, samples: 20, temperature: 0.9, training: finetune, finetuneKeep: 0.5 }',
  'gaussian 2-D, keepTop by reward': 'family: gaussian\ninit: { mean: [0, 0], cov: [[1, 0.3], [0.3, 2]] }\nreward: { target: [1, 1] }\nloop: { generations: 20, samples: 30, filter: { kind: keepTop, fraction: 0.5, by: reward } }',
  'ngram toy corpus, tokens, T = 0.8': 'family: ngram\ncorpus: { source: toy, text: a b c b c b a }\nmodel: { order: 2 }\nloop: { generations: 40, tokens: 20, temperature: 0.8, maxLength: 100, onTooLong: reject }',
  'ngram toy corpus, sentences, accumulate window 2': "family: ngram\ncorpus: { source: toy, text: \"the cat sat\\nthe dog sat down\\na cat ran\\nthe dog ran\" }\nmodel: { order: 2 }\nloop: { generations: 20, sentences: 6, policy: accumulate, accumulateWindow: 2 }",
};

describe('an ecosystem of one agent is the plain loop', () => {
  it.each(Object.entries(CASES))('%s', async (_name, body) => {
    const prep = await prepare(parseConfig(`${body}\nseeds: 3\nseed: 11\n`, 'lone.yaml'), nodeIo);
    for (const seed of prep.seeds) {
      const exp = experimentOf(prep, seed);
      const k = seedKey(prep.config.seed, seed);
      const plain = [...loop(exp, prep.options, k)];
      const eco = [...ecosystem(lone(exp, prep.options), k)];
      expect(eco.length).toBe(plain.length);
      plain.forEach((s, t) => {
        const e = eco[t]!;
        expect(e.generation).toBe(s.generation);
        expect(JSON.stringify(e.models[0])).toBe(JSON.stringify(s.model));
        expect(e.collapsed[0]).toBe(s.collapsed);
        expect(e.settled).toBe(s.collapsed);
        if (t > 0) expect(JSON.stringify(e.train![0])).toBe(JSON.stringify(s.train));
      });
    }
  });
});

const fam = categorical({ smoothing: 0, finetuneKeep: 0 });
const coinAgent = (name: string, over: Partial<Agent<CategoricalModel, Counts>>): Agent<CategoricalModel, Counts> => ({
  name, family: fam, initial: { probs: [0.5, 0.5] }, samples: () => 30, posts: () => 30, sampling: PLAIN, filter: { kind: 'none' }, training: 'scratch', reads: [1, 0, 0], ...over,
});

/** Two coins and people who read both and themselves (stubbornness 0.3). */
function pair(policy: 'replace' | 'accumulate', window?: number): Ecosystem<CategoricalModel, Counts> {
  return {
    agents: [coinAgent('a', { samples: () => 31, reads: [5, 2, 1] }), coinAgent('b', { posts: () => 14, samples: () => 17, reads: [1, 6, 1] })],
    people: {
      name: 'people', family: fam, initial: { probs: [0.5, 0.5] }, posts: () => 9, drawReal: (n, k) => fam.sample({ probs: [0.5, 0.5] }, n, PLAIN, k),
      drift: { reads: [1, 1, 2], stubbornness: 0.3, opinion: { empirical: (d) => ({ probs: d.map((c) => c / fam.size(d)) }), mix: (w, ms) => ({ probs: [0, 1].map((i) => ms.reduce((s, m, j) => s + w[j]! * m.probs[i]!, 0)) }) } },
    },
    generations: 12, policy, window, stopWhenCollapsed: false,
  };
}

describe('provenance', () => {
  it.each([['replace', undefined], ['accumulate', 3], ['accumulate', undefined]] as const)('every agent reads exactly k_ij posts of each author (%s, window %s)', (policy, window) => {
    const eco = pair(policy, window);
    for (const st of ecosystem(eco, key(3))) {
      const t = st.generation;
      if (t === 0) continue;
      const posted = [30, 14, 9];
      const first = window === undefined ? (policy === 'replace' ? t : 1) : Math.max(1, t - window + 1);
      expect(st.pool.map((p) => [p.author, p.generation, fam.size(p.data)])).toEqual(
        Array.from({ length: t - first + 1 }, (_, g) => [0, 1, 2].map((a) => [a, first + g, posted[a]!])).flat(),
      );
      st.reads.forEach((reads, i) => {
        const plan = readPlan(eco, i, t);
        plan.forEach((k, j) => expect(reads.filter((r) => r.author === j).reduce((s, r) => s + r.items, 0)).toBe(k));
        expect(reads.every((r) => r.generation >= first && r.generation <= t)).toBe(true);
        expect(fam.size(st.train![i]!)).toBe(plan.reduce((a, b) => a + b, 0));
      });
    }
    // replace: a reads round(31·5/8) = 19, round(31·2/8) = 8, round(31/8) = 4; b reads 2, 13, 2.
    expect(readPlan(pair('replace'), 0, 1)).toEqual([19, 8, 4]);
    expect(readPlan(pair('replace'), 1, 1)).toEqual([2, 13, 2]);
  });

  it('a resumed ecosystem continues bit-identically from any state', () => {
    const eco = pair('accumulate', 2);
    const seedKey = foldIn(key(4), 7);
    const all = [...ecosystem(eco, seedKey)];
    const json = (s: EcosystemState<CategoricalModel, Counts>) => JSON.stringify([s.generation, s.models, s.people, s.pool, s.reads, s.train]);
    for (const from of [1, 5, 11]) {
      const rest = [...ecosystem(eco, seedKey, all[from]!)];
      expect(rest.map(json)).toEqual(all.slice(from + 1).map(json));
    }
  });

  it('people move by Friedkin–Johnsen toward the posts they read, anchored to where they started', () => {
    const eco = pair('replace');
    for (const st of ecosystem(eco, key(5))) {
      if (st.generation === 0) continue;
      const share = (j: number) => st.pool.filter((p) => p.author === j).map((p) => p.data[0]! / fam.size(p.data))[0]!;
      expect(st.people!.probs[0]).toBeCloseTo(0.3 * 0.5 + 0.7 * (share(0) + share(1) + 2 * share(2)) / 4, 14);
    }
  });
});
