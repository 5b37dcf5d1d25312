// First and second moments through one generation of a pool (docs/ecosystems.md, "Exact
// theory"). Given the authors' parameters θ_j (a coin's share, a Gaussian's mean), author j
// posts P_j items that are independent with mean θ_j and variance σ²_j(θ) given the state,
// and each reader i takes a uniformly random subset S_ij of k_ij of them, independently of
// the other readers; people read all of them. Any new parameter that is a linear form
//   L = c + Σ_u a_u θ_u + Σ_e coef_e · Sum(e),   Sum(e) = the sum of the items in set e,
// then has E[L] and E[L L′] in closed form from E[θ], E[θθᵀ] and E[σ²], because a random
// subset of independent items is again independent items, and two readers of the same
// author share E|S_ij ∩ S_lj| = k_ij·k_lj / P_j items (the structured Wright–Fisher and
// island models of Wright 1943 and Kimura & Weiss 1964 move the same moments linearly).

import { readPlan, type Ecosystem } from '../core/ecosystem.ts';

/** Who posts and reads how much at generation t: posts[j] over authors (agents, then people), reads[i][j] = k_ij. */
export interface PoolPlan {
  posts(generation: number): readonly number[];
  reads(generation: number): readonly (readonly number[])[];
}

/** The plan an ecosystem runs by (its posts and k_ij, as core/ecosystem.ts computes them). */
export function poolPlan(eco: Ecosystem<unknown, unknown>): PoolPlan {
  return {
    posts: (t) => [...eco.agents.map((a) => a.posts(t)), ...(eco.people ? [eco.people.posts(t)] : [])],
    reads: (t) => eco.agents.map((_, i) => readPlan(eco, i, t)),
  };
}

/** A set of items of one author: all of its posts (`reader` 'all'), or reader i's subset. */
export interface ItemSet {
  readonly author: number;
  readonly size: number;
  readonly reader: number | 'all';
  readonly coef: number;
}

/** c + Σ_u a[u]·θ_u + Σ_e coef_e·Sum(e); `a` is indexed by author (missing = 0). */
export interface LinearForm {
  readonly c: number;
  readonly a: readonly number[];
  readonly sets: readonly ItemSet[];
}

/** The state's moments: m[u] = E[θ_u], mm[u][v] = E[θ_u θ_v], itemVar[u] = E[σ²_u] (the per-item variance given θ). */
export interface Moments {
  readonly m: readonly number[];
  readonly mm: readonly (readonly number[])[];
  readonly itemVar: readonly number[];
}

/** E[L]. */
export function formMean(f: LinearForm, s: Moments): number {
  let x = f.c;
  f.a.forEach((a, u) => (x += a * s.m[u]!));
  for (const e of f.sets) x += e.coef * e.size * s.m[e.author]!;
  return x;
}

/** E[L·L′]; `posts[j]` = P_j, the items author j posted (the pool the subsets come from). */
export function formProduct(f: LinearForm, g: LinearForm, s: Moments, posts: readonly number[]): number {
  const lin = (h: LinearForm): number => formMean(h, s) - h.c;
  let x = f.c * g.c + f.c * lin(g) + g.c * lin(f);
  f.a.forEach((a, u) => g.a.forEach((b, v) => (x += a * b * s.mm[u]![v]!)));
  // E[θ_u Sum(e)] = |e|·E[θ_u θ_j]
  f.a.forEach((a, u) => g.sets.forEach((e) => (x += a * e.coef * e.size * s.mm[u]![e.author]!)));
  g.a.forEach((a, u) => f.sets.forEach((e) => (x += a * e.coef * e.size * s.mm[u]![e.author]!)));
  for (const e of f.sets) {
    for (const d of g.sets) {
      // E[Sum(e) Sum(d)] = |e||d|·E[θ_j θ_l] + |e ∩ d|·E[σ²_j] (shared items add their variance)
      let y = e.size * d.size * s.mm[e.author]![d.author]!;
      if (e.author === d.author) y += overlap(e, d, posts[e.author]!) * s.itemVar[e.author]!;
      x += e.coef * d.coef * y;
    }
  }
  return x;
}

/** E|e ∩ d| for two sets of the same author's P posts. */
function overlap(e: ItemSet, d: ItemSet, p: number): number {
  if (e.reader === 'all' || d.reader === 'all') return Math.min(e.size, d.size);
  if (e.reader === d.reader) return e.size; // a reader reads an author once: the same subset
  return (e.size * d.size) / p;
}

/** E[coef·Σ_{x∈e} x²] = coef·|e|·(E[σ²_j] + E[θ_j²]) (the second moment of single items). */
export function squaresMean(e: ItemSet, s: Moments): number {
  return e.coef * e.size * (s.itemVar[e.author]! + s.mm[e.author]![e.author]!);
}
