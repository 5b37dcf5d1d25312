// Exact moments of an ecosystem of categorical agents (coins are k = 2) at T = 1 with no
// filter and policy replace (docs/ecosystems.md). Each outcome c is a coin of its own: posts
// of author j hold Binomial(P_j, p_j[c]) items of outcome c, and what a reader takes is a
// hypergeometric draw from them, so E[p[c]] and E[p[c]·p′[c]] over all agents and the people
// evolve linearly through a generation (pool-moments.ts). Refits are
//   p_i′ = m_i·p_i + (1 − m_i)·(count_i + α_i) / (n_i + kα_i)   (m_i = 0 for scratch),
// and people who read move by Friedkin–Johnsen, p_h′ = s·p_h(0) + (1 − s)·Σ_j r̃_j·X_j / P_j.
import { formMean, formProduct, type LinearForm, type Moments, type PoolPlan } from './pool-moments.ts';

export interface CoinEcosystem {
  /** Per agent: its starting probabilities, fine-tune keep m (0 for scratch) and add-α smoothing. */
  readonly agents: readonly { readonly start: readonly number[]; readonly keep: number; readonly smoothing: number }[];
  /** The people (last author): their starting view and, if they read, their read weights and stubbornness. */
  readonly people?: { readonly start: readonly number[]; readonly drift?: { readonly reads: readonly number[]; readonly stubbornness: number } | undefined } | undefined;
  readonly plan: PoolPlan;
}

/** Per recorded generation: E[p_u[c]] and E[p_u[c]·p_v[c]] for every outcome c (u, v over agents, then the people). */
export interface CoinMoments {
  readonly mean: readonly (readonly number[])[];
  readonly second: readonly (readonly (readonly number[])[])[];
}

/** The exact moments at each of `generations` (any order; generation 0 is the start). */
export function coinEcosystemMoments(eco: CoinEcosystem, generations: readonly number[]): CoinMoments[] {
  const k = eco.agents[0]!.start.length;
  const starts = [...eco.agents.map((a) => a.start), ...(eco.people ? [eco.people.start] : [])];
  let state = Array.from({ length: k }, (_, c) => pointMass(starts.map((p) => p[c]!)));
  const last = Math.max(0, ...generations);
  const at = new Map<number, CoinMoments>();
  const keep = (g: number) => at.set(g, { mean: starts.map((_, u) => state.map((s) => s.m[u]!)), second: starts.map((_, u) => starts.map((_, v) => state.map((s) => s.mm[u]![v]!))) });
  keep(0);
  for (let t = 1; t <= last; t++) {
    const posts = eco.plan.posts(t);
    state = state.map((s, c) => step(s, forms(eco, t, c, k), posts));
    keep(t);
  }
  return generations.map((g) => at.get(g)!);
}

/** The new parameters of generation t for outcome c, as linear forms in the old ones and the posts. */
function forms(eco: CoinEcosystem, t: number, c: number, k: number): LinearForm[] {
  const reads = eco.plan.reads(t);
  const posts = eco.plan.posts(t);
  const out: LinearForm[] = eco.agents.map((a, i) => {
    const n = reads[i]!.reduce((x, y) => x + y, 0);
    const den = n + k * a.smoothing;
    const own = eco.agents.map((_, u) => (u === i ? a.keep : 0));
    const sets = reads[i]!.flatMap((size, j) => (size > 0 ? [{ author: j, size, reader: i, coef: (1 - a.keep) / den }] : []));
    return { c: ((1 - a.keep) * a.smoothing) / den, a: own, sets };
  });
  const people = eco.people;
  if (people) {
    const x0 = people.start[c]!;
    const d = people.drift;
    if (!d) out.push({ c: x0, a: [], sets: [] });
    else {
      const total = d.reads.reduce((x, y) => x + y, 0);
      const sets = d.reads.flatMap((r, j) => (r > 0 ? [{ author: j, size: posts[j]!, reader: 'all' as const, coef: ((1 - d.stubbornness) * r) / total / posts[j]! }] : []));
      out.push({ c: d.stubbornness * x0, a: [], sets });
    }
  }
  return out;
}

function step(s: Moments, fs: readonly LinearForm[], posts: readonly number[]): Moments {
  const m = fs.map((f) => formMean(f, s));
  const mm = fs.map((f) => fs.map((g) => formProduct(f, g, s, posts)));
  return { m, mm, itemVar: m.map((x, u) => x - mm[u]![u]!) };
}

/** A deterministic start: E[θ] = θ, E[θθᵀ] = θθᵀ. */
function pointMass(theta: readonly number[]): Moments {
  return { m: theta, mm: theta.map((a) => theta.map((b) => a * b)), itemVar: theta.map((x) => x * (1 - x)) };
}

/** What the moments say of the recorded metrics, keyed like them (a.giniSimpson, people.p0, disagreementSq, …). */
export function coinPredictions(names: readonly string[], people: string | undefined, at: readonly CoinMoments[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  const put = (key: string, f: (s: CoinMoments) => number) => (out[key] = at.map(f));
  // Each is ≥ 0 but a difference of sums near 1 once a coin is nearly surely fixed; rounding
  // would print −4e-15 beside a simulated 0, so they are floored at 0.
  const gs = (s: CoinMoments, u: number) => Math.max(0, 1 - s.second[u]![u]!.reduce((x, y) => x + y, 0));
  const variance = (s: CoinMoments, u: number) => Math.max(0, s.second[u]![u]![0]! - s.mean[u]![0]! ** 2);
  const authors = people === undefined ? names : [...names, people];
  authors.forEach((name, u) => {
    put(`${name}.giniSimpson`, (s) => gs(s, u));
    put(`${name}.p0`, (s) => s.mean[u]![0]!);
    put(`${name}.p0Variance`, (s) => variance(s, u));
  });
  if (names.length > 1) {
    // ½ Σ_c E[(p_a[c] − p_b[c])²], which is E[(p_a − p_b)²] for coins, averaged over pairs.
    put('disagreementSq', (s) => {
      let sum = 0;
      let pairs = 0;
      for (let a = 0; a < names.length; a++) {
        for (let b = a + 1; b < names.length; b++, pairs++) {
          s.second[a]![a]!.forEach((x, c) => (sum += 0.5 * (x + s.second[b]![b]![c]! - 2 * s.second[a]![b]![c]!)));
        }
      }
      return Math.max(0, sum / pairs);
    });
  }
  return out;
}
