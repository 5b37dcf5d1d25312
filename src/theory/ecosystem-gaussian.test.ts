// The Gaussian ecosystem recursion against the simulated loop: E[μ_u], E[μ_u μ_v] and E[v_u]
// for every author at several generations, within 5 standard errors of the mean over seeds
// (about 100 checks: a correct recursion fails by chance with probability ≈ 6e-5).
import { describe, expect, it } from 'vitest';
import { ecosystem, type Agent, type Ecosystem } from '../core/ecosystem.ts';
import { PLAIN } from '../core/family.ts';
import { foldIn, key } from '../core/random.ts';
import { gaussian, sampleGaussian, type GaussianModel } from '../families/gaussian/family.ts';
import { gaussianHooks } from '../families/gaussian/ecosystem.ts';
import type { Points } from '../families/points/index.ts';
import { gaussianEcosystemMoments, type GaussianEcosystem } from './ecosystem-gaussian.ts';
import { poolPlan } from './pool-moments.ts';

type Eco = Ecosystem<GaussianModel, Points>;
interface Spec { mean: number; variance: number; posts: number; samples: number; reads: number[]; keep?: number; temperature?: number; divisor?: 'unbiased' | 'ml' }

const model = (mean: number, variance: number): GaussianModel => ({ mean: [mean], cov: [[variance]] });

function build(specs: Spec[], people?: { mean: number; variance: number; posts: number; drift?: { reads: number[]; stubbornness: number } }): { eco: Eco; th: GaussianEcosystem } {
  const agents = specs.map((s, i): Agent<GaussianModel, Points> => ({
    name: `g${i}`, family: gaussian({ variance: s.divisor ?? 'unbiased', finetuneKeep: s.keep ?? 0 }, model(s.mean, s.variance)), initial: model(s.mean, s.variance),
    samples: () => s.samples, posts: () => s.posts, sampling: { ...PLAIN, temperature: s.temperature ?? 1 }, filter: { kind: 'none' }, training: s.keep ? 'finetune' : 'scratch', reads: s.reads,
  }));
  const p0 = people && model(people.mean, people.variance);
  const eco: Eco = {
    agents, generations: 6, policy: 'replace', stopWhenCollapsed: false,
    people: people && { name: 'people', family: agents[0]!.family, initial: p0!, posts: () => people.posts, drawReal: (n, k) => sampleGaussian(p0!, n, PLAIN, k), drift: people.drift && { ...people.drift, opinion: gaussianHooks.opinion! } },
  };
  const th: GaussianEcosystem = {
    agents: specs.map((s) => ({ mean: s.mean, variance: s.variance, keep: s.keep ?? 0, temperature: s.temperature ?? 1, divisor: s.divisor ?? 'unbiased' })),
    people: people && { mean: people.mean, variance: people.variance, drift: people.drift },
    plan: poolPlan(eco),
  };
  return { eco, th };
}

function check({ eco, th }: { eco: Eco; th: GaussianEcosystem }, gens: number[], seeds: number, root: number): void {
  const want = gaussianEcosystemMoments(th, gens);
  const n = eco.agents.length + (eco.people ? 1 : 0);
  const q: { name: string; theory: (gi: number) => number; value: (mu: number[], v: number[]) => number }[] = [];
  for (let u = 0; u < n; u++) {
    q.push({ name: `E μ${u}`, theory: (gi) => want[gi]!.mean[u]!, value: (mu) => mu[u]! });
    q.push({ name: `E v${u}`, theory: (gi) => want[gi]!.variance[u]!, value: (_mu, v) => v[u]! });
    for (let w = u; w < n; w++) q.push({ name: `E μ${u}μ${w}`, theory: (gi) => want[gi]!.second[u]![w]!, value: (mu) => mu[u]! * mu[w]! });
  }
  const sums = gens.map(() => q.map(() => [0, 0] as [number, number]));
  for (let s = 0; s < seeds; s++) {
    const states = [...ecosystem(eco, foldIn(key(root), s))];
    gens.forEach((g, gi) => {
      const st = states[g]!;
      const ms = [...st.models, ...(st.people ? [st.people] : [])];
      const mu = ms.map((m) => m.mean[0]!);
      const v = ms.map((m) => m.cov[0]![0]!);
      q.forEach((x, j) => {
        const y = x.value(mu, v);
        sums[gi]![j]![0] += y;
        sums[gi]![j]![1] += y * y;
      });
    });
  }
  gens.forEach((g, gi) =>
    q.forEach((x, j) => {
      const [s1, s2] = sums[gi]![j]!;
      const mean = s1 / seeds;
      const se = Math.sqrt(Math.max(0, s2 / seeds - mean * mean) / (seeds - 1));
      const t = x.theory(gi);
      expect(Math.abs(mean - t), `${x.name} at generation ${g}: simulated ${mean} ± ${se}, theory ${t}`).toBeLessThanOrEqual(se === 0 ? 1e-9 * Math.max(1, Math.abs(t)) : 5 * se);
    }),
  );
}

describe('gaussian ecosystem: the exact mean and variance recursion against the loop', () => {
  it('two agents with asymmetric posts and samples, T = 0.9, fine-tuning, people who read', () => {
    const sys = build(
      [
        { mean: 0, variance: 1, posts: 20, samples: 16, reads: [3, 1, 1], temperature: 0.9 },
        { mean: 2, variance: 0.5, posts: 8, samples: 12, reads: [1, 2, 1], keep: 0.3 },
      ],
      { mean: 1, variance: 2, posts: 10, drift: { reads: [1, 1, 1], stubbornness: 0.4 } },
    );
    check(sys, [1, 3, 6], 10_000, 1);
  });

  it('three agents with the ml divisor and people who only post', () => {
    const sys = build(
      [
        { mean: -1, variance: 1, posts: 10, samples: 10, reads: [1, 1, 0, 1], divisor: 'ml' },
        { mean: 1, variance: 1, posts: 6, samples: 9, reads: [0, 2, 1, 0] },
        { mean: 0, variance: 3, posts: 15, samples: 5, reads: [1, 1, 1, 1], divisor: 'ml' },
      ],
      { mean: 0, variance: 1, posts: 12 },
    );
    check(sys, [1, 4], 10_000, 2);
  });
});
