// Probabilities of given sentences under an n-gram model, through integer-keyed indices of
// its contexts and edges (built once per model and cached).
import { BEGIN, END, type Packed } from '../text/vocab.ts';
import type { NgramModel } from './model.ts';
import { TupleIndex } from './table.ts';

interface Index {
  /** context tuple → context id (ids equal the model's). */
  readonly ctx: TupleIndex;
  /** (context, token) → edge id (ids equal the model's). */
  readonly edge: TupleIndex;
}

const cache = new WeakMap<NgramModel, Index>();

/** The lookup indices of `m` (cached). */
export function indexOf(m: NgramModel): Index {
  let ix = cache.get(m);
  if (ix) return ix;
  const k = m.order - 1;
  const C = m.total.length;
  const ctx = new TupleIndex(k, C);
  for (let c = 0; c < C; c++) ctx.add(m.contexts, c * k);
  const edge = new TupleIndex(2, m.next.length);
  for (let c = 0; c < C; c++) for (let e = m.start[c]!; e < m.start[c + 1]!; e++) edge.addPair(c, m.next[e]!);
  cache.set(m, (ix = { ctx, edge }));
  return ix;
}

/**
 * Calls visit(logp) for every token of every sentence (END included) with its log-probability
 * under `m`, −Infinity when the model gives it zero; `sentenceEnd(i)` after sentence i. The
 * context is always the sentence's actual history, so a zero-probability token does not stop the walk.
 */
export function walkLogProbs(m: NgramModel, data: Packed, visit: (logp: number) => void, sentenceEnd: (i: number) => void): void {
  const { ctx, edge } = indexOf(m);
  const k = m.order - 1;
  const window = new Int32Array(Math.max(1, k));
  const { tokens, offsets } = data;
  for (let i = 0; i + 1 < offsets.length; i++) {
    window.fill(BEGIN);
    for (let j = offsets[i]!, end = offsets[i + 1]!; j <= end; j++) {
      const t = j < end ? tokens[j]! : END;
      const c = ctx.get(window);
      const e = c < 0 ? -1 : edge.getPair(c, t);
      visit(e < 0 ? -Infinity : Math.log(m.weight[e]! / m.total[c]!));
      if (k > 0) {
        window.copyWithin(0, 1);
        window[k - 1] = t;
      }
    }
    sentenceEnd(i);
  }
}

/** log p(sentence) of each sentence under `m` (−Infinity if any token has probability 0). */
export function sentenceLogProbs(m: NgramModel, data: Packed): Float64Array {
  const out = new Float64Array(data.offsets.length - 1);
  let acc = 0;
  walkLogProbs(
    m,
    data,
    (lp) => (acc += lp),
    (i) => ((out[i] = acc), (acc = 0)),
  );
  return out;
}
