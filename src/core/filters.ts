// Curation: what is fed back. Every filter keeps the synthetic sample at the size the loop
// asked for by drawing more candidates, so curated and uncurated loops train on equal n.
import type { Family, Sampling } from './family.ts';
import { Rng, splitAt, type Key } from './random.ts';
import { randomOrder } from './samplers.ts';

/** A filter on the synthetic sample; `by` chooses log-likelihood under the current model or the config's reward. */
export type Filter =
  | { readonly kind: 'none' }
  | { readonly kind: 'keepTop'; readonly fraction: number; readonly by: 'likelihood' | 'reward' }
  | { readonly kind: 'choice'; readonly by: 'likelihood' | 'reward'; readonly beta: number }
  | { readonly kind: 'reject' };

const MAX_REJECT_ROUNDS = 1000;

/** Draw n synthetic items from `model` and curate them with `filter`; uses `key` for draws and ties. */
export function drawFiltered<M, D>(family: Family<M, D>, model: M, n: number, how: Sampling, filter: Filter, key: Key): D {
  // split(key, 2) = [draw, pick]; the pick stream is derived only by the filters that break ties.
  const kDraw = splitAt(key, 0);
  switch (filter.kind) {
    case 'none':
      return family.sample(model, n, how, kDraw);
    case 'keepTop': {
      const pool = family.sample(model, Math.ceil(n / filter.fraction), how, kDraw);
      const score = scores(family, model, pool, filter.by);
      return pick(family, pool, topIndices(score, Math.min(n, score.length), new Rng(splitAt(key, 1))));
    }
    case 'choice': {
      const pool = family.sample(model, 2 * n, how, kDraw);
      const score = scores(family, model, pool, filter.by);
      const rng = new Rng(splitAt(key, 1));
      // Pairs are drawn at random: a family may list items in a fixed order (a categorical's
      // counts are sorted by outcome), and adjacent items would then be alike.
      const order = randomOrder(score.length, rng);
      const keep: number[] = [];
      for (let i = 0; i + 1 < order.length; i += 2) {
        const [a, b] = [order[i]!, order[i + 1]!];
        // Bradley–Terry: keep a with probability σ((r_a − r_b) / β).
        keep.push(rng.float() < 1 / (1 + Math.exp(-(score[a]! - score[b]!) / filter.beta)) ? a : b);
      }
      keep.sort((x, y) => x - y);
      return pick(family, pool, keep);
    }
    case 'reject':
      return drawAccepted(family, model, n, how, kDraw);
  }
}

function drawAccepted<M, D>(family: Family<M, D>, model: M, n: number, how: Sampling, key: Key): D {
  if (!family.accept) throw new Error(`filter 'reject' needs a predicate, and family '${family.name}' offers none`);
  const parts: D[] = [];
  let have = 0;
  for (let round = 0; have < n && round < MAX_REJECT_ROUNDS; round++) {
    const pool = family.sample(model, n - have, how, splitAt(key, round));
    const ok = family.accept(pool);
    const idx: number[] = [];
    for (let i = 0; i < ok.length; i++) if (ok[i]) idx.push(i);
    if (idx.length === 0) continue;
    const kept = pick(family, pool, idx);
    parts.push(kept);
    have += family.size(kept);
  }
  if (have < n) throw new Error(`filter 'reject': fewer than ${n} items passed after ${MAX_REJECT_ROUNDS} rounds; loosen the predicate`);
  return family.concat(parts);
}

function scores<M, D>(family: Family<M, D>, model: M, data: D, by: 'likelihood' | 'reward'): Float64Array {
  if (by === 'reward') {
    if (!family.reward) throw new Error(`filter by reward: family '${family.name}' has no reward; add one to the config`);
    return family.reward(data);
  }
  if (!family.logLikelihood) throw new Error(`filter by likelihood: family '${family.name}' has no logLikelihood`);
  return family.logLikelihood(model, data);
}

function pick<M, D>(family: Family<M, D>, data: D, indices: ArrayLike<number>): D {
  if (!family.select) throw new Error(`filters need item selection, and family '${family.name}' has no select`);
  return family.select(data, indices);
}

/** Indices of the m highest scores, ties broken uniformly at random, in ascending index order. */
export function topIndices(score: Float64Array, m: number, rng: Rng): Int32Array {
  const order = Array.from(score.keys());
  const tie = order.map(() => rng.float());
  order.sort((a, b) => (score[b]! > score[a]! ? 1 : score[b]! < score[a]! ? -1 : tie[a]! - tie[b]!));
  return Int32Array.from(order.slice(0, m)).sort();
}
