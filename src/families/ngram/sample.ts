// Drawing sentences from an n-gram model: a walk on the context graph from the sentence
// start until END. The sampling transforms (temperature, top-k, top-p, min-p) act on each
// context's next-token distribution (src/core/transforms.ts); they are applied once per
// model and setting and cached, and skipped entirely when the sampling is plain.
import type { Sampling } from '../../core/family.ts';
import { Rng, type Key } from '../../core/random.ts';
import { isPlain, transform } from '../../core/transforms.ts';
import { END, type Packed } from '../text/vocab.ts';
import type { NgramModel } from './model.ts';

/** How sentence length is policed (`loop.maxLength`, `loop.onTooLong`). */
export interface LengthRule {
  /** The most tokens a sentence may have, END not counted. */
  readonly maxLength: number;
  /** reject: draw the sentence again; truncate: keep its first maxLength tokens. */
  readonly onTooLong: 'reject' | 'truncate';
}

/** What n counts: tokens (END included, so every predicted token) or sentences. */
export type Unit = 'tokens' | 'sentences';

const MAX_REJECTIONS = 1_000_000;

const cumCache = new WeakMap<NgramModel, Map<string, Float64Array>>();

/** Per-context cumulative edge weights after the transforms of `how` (cached per model and setting). */
export function cumulative(model: NgramModel, how: Sampling): Float64Array {
  const tag = isPlain(how) ? 'plain' : `${how.temperature}/${how.topK}/${how.topP}/${how.minP}`;
  let byHow = cumCache.get(model);
  if (!byHow) cumCache.set(model, (byHow = new Map()));
  let cum = byHow.get(tag);
  if (cum) return cum;
  const { start, weight, total } = model;
  cum = new Float64Array(weight.length);
  for (let c = 0; c + 1 < start.length; c++) {
    const lo = start[c]!;
    const hi = start[c + 1]!;
    let w: ArrayLike<number> = weight.subarray(lo, hi);
    if (tag !== 'plain') w = transform(Float64Array.from(w, (x) => x / total[c]!), how);
    let acc = 0;
    for (let e = lo; e < hi; e++) cum[e] = acc += w[e - lo]!;
  }
  byHow.set(tag, cum);
  return cum;
}

/** The first edge e in [lo, hi) with cum[e] > u, skipping zero-weight edges; u < cum[hi − 1]. */
function pick(cum: Float64Array, lo: number, hi: number, u: number): number {
  if (hi - lo <= 8) {
    for (let e = lo; e < hi - 1; e++) if (u < cum[e]!) return e;
    return hi - 1;
  }
  let a = lo;
  let b = hi - 1;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (u < cum[mid]!) b = mid;
    else a = mid + 1;
  }
  return a;
}

/**
 * Sentences from `model` until their size reaches n (in `unit`), under the length rule;
 * uses `key` for every draw. Throws if a million sentences in a row run past maxLength.
 */
export function sampleSentences(model: NgramModel, n: number, unit: Unit, how: Sampling, rule: LengthRule, key: Key): Packed {
  const { start, next, to } = model;
  const cum = cumulative(model, how);
  const rng = new Rng(key);
  const { maxLength } = rule;
  const truncate = rule.onTooLong === 'truncate';
  let tokens: Int32Array = new Int32Array(Math.max(16, unit === 'tokens' ? n : n * 8));
  const offsets: number[] = [0];
  let pos = 0;
  let size = 0;
  let rejected = 0;
  while (size < n) {
    const begin = pos;
    let c = 0;
    for (;;) {
      const lo = start[c]!;
      const hi = start[c + 1]!;
      const e = hi - lo === 1 ? lo : pick(cum, lo, hi, rng.float() * cum[hi - 1]!);
      const t = next[e]!;
      if (t === END) break;
      if (pos - begin === maxLength) {
        if (truncate) break;
        if (++rejected > MAX_REJECTIONS) throw new Error(`ngram: ${MAX_REJECTIONS} sentences in a row were longer than maxLength ${maxLength}; raise loop.maxLength or use onTooLong: truncate`);
        pos = begin; // reject: draw the sentence again
        c = 0;
        continue;
      }
      if (pos === tokens.length) tokens = grow(tokens);
      tokens[pos++] = t;
      c = to[e]!;
    }
    rejected = 0;
    offsets.push(pos);
    size += unit === 'tokens' ? pos - begin + 1 : 1;
  }
  return { tokens: tokens.slice(0, pos), offsets: Int32Array.from(offsets) };
}

function grow(a: Int32Array): Int32Array {
  const b = new Int32Array(2 * a.length);
  b.set(a);
  return b;
}
