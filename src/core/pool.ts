// The shared pool of an ecosystem (docs/ecosystems.md): posts keep their author and generation,
// and a reader takes k distinct posts of one author as a uniformly random subset, drawn without
// replacement as a person reads distinct posts. A reader that takes all of an author's posts
// takes them in posted order, which is what makes one agent reading itself the plain loop.
import type { Family } from './family.ts';
import { foldIn, splitAt, type Key } from './random.ts';
import { subsampleCounts } from './samplers.ts';

/** Items one author posted in one generation; `count` is the number asked for (a text family may overshoot it by part of a sentence). */
export interface Post<D> {
  readonly author: number;
  readonly generation: number;
  readonly count: number;
  readonly data: D;
}

/** Provenance of part of a training set: `items` (in the family's size unit) by `author`, posted at `generation`. */
export interface Read {
  readonly author: number;
  readonly generation: number;
  readonly items: number;
}

/**
 * k_ij: how many posts reader i takes from each author j, round(n · w_j / Σ w) (Math.round, as
 * the plain loop rounds λn). `weights` are the reader's read weights over authors.
 */
export function readCounts(n: number, weights: readonly number[]): number[] {
  const total = weights.reduce((s, w) => s + w, 0);
  return weights.map((w) => (w > 0 ? Math.round((n * w) / total) : 0));
}

/** The generations a pool holds at generation t: replace keeps t's posts, accumulate the last `window` (all when undefined). */
export function windowStart(t: number, policy: 'replace' | 'accumulate', window: number | undefined): number {
  if (policy === 'replace') return t;
  return window === undefined ? 1 : Math.max(1, t - window + 1);
}

/**
 * k distinct posts from `parts` (one author's posts, in posted order) as a uniformly random
 * subset, keeping each part's provenance: all of them, as they are, when k is the number
 * posted (more is an error the config refuses). Over several generations (accumulate) the
 * split of k across them is that of a uniform subset of their items (in the family's size
 * unit), drawn with splitAt(key, 0); generation g's share is family.subsample(…, foldIn(key, g)).
 */
export function readPosts<M, D>(family: Family<M, D>, parts: readonly Post<D>[], k: number, key: Key): { data: D[]; reads: Read[] } {
  const posted = parts.reduce((s, p) => s + p.count, 0);
  if (k > posted) throw new RangeError(`a reader asks for ${k} posts of author ${parts[0]?.author ?? '?'}, who posted ${posted}`);
  const take = (p: Post<D>, data: D) => ({ data, read: { author: p.author, generation: p.generation, items: family.size(data) } });
  let picked: { data: D; read: Read }[];
  if (k === posted) picked = parts.map((p) => take(p, p.data));
  else if (parts.length === 1) picked = [take(parts[0]!, family.subsample(parts[0]!.data, k, foldIn(key, parts[0]!.generation)))];
  else {
    const shares = subsampleCounts(parts.map((p) => family.size(p.data)), k, splitAt(key, 0));
    picked = parts.flatMap((p, g) => (shares[g]! > 0 ? [take(p, family.subsample(p.data, shares[g]!, foldIn(key, p.generation)))] : []));
  }
  return { data: picked.map((x) => x.data), reads: picked.map((x) => x.read) };
}
