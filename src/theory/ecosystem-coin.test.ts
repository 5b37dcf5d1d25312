// The exact ecosystem moments against the simulated loop (core/ecosystem.ts), for coins and a
// three-outcome categorical: asymmetric posts and samples, fine-tuning and smoothing, people
// who read and people who only post. Every check is a mean over seeds within 5 standard errors
// of the theory: about 250 checks, so a correct recursion fails by chance with probability
// ≈ 250 × 5.7e-7 ≈ 1.4e-4 (keys are fixed, so the outcome is deterministic).
import { describe, expect, it } from 'vitest';
import { ecosystem, type Agent, type Ecosystem } from '../core/ecosystem.ts';
import { PLAIN } from '../core/family.ts';
import { foldIn, key } from '../core/random.ts';
import { categorical, type CategoricalModel, type Counts } from '../families/categorical/index.ts';
import { categoricalHooks } from '../families/categorical/ecosystem.ts';
import { coinEcosystemMoments, type CoinEcosystem } from './ecosystem-coin.ts';
import { poolPlan } from './pool-moments.ts';

type Eco = Ecosystem<CategoricalModel, Counts>;

function agent(name: string, start: number[], posts: number, samples: number, reads: number[], over: { keep?: number; smoothing?: number } = {}): Agent<CategoricalModel, Counts> {
  const family = categorical({ smoothing: over.smoothing ?? 0, finetuneKeep: over.keep ?? 0 });
  return { name, family, initial: { probs: start }, samples: () => samples, posts: () => posts, sampling: PLAIN, filter: { kind: 'none' }, training: over.keep ? 'finetune' : 'scratch', reads };
}

function people(start: number[], posts: number, drift?: { reads: number[]; stubbornness: number }): Eco['people'] {
  const family = categorical({ smoothing: 0, finetuneKeep: 0 });
  return { name: 'people', family, initial: { probs: start }, posts: () => posts, drawReal: (n, k) => family.sample({ probs: start }, n, PLAIN, k), drift: drift && { ...drift, opinion: categoricalHooks.opinion! } };
}

/** The theory's view of the same ecosystem. */
function theoryOf(eco: Eco, keep: number[] = [], smoothing: number[] = []): CoinEcosystem {
  const p = eco.people;
  return {
    agents: eco.agents.map((a, i) => ({ start: a.initial.probs, keep: keep[i] ?? 0, smoothing: smoothing[i] ?? 0 })),
    people: p && { start: p.initial.probs, drift: p.drift && { reads: p.drift.reads, stubbornness: p.drift.stubbornness } },
    plan: poolPlan(eco),
  };
}

/** Every E[p_u[c]] and E[p_u[c]·p_v[c]] at `gens` over `seeds` seeds, against theory, within 5 SE. */
function check(eco: Eco, th: CoinEcosystem, gens: number[], seeds: number, root: number): number {
  const authors = eco.agents.length + (eco.people ? 1 : 0);
  const k = eco.agents[0]!.initial.probs.length;
  const want = coinEcosystemMoments(th, gens);
  // stats[g][quantity] = [Σx, Σx²]; quantities: mean (u, c), then product (u ≤ v, c)
  const q: { name: string; theory: (gi: number) => number; value: (ps: number[][]) => number }[] = [];
  for (let u = 0; u < authors; u++) {
    for (let c = 0; c < k; c++) {
      q.push({ name: `E p${u}[${c}]`, theory: (gi) => want[gi]!.mean[u]![c]!, value: (ps) => ps[u]![c]! });
      for (let v = u; v < authors; v++) q.push({ name: `E p${u}[${c}]·p${v}[${c}]`, theory: (gi) => want[gi]!.second[u]![v]![c]!, value: (ps) => ps[u]![c]! * ps[v]![c]! });
    }
  }
  const sums = gens.map(() => q.map(() => [0, 0]));
  for (let s = 0; s < seeds; s++) {
    const states = [...ecosystem(eco, foldIn(key(root), s))];
    gens.forEach((g, gi) => {
      const st = states[g]!;
      const ps = [...st.models.map((m) => [...m.probs]), ...(st.people ? [[...st.people.probs]] : [])];
      q.forEach((x, j) => {
        const v = x.value(ps);
        sums[gi]![j]![0]! += v;
        sums[gi]![j]![1]! += v * v;
      });
    });
  }
  let checks = 0;
  gens.forEach((g, gi) =>
    q.forEach((x, j) => {
      const [s1, s2] = sums[gi]![j]! as [number, number];
      const mean = s1 / seeds;
      const se = Math.sqrt(Math.max(0, s2 / seeds - mean * mean) / (seeds - 1));
      const t = x.theory(gi);
      // A quantity that cannot vary (a fixed start, people who never move) must match exactly.
      expect(Math.abs(mean - t), `${x.name} at generation ${g}: simulated ${mean} ± ${se}, theory ${t}`).toBeLessThanOrEqual(se === 0 ? 1e-12 : 5 * se);
      checks++;
    }),
  );
  return checks;
}

const base = (over: Partial<Eco>): Eco => ({ agents: [], generations: 8, policy: 'replace', stopWhenCollapsed: false, ...over });

describe('coin ecosystem moments: the exact recursion against the loop', () => {
  it('two coins with asymmetric posts and samples and people who read both and themselves', () => {
    const eco = base({
      agents: [agent('a', [0.5, 0.5], 30, 31, [5, 2, 1]), agent('b', [0.8, 0.2], 14, 17, [1, 6, 1])],
      people: people([0.4, 0.6], 9, { reads: [1, 1, 2], stubbornness: 0.3 }),
    });
    expect(check(eco, theoryOf(eco), [1, 3, 8], 20_000, 1)).toBe(3 * 2 * (3 + 3 + 2 + 1));
  });

  it('two coins reading each other, no people; and the same two alone', () => {
    for (const reads of [[[3, 1], [1, 3]], [[1, 0], [0, 1]]]) {
      const eco = base({ agents: [agent('a', [0.3, 0.7], 12, 12, reads[0]!), agent('b', [0.6, 0.4], 20, 8, reads[1]!)] });
      check(eco, theoryOf(eco), [1, 4, 8], 20_000, 2);
    }
  });

  it('three outcomes, fine-tuning and smoothing, people who only post (a little human text)', () => {
    const eco = base({
      agents: [
        agent('a', [0.2, 0.3, 0.5], 25, 20, [4, 1, 0, 1], { keep: 0.4 }),
        agent('b', [0.2, 0.3, 0.5], 10, 15, [1, 3, 1, 1], { smoothing: 0.5 }),
        agent('c', [0.6, 0.2, 0.2], 18, 18, [0, 1, 2, 1]),
      ],
      people: people([0.2, 0.3, 0.5], 6),
    });
    check(eco, theoryOf(eco, [0.4], [0, 0.5]), [1, 5], 10_000, 3);
  });
});
