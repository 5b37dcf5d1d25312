// The exact mean and variance recursion of an ecosystem of 1-D Gaussian agents, the
// linear-Gaussian model of Vu, Reeves & Wenger (ICLR 2026) with the pool's subsets
// (docs/ecosystems.md): no filter, policy replace. Author j posts P_j independent points
// N(μ_j, T_j·v_j); agent i refits on its k_ij points of each author, μ̂ = x̄ and
// v̂ = (Σx² − n·x̄²)/d (d = n − 1 unbiased, n for ml), fine-tuning averages parameters
// (θ′ = m·θ + (1 − m)·θ̂). People who read hold the moment-matched mixture of their anchor and
// the posts they read (families/gaussian/opinion.ts). Means are linear forms (pool-moments.ts),
// and E[v̂] needs only E[μμᵀ] and E[v], so (E[μ], E[μμᵀ], E[v]) evolves in closed form.
import { formMean, formProduct, squaresMean, type LinearForm, type Moments, type PoolPlan } from './pool-moments.ts';

export interface GaussianEcosystem {
  readonly agents: readonly { readonly mean: number; readonly variance: number; readonly keep: number; readonly temperature: number; readonly divisor: 'unbiased' | 'ml' }[];
  readonly people?: { readonly mean: number; readonly variance: number; readonly drift?: { readonly reads: readonly number[]; readonly stubbornness: number } | undefined } | undefined;
  readonly plan: PoolPlan;
}

/** Per recorded generation and author (agents, then people): E[μ], E[μ_u μ_v] and E[v]. */
export interface GaussianMoments {
  readonly mean: readonly number[];
  readonly second: readonly (readonly number[])[];
  readonly variance: readonly number[];
}

export function gaussianEcosystemMoments(eco: GaussianEcosystem, generations: readonly number[]): GaussianMoments[] {
  const authors = [...eco.agents, ...(eco.people ? [{ ...eco.people, temperature: 1 }] : [])];
  const temps = authors.map((a) => a.temperature);
  let ev = authors.map((a) => a.variance);
  let s: Moments = { m: authors.map((a) => a.mean), mm: authors.map((a) => authors.map((b) => a.mean * b.mean)), itemVar: ev.map((v, u) => temps[u]! * v) };
  const at = new Map<number, GaussianMoments>([[0, { mean: s.m, second: s.mm, variance: ev }]]);
  const last = Math.max(0, ...generations);
  for (let t = 1; t <= last; t++) {
    const posts = eco.plan.posts(t);
    const reads = eco.plan.reads(t);
    const means: LinearForm[] = [];
    const nextVar: number[] = [];
    eco.agents.forEach((a, i) => {
      const n = reads[i]!.reduce((x, y) => x + y, 0);
      const sets = reads[i]!.flatMap((size, j) => (size > 0 ? [{ author: j, size, reader: i, coef: 1 / n }] : []));
      const xbar: LinearForm = { c: 0, a: [], sets };
      const d = a.divisor === 'unbiased' ? n - 1 : n;
      const squares = sets.reduce((x, e) => x + squaresMean({ ...e, coef: 1 }, s), 0);
      const fitted = (squares - n * formProduct(xbar, xbar, s, posts)) / d;
      means.push({ c: 0, a: authors.map((_, u) => (u === i ? a.keep : 0)), sets: sets.map((e) => ({ ...e, coef: (1 - a.keep) / n })) });
      nextVar.push(a.keep * ev[i]! + (1 - a.keep) * fitted);
    });
    const p = eco.people;
    if (p) {
      const d = p.drift;
      if (!d) {
        means.push({ c: p.mean, a: [], sets: [] });
        nextVar.push(p.variance);
      } else {
        const total = d.reads.reduce((x, y) => x + y, 0);
        const w = (j: number) => ((1 - d.stubbornness) * d.reads[j]!) / total;
        const sets = d.reads.flatMap((r, j) => (r > 0 ? [{ author: j, size: posts[j]!, reader: 'all' as const, coef: w(j) / posts[j]! }] : []));
        const mu: LinearForm = { c: d.stubbornness * p.mean, a: [], sets };
        // A mixture's variance: its second moment minus its squared mean.
        const second = d.stubbornness * (p.variance + p.mean ** 2) + sets.reduce((x, e) => x + squaresMean(e, s), 0);
        means.push(mu);
        nextVar.push(second - formProduct(mu, mu, s, posts));
      }
    }
    const m = means.map((f) => formMean(f, s));
    const mm = means.map((f) => means.map((g) => formProduct(f, g, s, posts)));
    ev = nextVar;
    s = { m, mm, itemVar: ev.map((v, u) => temps[u]! * v) };
    at.set(t, { mean: m, second: mm, variance: ev });
  }
  return generations.map((g) => at.get(g)!);
}

/** Keyed like the recorded metrics: a.mean, a.variance, people.mean, people.variance, disagreementSq (mean over agent pairs of E[(μ_a − μ_b)²]). */
export function gaussianPredictions(names: readonly string[], people: string | undefined, at: readonly GaussianMoments[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  (people === undefined ? names : [...names, people]).forEach((name, u) => {
    out[`${name}.mean`] = at.map((s) => s.mean[u]!);
    out[`${name}.variance`] = at.map((s) => s.variance[u]!);
  });
  if (names.length > 1) {
    out.disagreementSq = at.map((s) => {
      let sum = 0;
      let pairs = 0;
      for (let a = 0; a < names.length; a++) for (let b = a + 1; b < names.length; b++, pairs++) sum += s.second[a]![a]! + s.second[b]![b]! - 2 * s.second[a]![b]!;
      return sum / pairs;
    });
  }
  return out;
}
