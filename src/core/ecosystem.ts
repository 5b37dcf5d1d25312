// The pool and agents (docs/ecosystems.md): several models and people share one pool of posts.
// One generation t:
//   1. posting: agent j posts posts_j(t) items drawn from its model of t − 1 through its own
//      sampling and filter; the people post from their current view;
//   2. reading: agent i trains on k_ij = round(samples_i · w_ij / Σ_j w_ij) distinct posts of each
//      author j (pool.ts), by scratch or fine-tune;
//   3. drift (people who read): p_h(t) = s·p_h(0) + (1 − s)·Σ_j r_j·q̂_j(t) / Σ_j r_j, with q̂_j
//      the distribution of author j's posts (Friedkin & Johnsen 1990).
// Keys: agent i's streams come from foldIn(generationKey, i), the people's from their own index
// (after the agents'); a lone agent keeps the generation key itself, so that one agent reading
// only itself draws exactly what core/loop.ts draws: every plain run is an ecosystem of one.
import type { Family, Sampling } from './family.ts';
import { PLAIN } from './family.ts';
import { drawFiltered, type Filter } from './filters.ts';
import { readCounts, readPosts, windowStart, type Post, type Read } from './pool.ts';
import { foldIn, splitAt, type Key } from './random.ts';
import { generationKey } from './seeds.ts';

/** One model in the ecosystem: a family (with its own options), its start and its loop knobs. */
export interface Agent<M, D> {
  readonly name: string;
  readonly family: Family<M, D>;
  readonly initial: M;
  /** n_i(t): the training items the read weights share out. */
  readonly samples: (generation: number) => number;
  /** Items posted per generation (0 = reads only). */
  readonly posts: (generation: number) => number;
  readonly sampling: Sampling;
  readonly filter: Filter;
  readonly training: 'scratch' | 'finetune';
  /** Read weights over authors: the agents in order, then the people. */
  readonly reads: readonly number[];
}

/** What people who drift need of a family: the law of a set of items, and mixtures of laws. */
export interface Opinion<M, D> {
  /** The distribution the items themselves make (each item equally likely). */
  empirical(data: D): M;
  /** Σ_k weights_k · models_k, for non-negative weights summing to 1. */
  mix(weights: readonly number[], models: readonly M[]): M;
}

/** What ecosystems need of a family beyond Family; without a part, what needs it is refused or not recorded. */
export interface EcosystemHooks<M, D> {
  /** How people take in posts: without it, people of this family only post real data. */
  readonly opinion?: Opinion<M, D>;
  /** Total variation between two models, or undefined where it has no closed form. */
  tv?(a: M, b: M): number | undefined;
  /** The squared distance exact theory follows (½Σ_c (p_a[c] − p_b[c])² for a categorical, ‖μ_a − μ_b‖² for a Gaussian). */
  distanceSq?(a: M, b: M): number;
  /** The entropy (nats) of the law a set of items makes, or undefined where it is not defined. */
  poolEntropy?(data: D): number | undefined;
}

/** Human writers: they post real items from their view; with `drift` that view follows what they read. */
export interface People<M, D> {
  readonly name: string;
  readonly family: Family<M, D>;
  /** p_h(0): the real distribution. */
  readonly initial: M;
  readonly posts: (generation: number) => number;
  /** n items of real data (what people at their starting view post); uses `key`. */
  drawReal(n: number, key: Key): D;
  readonly drift?: { readonly reads: readonly number[]; readonly stubbornness: number; readonly opinion: Opinion<M, D> } | undefined;
}

export interface Ecosystem<M, D> {
  readonly agents: readonly Agent<M, D>[];
  readonly people?: People<M, D> | undefined;
  readonly generations: number;
  readonly policy: 'replace' | 'accumulate';
  /** accumulate: the pool keeps the last W generations' posts (undefined = all). */
  readonly window?: number | undefined;
  /** Stop once the agents are absorbed (see `absorbed`) when there are no people. */
  readonly stopWhenCollapsed: boolean;
}

export interface EcosystemState<M, D> {
  readonly generation: number;
  /** Each agent's model. */
  readonly models: readonly M[];
  /** The people's view (their starting view unless they drift); undefined without people. */
  readonly people: M | undefined;
  /** The posts in the pool (generation 0: none). */
  readonly pool: readonly Post<D>[];
  /** Per agent: where its training set came from (generation 0: nothing). */
  readonly reads: readonly (readonly Read[])[];
  /** Per agent: its training set this generation (absent at generation 0). */
  readonly train?: readonly D[];
  readonly collapsed: readonly boolean[];
  /** The ecosystem's collapse: every agent collapsed, and each reads only agents with its own model. */
  readonly settled: boolean;
  /** Settled, and every agent's collapse is absorbing (Family.absorbing): no agent can ever change again. */
  readonly absorbed: boolean;
}

/** The key of agent i among `agents` in the generation with key kGen (a lone agent keeps kGen: the plain loop's streams). */
function agentKey(kGen: Key, i: number, agents: number): Key {
  return agents === 1 ? kGen : foldIn(kGen, i);
}

/** The people's key in the generation with key kGen: their index comes after the agents'. */
function peopleKey(kGen: Key, agents: number): Key {
  return foldIn(kGen, agents);
}

/**
 * k_ij(t) for reader i: under replace round(n_i(t)·w̃_ij); under accumulate the sum of that over
 * the generations in the window, so the training set grows as the plain accumulate loop's does.
 */
export function readPlan(eco: Ecosystem<unknown, unknown>, reader: number, t: number): number[] {
  const a = eco.agents[reader]!;
  const out = a.reads.map(() => 0);
  for (let g = windowStart(t, eco.policy, eco.window); g <= t; g++) readCounts(a.samples(g), a.reads).forEach((k, j) => (out[j]! += k));
  return out;
}

