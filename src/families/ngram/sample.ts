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

/**
 * Walker's alias tables over each context's edges (Vose's stable construction), one per
 * model and sampling setting. Column e is four doubles, so one cache line holds all a draw
 * reads: [the chance that column e keeps its own edge, its own step, the alias's step, 0],
 * a step packing (successor context + 1)·2^21 + token.
 */
interface AliasTable {
  readonly columns: Float64Array;
}

const TOKEN_BITS = 2 ** 21;

const aliasCache = new WeakMap<NgramModel, Map<string, AliasTable>>();

/**
 * The alias tables of `model` after the transforms of `how` (cached per model and setting):
 * O(1) per draw whatever a context's number of continuations (Walker 1977; Vose 1991).
 */
function aliasTable(model: NgramModel, how: Sampling): AliasTable {
  const tag = isPlain(how) ? 'plain' : `${how.temperature}/${how.topK}/${how.topP}/${how.minP}`;
  let byHow = aliasCache.get(model);
  if (!byHow) aliasCache.set(model, (byHow = new Map()));
  let table = byHow.get(tag);
  if (table) return table;
  const { start, weight, total } = model;
  const prob = new Float64Array(weight.length);
  const alias = new Int32Array(weight.length);
  let maxDeg = 0;
  for (let c = 0; c + 1 < start.length; c++) maxDeg = Math.max(maxDeg, start[c + 1]! - start[c]!);
  const small = new Int32Array(maxDeg);
  const large = new Int32Array(maxDeg);
  for (let c = 0; c + 1 < start.length; c++) {
    const lo = start[c]!;
    const d = start[c + 1]! - lo;
    let w: ArrayLike<number> = weight.subarray(lo, lo + d);
    let sum = total[c]!;
    if (tag !== 'plain') (w = transform(Float64Array.from(w, (x) => x / total[c]!), how)), (sum = 1);
    let ns = 0;
    let nl = 0;
    for (let i = 0; i < d; i++) {
      prob[lo + i] = (w[i]! * d) / sum;
      alias[lo + i] = lo + i;
      if (prob[lo + i]! < 1) small[ns++] = lo + i;
      else large[nl++] = lo + i;
    }
    while (ns > 0 && nl > 0) {
      const s = small[--ns]!;
      const l = large[nl - 1]!;
      alias[s] = l;
      prob[l] = prob[l]! + prob[s]! - 1;
      if (prob[l]! < 1) (small[ns++] = l), nl--;
    }
    // What is left is full up to rounding.
    while (nl > 0) prob[large[--nl]!] = 1;
    while (ns > 0) prob[small[--ns]!] = 1;
  }
  const { next, to } = model;
  const step = (e: number) => {
    if (next[e]! >= TOKEN_BITS) throw new Error(`ngram: token id ${next[e]} is past the ${TOKEN_BITS}-token vocabulary limit`);
    return (to[e]! + 1) * TOKEN_BITS + next[e]!;
  };
  const columns = new Float64Array(4 * weight.length);
  for (let e = 0; e < weight.length; e++) {
    columns[4 * e] = prob[e]!;
    columns[4 * e + 1] = step(e);
    columns[4 * e + 2] = step(alias[e]!);
  }
  byHow.set(tag, (table = { columns }));
  return table;
}

/**
 * Sentences from `model` until their size reaches n (in `unit`), under the length rule;
 * uses `key` for every draw. Throws if a million sentences in a row run past maxLength.
 */
export function sampleSentences(model: NgramModel, n: number, unit: Unit, how: Sampling, rule: LengthRule, key: Key): Packed {
  const { start } = model;
  const { columns } = aliasTable(model, how);
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
      const d = start[c + 1]! - lo;
      let stepped: number;
      if (d === 1) stepped = columns[4 * lo + 1]!;
      else {
        const u = rng.float() * d; // the column from the integer part, the coin from the fraction
        const j = Math.floor(u);
        const col = 4 * (lo + j);
        stepped = u - j < columns[col]! ? columns[col + 1]! : columns[col + 2]!;
      }
      const succ = Math.floor(stepped / TOKEN_BITS);
      const t = stepped - succ * TOKEN_BITS;
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
      c = succ - 1;
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