/**
 * Runs one seed of the ecosystem, yielding generation 0 and then every generation's state.
 * Generation t uses foldIn(seedKey, t); agent i's streams are splitAt(kAgent, 0) to post,
 * splitAt(kAgent, 2) to fit and foldIn(splitAt(kAgent, 3), j) to read author j (index 1 is the
 * plain loop's real-data stream, unused here), the people's splitAt(kPeople, 0) to post.
 * Resuming from any yielded state with the same seedKey continues bit-identically.
 */
export function* ecosystem<M, D>(eco: Ecosystem<M, D>, seedKey: Key, start?: EcosystemState<M, D>): Generator<EcosystemState<M, D>> {
  let state = start ?? initialState(eco);
  if (!start) yield state;
  // With people the pool keeps moving after the agents are absorbed (their posts are fresh
  // draws), so only an ecosystem of agents alone may stop and be carried forward exactly.
  const stops = eco.stopWhenCollapsed && !eco.people;
  while (state.generation < eco.generations && !(stops && state.absorbed)) {
    state = step(eco, state, generationKey(seedKey, state.generation + 1));
    yield state;
  }
}

function initialState<M, D>(eco: Ecosystem<M, D>): EcosystemState<M, D> {
  const models = eco.agents.map((a) => a.initial);
  const collapsed = eco.agents.map((a, i) => a.family.collapsed(models[i]!));
  const reads = eco.agents.map(() => []);
  return { generation: 0, models, people: eco.people?.initial, pool: [], reads, collapsed, ...settling(eco, models, collapsed, 1) };
}

function step<M, D>(eco: Ecosystem<M, D>, state: EcosystemState<M, D>, kGen: Key): EcosystemState<M, D> {
  const t = state.generation + 1;
  const n = eco.agents.length;
  const keys = eco.agents.map((_, i) => agentKey(kGen, i, n));
  const fresh: Post<D>[] = [];
  eco.agents.forEach((a, i) => {
    const count = a.posts(t);
    if (count > 0) fresh.push({ author: i, generation: t, count, data: drawFiltered(a.family, state.models[i]!, count, a.sampling, a.filter, splitAt(keys[i]!, 0)) });
  });
  const people = eco.people;
  if (people && people.posts(t) > 0) {
    const count = people.posts(t);
    const k = splitAt(peopleKey(kGen, n), 0);
    fresh.push({ author: n, generation: t, count, data: people.drift ? people.family.sample(state.people!, count, PLAIN, k) : people.drawReal(count, k) });
  }
  const from = windowStart(t, eco.policy, eco.window);
  const pool = [...state.pool.filter((p) => p.generation >= from), ...fresh];
  const byAuthor = (j: number) => pool.filter((p) => p.author === j);
  const train: D[] = [];
  const reads: Read[][] = [];
  const models = eco.agents.map((a, i) => {
    const plan = readPlan(eco, i, t);
    const parts: D[] = [];
    const provenance: Read[] = [];
    const kRead = splitAt(keys[i]!, 3);
    plan.forEach((k, j) => {
      if (k === 0) return;
      const got = readPosts(a.family, byAuthor(j), k, foldIn(kRead, j));
      parts.push(...got.data);
      provenance.push(...got.reads);
    });
    if (parts.length === 0) throw new RangeError(`agent '${a.name}' read nothing at generation ${t}: its read weights round every k_ij to 0; raise its samples`);
    const data = a.family.concat(parts);
    train.push(data);
    reads.push(provenance);
    const prior = a.training === 'finetune' ? { from: state.models[i]! } : {};
    return a.family.fit(data, { key: splitAt(keys[i]!, 2), ...prior });
  });
  const view = people?.drift ? drift(people, byAuthor) : state.people;
  const collapsed = eco.agents.map((a, i) => a.family.collapsed(models[i]!));
  return { generation: t, models, people: view, pool, reads, train, collapsed, ...settling(eco, models, collapsed, t + 1) };
}

/** Friedkin–Johnsen: p_h = s·p_h(0) + (1 − s)·Σ_j r̃_j·q̂_j over the authors people read, q̂_j the law of j's posts in the pool. */
function drift<M, D>(people: People<M, D>, byAuthor: (j: number) => Post<D>[]): M {
  const { reads, stubbornness: s, opinion } = people.drift!;
  const total = reads.reduce((a, b) => a + b, 0);
  const weights = [s];
  const models = [people.initial];
  reads.forEach((r, j) => {
    if (r <= 0) return;
    weights.push(((1 - s) * r) / total);
    models.push(opinion.empirical(people.family.concat(byAuthor(j).map((p) => p.data))));
  });
  return opinion.mix(weights, models);
}

/**
 * Settled: every agent collapsed, and every author an agent reads at generation `next` is an
 * agent with exactly the reader's model (agents collapsed on different outcomes that read each
 * other mix again; people post fresh draws). Absorbed: settled with support-based collapses,
 * which nothing read can undo; a threshold collapse (a Gaussian's variance) can be left again.
 */
function settling<M, D>(eco: Ecosystem<M, D>, models: readonly M[], collapsed: readonly boolean[], next: number): { settled: boolean; absorbed: boolean } {
  const n = eco.agents.length;
  const settled = collapsed.every(Boolean) && eco.agents.every((_, i) => readPlan(eco, i, next).every((k, j) => k === 0 || j === i || (j < n && sameModel(models[i], models[j]))));
  return { settled, absorbed: settled && eco.agents.every((a) => a.family.absorbing) };
}

function sameModel(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
